"""The shipped model's tokeniser ends a sentence after a party's name or an everyday word, and
keeps real abbreviations whole."""

from __future__ import annotations

import pytest
import spacy
from confection import Config
from spacy.util import registry

from conftest import REPO
from diskurs.nlp.tokenizer import DROP_EXCEPTIONS

TRAIN_CONFIG = REPO / "models" / "train" / "configs" / "nb_diskurs_sm.cfg"


def _words(nlp, text: str) -> list[str]:
    return [token.text for token in nlp(text)]


def test_a_sentence_ending_in_a_party_or_a_word_keeps_its_full_stop_apart(model_path):
    nlp = spacy.load(model_path)
    assert _words(nlp, "Forslaget får støtte fra Frp. Sp er imot.") == [
        "Forslaget", "får", "støtte", "fra", "Frp", ".", "Sp", "er", "imot", ".",
    ]  # fmt: skip
    doc = nlp("Dette sa lederen i Ap. Han var glad i mora min. Vi ses i jul. Hun kom klokka ti.")
    assert [sent.text for sent in doc.sents] == [
        "Dette sa lederen i Ap.", "Han var glad i mora min.", "Vi ses i jul.", "Hun kom klokka ti.",
    ]  # fmt: skip
    assert _words(nlp, "Sykehuset (Ahus): nye rutiner") == ["Sykehuset", "(", "Ahus", ")", ":", "nye", "rutiner"]


def test_abbreviations_stay_whole(model_path):
    nlp = spacy.load(model_path)
    assert _words(nlp, "Det gjelder bl.a. sykehus, f.eks. Ahus, kl. 12.") == [
        "Det", "gjelder", "bl.a.", "sykehus", ",", "f.eks.", "Ahus", ",", "kl.", "12.",
    ]  # fmt: skip


def test_the_shipped_model_carries_the_training_configs_list(model_path):
    shipped = spacy.load(model_path).config["initialize"]["before_init"]
    trained = Config().from_disk(TRAIN_CONFIG, interpolate=False)["initialize"]["before_init"]
    assert shipped == dict(trained)


def test_an_exception_the_tokeniser_does_not_have_is_named():
    drop = registry.callbacks.get(DROP_EXCEPTIONS)(exceptions=["Frp.", "Høyre."])
    with pytest.raises(ValueError, match=r"Høyre\. is not a special case"):
        drop(spacy.blank("nb"))
