"""From annotated text to the strings of content-word lemmas the theme model reads.

A unit (sentence or paragraph) becomes its content-word lemmas, one line per run of adjacent
content words: "innovative offentlige anskaffelser i helsetjenesten" gives
"innovativ offentlig anskaffelse\nhelsetjeneste". N-grams are only formed inside a line, so a
bigram never joins two words that a stop word stood between.
"""

from __future__ import annotations

from collections.abc import Iterable

from spacy.lang.nb.stop_words import STOP_WORDS
from spacy.tokens import Doc, Span, Token

from diskurs.views import one_line, paragraphs, token_lemma

STOP = frozenset(word.lower() for word in STOP_WORDS)


def is_content(
    token: Token, content_pos: frozenset[str], min_chars: int, extra_stop: frozenset[str] = frozenset()
) -> bool:
    """A content word: letters only, long enough, not a stop word (as lemma or as form), and of a
    content part of speech when the pipeline tagged one."""
    lemma = token_lemma(token)
    if len(lemma) < min_chars or not lemma.replace("-", "").isalpha() or lemma.startswith("-") or lemma.endswith("-"):
        return False
    if lemma in STOP or token.lower_ in STOP or lemma in extra_stop:
        return False
    return not token.pos_ or token.pos_ in content_pos


def unit_lemmas(
    tokens: Iterable[Token], content_pos: frozenset[str], min_chars: int, extra_stop: frozenset[str] = frozenset()
) -> str:
    """The unit's content lemmas: words of one run separated by spaces, runs by newlines."""
    runs: list[list[str]] = [[]]
    for token in tokens:
        if token.is_space:
            continue
        if is_content(token, content_pos, min_chars, extra_stop):
            runs[-1].append(token_lemma(token))
        elif runs[-1]:
            runs.append([])
    return "\n".join(" ".join(run) for run in runs if run)


class NgramAnalyzer:
    """A scikit-learn analyzer turning a unit's lemma lines into its terms: n-grams within lines.

    A class rather than a closure, so that a fitted vectorizer can be kept in the theme cache.
    """

    def __init__(self, ngram_range: tuple[int, int]):
        low, high = ngram_range
        if not 1 <= low <= high:
            raise ValueError(f"themes.ngram_range must be [low, high] with 1 <= low <= high, got {list(ngram_range)}")
        self.low, self.high = low, high

    def __call__(self, unit: str) -> list[str]:
        terms = []
        for line in unit.split("\n"):
            words = line.split()
            for n in range(self.low, self.high + 1):
                terms += [" ".join(words[i : i + n]) for i in range(len(words) - n + 1)]
        return terms


def doc_units(doc: Doc, unit: str) -> list[Span]:
    """The units a Doc is split into for theme modelling."""
    if unit == "sentence":
        return list(doc.sents)
    if unit == "paragraph":
        return paragraphs(doc)
    raise ValueError(f"themes.unit must be 'sentence' or 'paragraph', got {unit!r}")


def document_units(
    doc: Doc, unit: str, content_pos: frozenset[str], min_chars: int, extra_stop: frozenset[str] = frozenset()
) -> list[tuple[int, str, str]]:
    """(unit_id, lemma string, text) for every unit of the Doc."""
    text = doc.text  # once: each Span.text would join its tokens again
    return [
        (
            unit_id,
            unit_lemmas(span, content_pos, min_chars, extra_stop),
            one_line(text[span.start_char : span.end_char]),
        )
        for unit_id, span in enumerate(doc_units(doc, unit))
    ]
