"""The NDT reader and converter on real NorNE files, and the NDT → UD mapping against UD's own."""

from __future__ import annotations

from collections import Counter

import spacy
from click.testing import CliRunner
from spacy.tokens import DocBin

from diskurs.cli import main
from diskurs.io import read_jsonl
from diskurs.nlp.convert import convert_folder
from diskurs.nlp.ndt import doc_from_file, read_sentences, spaces_after
from diskurs.nlp.udcheck import agreement

NORNE_LABELS = {"PER", "ORG", "GPE_LOC", "GPE_ORG", "LOC", "PROD", "EVT", "DRV", "MISC"}


def _raw_columns(path):
    with open(path, encoding="utf-8") as handle:
        return [line.rstrip("\n").split("\t") for line in handle]


def test_file_becomes_one_doc_with_its_sentences_and_entities(norne):
    path = norne / "dev" / "ap012_0003.conll"
    doc = doc_from_file(spacy.blank("nb").vocab, path)
    # Counted with grep in the file: 1111 token lines, 66 sentences, 22 entity beginnings.
    assert len(doc) == 1111
    assert len(list(doc.sents)) == 66
    assert len(doc.ents) == 22
    rows = [cols for cols in _raw_columns(path) if len(cols) == 10]
    assert [t.text for t in doc] == [cols[1] for cols in rows]
    for ent in doc.ents:
        assert ent.label_ in NORNE_LABELS
        assert rows[ent.start][9] == f"name=B-{ent.label_}"
        assert all(rows[i][9] == f"name=I-{ent.label_}" for i in range(ent.start + 1, ent.end))


def test_mapping_and_lemmas_on_a_real_file(norne):
    path = norne / "dev" / "nou004_0001.conll"
    doc = doc_from_file(spacy.blank("nb").vocab, path)
    rows = [cols for cols in _raw_columns(path) if len(cols) == 10]
    assert len(rows) == len(doc)
    for token, cols in zip(doc, rows):
        if cols[3] == "subst":
            assert token.pos_ == ("PROPN" if "prop" in cols[5].split("|") else "NOUN")
        if cols[2].startswith("$"):
            assert token.pos_ == "PUNCT"
            assert token.lemma_ == cols[2][1:]
        else:
            assert token.lemma_ == cols[2]
        if cols[3] == "verb" and "pres" in cols[5].split("|"):
            assert token.morph.get("Tense") == ["Pres"]
    tags = Counter(token.pos_ for token in doc)
    assert tags["AUX"] > 0 and tags["VERB"] > 0 and tags["ADP"] > 0


def test_auxiliary_needs_a_verb_complement(norne):
    # "ha" is AUX when it governs a participle or infinitive (INFV), VERB as a main verb.
    seen = Counter()
    for path in sorted((norne / "dev").glob("*.conll"))[:8]:
        doc = doc_from_file(spacy.blank("nb").vocab, path)
        sentences = [t for s in read_sentences(path) for t in s]
        for token, ndt in zip(doc, sentences):
            if ndt.pos == "verb" and ndt.lemma == "ha":
                seen[token.pos_] += 1
    assert seen["AUX"] > 0 and seen["VERB"] > 0


def test_mapping_agrees_with_the_ud_release(norne):
    result = agreement(norne / "dev", norne / "ud-dev.conllu")
    assert result.sentences > 2300
    assert result.upos >= 0.995
    assert result.feats >= 0.97


def test_nynorsk_maps_as_well_as_bokmal(norne_nno):
    # Nynorsk spells tags and function words its own way: "eint" (singular), "bu" (definite),
    # "ikkje", "vere", "vilje". Left unmapped, a nynorsk noun would train the morphologizer
    # that it has no number. The rest of the disagreement is UD nynorsk's own: it tags some
    # names NOUN where NDT has "prop".
    result = agreement(norne_nno / "dev", norne_nno / "ud-dev.conllu")
    assert result.sentences > 1600
    assert result.upos >= 0.985
    assert result.feats >= 0.975


def test_running_text_is_rebuilt_without_spaces_before_punctuation():
    words = ["Han", "sa", "«", "hei", "»", "og", '"', "ha", "det", '"', "(", "nå", ")", "."]
    spaces = spaces_after(words)
    text = "".join(w + (" " if s else "") for w, s in zip(words, spaces))
    assert text == 'Han sa «hei» og "ha det" (nå). '


def test_convert_folder_writes_every_document(norne, tmp_path):
    out = tmp_path / "dev.spacy"
    documents, tokens = convert_folder(norne / "dev", out)
    assert documents == 26
    docs = list(DocBin().from_disk(out).get_docs(spacy.blank("nb").vocab))
    assert len(docs) == 26 and sum(len(d) for d in docs) == tokens
    assert all(d.has_annotation("SENT_START") and d.has_annotation("ENT_IOB") for d in docs)


def test_sentence_texts_for_pretraining(norne, tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    (data / "kk006_0001.conll").write_bytes((norne / "dev" / "kk006_0001.conll").read_bytes())
    text = tmp_path / "text.jsonl"
    result = CliRunner().invoke(main, ["convert-ndt", str(data), str(tmp_path / "x.spacy"), "--text", str(text)])
    assert result.exit_code == 0, result.output
    records = list(read_jsonl(text))
    # The file has 19 sentences (blank-line separated), 343 tokens.
    assert len(records) == 19
    assert all(r["text"] and not r["text"].endswith(" ") for r in records)
    assert sum(len(r["text"].split()) for r in records) <= 343
