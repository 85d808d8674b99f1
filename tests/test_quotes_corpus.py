"""Every speaker quoted in ../shared/corpus is found by name, and nobody else is reported."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from analysis_corpus import PIPELINES, corpus_docs, make_nlp
from diskurs.frames.quotes import find_quotes

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
