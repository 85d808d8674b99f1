"""Lemma repair from Norsk Ordbank: on the real tables, with the shipped model, and on NorNE dev."""

from __future__ import annotations

import json

import pytest
import spacy
from click.testing import CliRunner

from diskurs.cli import main
from diskurs.nlp.ordbank import ORDBANK_LEMMAS, Ordbank, add_ordbank_lemmas, load_ordbank


@pytest.fixture(scope="module")
def ordbank() -> Ordbank:
    return load_ordbank()


@pytest.mark.parametrize(
    "word_class, form, guess, lemma",
    [
        # The cuts a trainable lemmatiser makes in nouns ending in unstressed -e.
        ("noun", "anskaffelser", "anskaffels", "anskaffelse"),
        ("noun", "helsetjenesten", "helsetjenest", "helsetjeneste"),
        ("noun", "arbeidsgruppen", "arbeidsgrupp", "arbeidsgruppe"),
        # A form the model left uninflected.
        ("noun", "leverandørene", "leverandørene", "leverandør"),
        # A compound Ordbank does not list takes the lemma of its last part.
        ("noun", "innovasjonsanskaffelsene", "innovasjonsanskaffels", "innovasjonsanskaffelse"),
        ("verb", "bestilles", "bestill", "bestille"),
    ],
)
def test_unknown_lemmas_are_repaired_from_the_form(ordbank, word_class, form, guess, lemma):
    assert ordbank.repair(word_class, form, guess) == lemma


@pytest.mark.parametrize(
    "word_class, form, lemma",
    [
        # Homographs: Ordbank lists "rett" and "rette" for "retten"; the model's choice stands.
        ("noun", "retten", "rett"),
        ("noun", "saken", "sak"),
        ("verb", "går", "gå"),
        # A compound whose last part is a known lemma is a known lemma.
        ("noun", "innkjøpsavdelingen", "innkjøpsavdeling"),
    ],
)
def test_known_lemmas_are_kept(ordbank, word_class, form, lemma):
    assert ordbank.repair(word_class, form, lemma) == lemma


def test_a_form_ordbank_does_not_know_keeps_the_model_lemma(ordbank):
    assert ordbank.repair("noun", "xqzvbrt", "xqzv") == "xqzv"


def test_the_component_repairs_the_shipped_model_in_a_pipeline(model_path):
    nlp = add_ordbank_lemmas(spacy.load(model_path))
    assert nlp.pipe_names.index(ORDBANK_LEMMAS) == nlp.pipe_names.index("trainable_lemmatizer") + 1
    doc = nlp("Helseforetakene gjennomførte flere innovative anskaffelser i helsetjenesten i fjor.")
    lemmas = {token.text: token.lemma_ for token in doc}
    assert lemmas["anskaffelser"] == "anskaffelse"
    assert lemmas["helsetjenesten"] == "helsetjeneste"
    assert lemmas["gjennomførte"] == "gjennomføre"
    # Adding it twice leaves one.
    assert add_ordbank_lemmas(nlp).pipe_names.count(ORDBANK_LEMMAS) == 1


def test_repair_raises_lemma_accuracy_on_a_dev_slice(norne, model_path, tmp_path):
    scores = {}
    for flags in ([], ["--ordbank-lemmas"]):
        out = tmp_path / f"scores{len(flags)}.json"
        args = ["evaluate-model", "--data", str(norne / "dev"), "--model", str(model_path), "--limit", "8"]
        result = CliRunner().invoke(main, args + ["--speed-runs", "1", "--json", str(out)] + flags)
        assert result.exit_code == 0, result.output
        scores[bool(flags)] = json.loads(out.read_text(encoding="utf-8"))
    assert scores[True]["lemma_acc"] > scores[False]["lemma_acc"] + 0.003
    # Only lemmas change.
    assert scores[True]["ents_f"] == scores[False]["ents_f"]
    assert scores[True]["pos_acc"] == scores[False]["pos_acc"]


def test_kept_tables_load_as_the_converted_ones_and_a_damaged_copy_is_replaced(monkeypatch, tmp_path, ordbank):
    from diskurs.nlp import ordbank as module

    kept = tmp_path / "ordbank"
    monkeypatch.setattr(module, "tables_path", lambda: kept)
    nouns = set(ordbank.lemmas["noun"].keys())
    try:
        for damage in (None, "damaged", "missing"):
            if damage == "damaged":
                (kept / "noun.forms").write_bytes(b"not a trie")
            elif damage == "missing":
                (kept / "verb.lemmas").unlink()
            module.load_ordbank.cache_clear()
            loaded = module.load_ordbank()
            assert set(loaded.lemmas["noun"].keys()) == nouns
            assert loaded.candidates("verb", "bestilles") == ordbank.candidates("verb", "bestilles") == ["bestille"]
            assert sorted(path.name for path in kept.iterdir()) == sorted(
                f"{word_class}.{kind}" for word_class in ordbank.forms for kind in ("forms", "lemmas")
            )
        # Mapped from the kept folder, not converted again: spacy-lookups-data is not consulted.
        monkeypatch.setattr(module, "load_lookups", lambda *args: pytest.fail("converted again"))
        module.load_ordbank.cache_clear()
        assert module.load_ordbank().repair("noun", "anskaffelser", "anskaffels") == "anskaffelse"
    finally:
        module.load_ordbank.cache_clear()


def test_missing_tables_name_the_package_to_install(monkeypatch, tmp_path):
    import click

    from diskurs.nlp import ordbank as module

    monkeypatch.setattr(module, "tables_path", lambda: tmp_path / "none")

    def no_tables(lang, tables):
        raise ValueError(f"Can't find table(s) {', '.join(tables)} for language '{lang}' in spacy-lookups-data.")

    monkeypatch.setattr(module, "load_lookups", no_tables)
    module.load_ordbank.cache_clear()
    try:
        with pytest.raises(click.ClickException, match="pip install 'spacy-lookups-data"):
            module.load_ordbank()
    finally:
        monkeypatch.undo()
        module.load_ordbank.cache_clear()
