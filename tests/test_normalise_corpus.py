"""normalise() on the real documents in ../shared/corpus."""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from pathlib import Path

import pytest

from diskurs.normalise import normalise
from diskurs.normalise.unwrap import ends_sentence

WRAPPED = "002_b66a37d123b4e08b.txt"
SENTENCE_PER_LINE = [
    "000_214d778db5e47e38.txt",
    "001_b761725451472289.txt",
    "003_91790467cfe525a4.txt",
    "004_6c4cab7fbfa73299.txt",
]


def _read(folder: Path, name: str) -> str:
    return (folder / name).read_text(encoding="utf-8")


def _letters(text: str) -> Counter:
    return Counter(c for c in unicodedata.normalize("NFC", text) if c.isalnum())


def _line_holding(text: str, phrase: str) -> str:
    lines = [line for line in text.split("\n") if phrase in line]
    assert lines, f"{phrase!r} is not on one line"
    return lines[0]


@pytest.mark.parametrize(
    "phrase",
    [
        "Deltagerne representerte mange ulike fagområder",
        "Dette møtet er det andre i rekken av møter",
        "sa Janne Dugstad, leder ved Senter for helse",
        "kommunedirektør Per Christian Vareide fra Stavanger kommune",
        "og Ole Johan Borge, Direktør",
        "Riche Vestby fra LUP (i midten) ledet",
        "meldinger da dette dokumentet ble skrevet ut.",
    ],
)
def test_wrapped_sentences_of_002_come_out_whole(shared_corpus, phrase):
    _line_holding(normalise(_read(shared_corpus, WRAPPED)), phrase)


def test_no_wrapped_piece_of_002_left_dangling(shared_corpus):
    lines = [line for line in normalise(_read(shared_corpus, WRAPPED)).split("\n") if line]
    # A line cut by the wrap is about 110 characters long and ends mid-sentence.
    cut = [line for line in lines if len(line) > 90 and not ends_sentence(line) and "://" not in line]
    assert cut == []


@pytest.mark.parametrize(
    "line",
    [
        "Innovasjon og gode anskaffelser forutsetter dialog, tillit og åpenhet",
        "AV HEGE STRAND MIKKELSEN PUBLISERT 19. OKT. 2021",
        "https://www.helseomsorg21.no/nyheter/dialog-gjensidig-respekt-og-apenhet-i-samarbeid/",
        "Meldinger ved utskriftstidspunkt 30. april 2025, kl. 19.06 CEST",
    ],
)
def test_title_byline_url_and_footer_of_002_stay_own_lines(shared_corpus, line):
    assert line in normalise(_read(shared_corpus, WRAPPED)).split("\n")


def test_paragraphs_of_002_separated(shared_corpus):
    text = normalise(_read(shared_corpus, WRAPPED))
    assert 'arbeidsplasser i Norge.\n\n- "Kjør på' in text
    assert "Hanshaugen og Larvik.\n\nTil slutt inviterte" in text


@pytest.mark.parametrize("name", SENTENCE_PER_LINE)
def test_documents_without_wrapping_keep_every_line_and_paragraph(shared_corpus, name):
    raw = _read(shared_corpus, name)
    out = normalise(raw)
    raw_lines = [line for line in raw.split("\n") if line.strip()]
    out_lines = [line for line in out.split("\n") if line]
    assert len(out_lines) == len(raw_lines)
    for before, after in zip(raw_lines, out_lines):
        assert _letters(after) == _letters(before), f"line changed: {before[:60]!r}"
    raw_paragraphs = [p for p in re.split(r"\n\s*\n", raw) if p.strip()]
    assert len(out.split("\n\n")) == len(raw_paragraphs)


@pytest.mark.parametrize("name", [WRAPPED, *SENTENCE_PER_LINE])
def test_no_letter_lost_and_idempotent(shared_corpus, name):
    raw = _read(shared_corpus, name)
    out = normalise(raw)
    assert _letters(out) == _letters(raw)
    assert normalise(out) == out


@pytest.mark.parametrize("name", [WRAPPED, *SENTENCE_PER_LINE])
def test_output_layout(shared_corpus, name):
    out = normalise(_read(shared_corpus, name))
    assert out == out.strip()
    assert "\n\n\n" not in out and "\r" not in out
    assert all(line == line.strip() and "  " not in line for line in out.split("\n"))
    assert not re.search("[\u00a0\u202f\u00ad\u200b\u201c\u201d]", out)
