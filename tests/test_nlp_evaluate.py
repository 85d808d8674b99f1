"""The shipped model scored by ``diskurs evaluate-model`` on a slice of NorNE's dev split."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import spacy
from click.testing import CliRunner

from diskurs.cli import main
from diskurs.nlp.publish import MAX_BYTES

REPO = Path(__file__).resolve().parents[1]
SHIPPED = REPO / "models" / "nb_diskurs_sm"
KEYS = {"ents_p", "ents_r", "ents_f", "ents_per_type", "pos_acc", "lemma_acc", "sents_f", "words_per_second"}


def test_shipped_model_loads_without_project_code():
    nlp = spacy.load(SHIPPED)
    assert nlp.meta["name"] == "diskurs_sm" and nlp.lang == "nb"
    assert {"tok2vec", "morphologizer", "trainable_lemmatizer", "senter", "ner"} <= set(nlp.pipe_names)
    assert set(nlp.get_pipe("ner").labels) == {"PER", "ORG", "GPE_LOC", "GPE_ORG", "LOC", "PROD", "EVT", "DRV", "MISC"}
    assert sum(p.stat().st_size for p in SHIPPED.rglob("*") if p.is_file()) < MAX_BYTES
    # Every word has a vector, a word never seen included: floret builds it from its letters.
    assert nlp.vocab.vectors.mode == "floret" and nlp("Helseplattformens")[0].has_vector
    shipped_metrics = json.loads((SHIPPED / "metrics.json").read_text(encoding="utf-8"))
    assert KEYS <= set(shipped_metrics)


def test_evaluate_model_on_a_dev_slice(norne, tmp_path):
    out = tmp_path / "scores.json"
    train = tmp_path / "train"
    train.mkdir()
    for path in sorted((norne / "train").glob("*.conll"))[:20]:
        shutil.copy(path, train)
    result = CliRunner().invoke(
        main,
        [
            "evaluate-model",
            "--data",
            str(norne / "dev"),
            "--model",
            str(SHIPPED),
            "--limit",
            "4",
            "--json",
            str(out),
            "--train-data",
            str(train),
        ],
    )
    assert result.exit_code == 0, result.output
    scores = json.loads(out.read_text(encoding="utf-8"))
    assert KEYS <= set(scores)
    assert scores["documents"] == 4
    assert scores["ents_f"] > 0.6
    assert scores["pos_acc"] > 0.93
    assert scores["lemma_acc"] > 0.93
    assert scores["sents_f"] > 0.85
    assert scores["words_per_second"] > 1000
    assert scores["model"]["name"] == "nb_diskurs_sm" and len(scores["model"]["sha256"]) == 64
    per_type = scores["ents_per_type"]
    assert "PER" in per_type and 0.0 <= per_type["PER"]["f"] <= 1.0
    # The error breakdown compares characters, spaCy's scorer aligned tokens: they must agree.
    errors = scores["ents_errors"]
    assert errors["correct"] / errors["gold"] == pytest.approx(scores["ents_r"], abs=0.01)
    assert errors["correct"] / errors["predicted"] == pytest.approx(scores["ents_p"], abs=0.01)
    split = errors["by_training_data"]
    assert split["seen"]["gold"] > 0 and split["unseen"]["gold"] > 0
    assert split["seen"]["gold"] + split["unseen"]["gold"] == errors["gold"]
    # Names the model was trained on are found far more often than new ones.
    assert split["seen"]["correct"] / split["seen"]["gold"] > split["unseen"]["correct"] / split["unseen"]["gold"]


def test_shipped_model_on_a_sentence_of_our_own():
    nlp = spacy.load(SHIPPED)
    doc = nlp("Jonas Gahr Støre besøkte Haukeland universitetssykehus i Bergen. Han har snakket med legene.")
    ents = {(e.text, e.label_) for e in doc.ents}
    assert ("Jonas Gahr Støre", "PER") in ents
    assert ("Bergen", "GPE_LOC") in ents
    assert [t.lemma_ for t in doc if t.text in ("besøkte", "snakket", "legene")] == ["besøke", "snakke", "lege"]
    assert [t.pos_ for t in doc if t.text in ("i", "har", "snakket")] == ["ADP", "AUX", "VERB"]
    assert len(list(doc.sents)) == 2
