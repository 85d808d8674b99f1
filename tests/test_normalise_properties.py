"""Properties of normalise() that must hold for any text."""

from __future__ import annotations

import textwrap
import unicodedata
from collections import Counter

import ftfy.badness
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from diskurs.normalise import normalise

LETTERS = "abcdefghijklmnopqrstuvwxyzæøåABCDEFGHIJKLMNOPQRSTUVWXYZÆØÅ"
# Everything normalise() treats specially: quotes, dashes, hyphens, spaces, bullets, breaks,
# control and format characters, sentence punctuation.
SPECIAL = (
    "0123456789 .,:;!?()-–—―‒−‑\u00ad\u00a0\u202f\u2009\u200b\ufeff\t\r\n\x00\x0c\u2028\u2029“”„‟‘’‚«»\"'•◦▪●‣∙·*/"
)
FAST = settings(max_examples=150, deadline=None)

words = st.text(alphabet=LETTERS, min_size=1, max_size=14)
lines = st.lists(st.one_of(words, st.text(alphabet=SPECIAL, min_size=1, max_size=3)), min_size=0, max_size=25).map(
    " ".join
)
documents = st.one_of(
    st.text(alphabet=LETTERS + SPECIAL, max_size=400),
    st.lists(lines, max_size=30).map("\n".join),
)


def _letters(text: str) -> Counter:
    return Counter(c for c in unicodedata.normalize("NFC", text) if c.isalnum())


@FAST
@given(documents)
def test_idempotent(text):
    once = normalise(text)
    assert normalise(once) == once


@FAST
@given(documents)
def test_never_drops_or_adds_a_letter_or_digit(text):
    # Mojibake repair changes letters by design ("Å»" is the mojibake of "Ż"); elsewhere no
    # rule may touch a letter or digit.
    assume(not ftfy.badness.is_bad(text))
    assert _letters(normalise(text)) == _letters(text)


@FAST
@given(documents)
def test_layout_contract(text):
    out = normalise(text)
    assert out == out.strip()
    assert "\n\n\n" not in out
    assert all(line == line.strip() and "  " not in line for line in out.split("\n"))


sentences = st.lists(words, min_size=1, max_size=20).map(lambda ws: " ".join(ws).capitalize() + ".")
paragraphs = st.lists(sentences, min_size=1, max_size=6).map(" ".join)


@FAST
@given(st.lists(paragraphs, min_size=1, max_size=12))
def test_separate_paragraphs_stay_separate(paras):
    out = normalise("\n\n".join(paras))
    assert out.split("\n\n") == paras


@FAST
@given(st.lists(paragraphs, min_size=1, max_size=12), st.integers(min_value=30, max_value=120))
def test_wrapped_paragraphs_never_merge(paras, width):
    wrapped = "\n\n".join(textwrap.fill(p, width, break_long_words=False, break_on_hyphens=False) for p in paras)
    out = normalise(wrapped).replace("\n\n", "\n").split("\n")
    # Every output line lies inside one input paragraph: no line crosses a paragraph break.
    assert all(any(line in p for p in paras) for line in out)
