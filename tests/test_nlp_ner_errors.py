"""Entity errors by kind: each gold name is counted once, as found, mislabelled, mis-spanned or
missed, and split by whether the training data knows it."""

from __future__ import annotations

import shutil

import spacy
from spacy.tokens import Doc
from spacy.training import Example

from diskurs.nlp.ner_errors import entity_errors, names_in

NLP = spacy.blank("nb")
TEXT = "Helse Bergen kjøper inn nye senger fra Laerdal Medical i Stavanger , sier Kari Nordmann ."


def _span(doc: Doc, phrase: str, label: str):
    start = doc.text.index(phrase)
    return doc.char_span(start, start + len(phrase), label=label)


def _doc(ents: list[tuple[str, str]]) -> Doc:
    doc = Doc(NLP.vocab, words=TEXT.split(" "))
    doc.ents = [_span(doc, phrase, label) for phrase, label in ents]
    return doc


GOLD = [
    ("Helse Bergen", "ORG"),
    ("Laerdal Medical", "ORG"),
    ("Stavanger", "GPE_LOC"),
    ("Kari Nordmann", "PER"),
]


def test_each_gold_name_gets_one_outcome_and_stray_names_are_spurious():
    predicted = _doc([("Helse Bergen", "ORG"), ("Laerdal", "ORG"), ("Stavanger", "PER"), ("senger", "PROD")])
    errors = entity_errors([Example(predicted, _doc(GOLD))])
    assert errors["gold"] == 4 and errors["predicted"] == 4
    assert (errors["correct"], errors["wrong_label"], errors["wrong_span"], errors["missed"]) == (1, 1, 1, 1)
    assert errors["spurious"] == 1
    assert errors["confusions"] == [{"gold": "GPE_LOC", "predicted": "PER", "count": 1}]
    assert "by_training_data" not in errors


def test_spans_are_compared_by_characters_whatever_the_tokens():
    # Gold splits "senger" into stem and ending; the prediction, tokenised from the running
    # text, does not. The names still match exactly.
    words = TEXT.replace("senger", "seng er").split(" ")
    gold = Doc(NLP.vocab, words=words, spaces=[word != "seng" for word in words[:-1]] + [False])
    gold.ents = [_span(gold, phrase, label) for phrase, label in GOLD]
    predicted = NLP.make_doc(gold.text)
    predicted.ents = [_span(predicted, phrase, label) for phrase, label in GOLD]
    assert gold.text == TEXT and len(predicted) == len(gold) - 1
    errors = entity_errors([Example(predicted, gold)])
    assert errors["correct"] == 4 and errors["spurious"] == 0 and errors["confusions"] == []


def test_outcomes_split_by_names_the_training_data_has():
    predicted = _doc([("Helse Bergen", "ORG"), ("Stavanger", "PER")])
    errors = entity_errors([Example(predicted, _doc(GOLD))], known_names={"Helse Bergen", "Stavanger"})
    assert errors["by_training_data"] == {
        "seen": {"gold": 2, "correct": 1, "wrong_label": 1, "wrong_span": 0, "missed": 0},
        "unseen": {"gold": 2, "correct": 0, "wrong_label": 0, "wrong_span": 0, "missed": 2},
    }


def test_training_names_come_from_norne(norne, tmp_path):
    shutil.copy(norne / "dev" / "ap013_0000.conll", tmp_path)
    names = names_in(NLP.vocab, tmp_path)
    assert len(names) > 10
    assert all(name.strip() == name and name for name in names)
