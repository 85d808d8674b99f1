"""Every speaker quoted in ../shared/corpus is found by name, and nobody else is reported."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from analysis_corpus import PIPELINES, corpus_docs, make_nlp, run_through
from diskurs.frames.quotes import find_quotes
from diskurs.io import read_csv

GOLD = yaml.safe_load((Path(__file__).parent / "data" / "speakers_gold.yaml").read_text(encoding="utf-8"))


@pytest.mark.parametrize("kind", PIPELINES)
def test_speakers_in_the_real_corpus(shared_corpus, kind):
    docs = corpus_docs(make_nlp(kind), shared_corpus)
    assert {doc.user_data["source"] for doc in docs} == {k for k in GOLD if k.endswith(".txt")}
    for doc in docs:
        found = {quote.speaker.name for quote in find_quotes(doc)}
        expected = set(GOLD[doc.user_data["source"]])
        assert found == expected, doc.user_data["source"]
        assert not found & set(GOLD["not_speakers"])


@pytest.mark.parametrize("kind", PIPELINES)
def test_quotes_keep_the_speech_and_drop_the_attribution(shared_corpus, kind):
    docs = {doc.user_data["source"]: doc for doc in corpus_docs(make_nlp(kind), shared_corpus)}
    quotes = find_quotes(docs["004_6c4cab7fbfa73299.txt"])
    assert [q.speaker.name for q in quotes].count("Inger Cathrine Bryne") == 2
    for quote in quotes:
        assert " sier " not in quote.text and quote.speaker.name not in quote.text
    (dugstad,) = find_quotes(docs["002_b66a37d123b4e08b.txt"])
    assert dugstad.text.startswith("Kjør på") and dugstad.text.endswith("lykkes")
    assert "USN" in dugstad.speaker.organisation


INDIRECT = yaml.safe_load((Path(__file__).parent / "data" / "indirect_speech.yaml").read_text(encoding="utf-8"))


def _kinds(folder: Path, model_path: Path, root: Path) -> dict[str, list[dict]]:
    """quotes.csv of the real pipeline on ``folder``, by source file."""
    found: dict[str, list[dict]] = {}
    for row in read_csv(run_through(folder, model_path, root, "frames").frames_dir / "quotes.csv"):
        found.setdefault(row["source"], []).append(row)
    return found


@pytest.mark.parametrize("corpus", ["shared_corpus", "sample_corpus"])
def test_indirect_speech_is_found_and_marked_and_direct_quotes_stay_direct(corpus, shared_corpus, model_path, tmp_path):
    folder = shared_corpus if corpus == "shared_corpus" else Path(__file__).resolve().parents[1] / "corpus" / "raw"
    found = _kinds(folder, model_path, tmp_path)
    indirect = {
        source: [[row["speaker"], row["quote"]] for row in rows if row["kind"] == "indirect"]
        for source, rows in found.items()
    }
    expected = INDIRECT[corpus]
    assert {s for s, rows in indirect.items() if rows} == set(expected)
    for source, statements in expected.items():
        assert len(indirect[source]) == len(statements), (source, indirect[source])
        for (speaker, text), (want_speaker, start) in zip(indirect[source], statements):
            assert speaker == want_speaker and text.startswith(start), (source, speaker, text)
    if corpus == "shared_corpus":
        # Every direct quote of the real texts keeps its speaker (see speakers_gold.yaml).
        for source, rows in found.items():
            assert {row["speaker"] for row in rows if row["kind"] == "direct"} == set(GOLD[source])
