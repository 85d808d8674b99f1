"""The annotate stage: metadata on every doc, paragraph-aware sentences, the actor ruler's place."""

from __future__ import annotations

import spacy
from spacy.tokens import DocBin, Span

from diskurs.annotate.cache import AnnotationCache, pipeline_key
from diskurs.annotate.pipeline import RULER, SHAPES, person_initials, prepare_pipeline
from diskurs.annotate.stage import annotate_cached
from diskurs.entities.actors import Actor, ActorList, load_actors


def annotate(nlp, records, batch_size, max_length, skipped, cache_root):
    """The Docs the stage assembles, with their metadata, through a fresh annotation cache."""
    cache = AnnotationCache(cache_root, "test")
    for item in annotate_cached(nlp, lambda: records, cache, batch_size, max_length, skipped):
        _, entry = item.entry(cache, nlp)
        [doc] = entry.get_docs(nlp.vocab)
        doc.user_data.clear()
        doc.user_data.update(item.metadata)
        yield doc


def test_docs_keep_order_and_metadata_and_skip_overlong_ones(tmp_path):
    nlp = prepare_pipeline(spacy.blank("nb"), load_actors())
    records = [
        {
            "doc_id": "a",
            "source": "a.txt",
            "title": "T",
            "published": "2021-10-19",
            "authors": ["Ola Nordmann"],
            "text": "Helse Vest RHF kjøper inn.\n\nNy paragraf uten punktum\n\nSiste ord.",
        },
        {"doc_id": "b", "source": "b.txt", "text": "x" * 90},
        {"doc_id": "c", "source": "c.txt", "text": "Sykehusinnkjøp svarer."},
    ]
    skipped = []
    docs = list(annotate(nlp, records, batch_size=2, max_length=80, skipped=skipped, cache_root=tmp_path))
    assert [d.user_data["doc_id"] for d in docs] == ["a", "c"]
    assert docs[0].user_data["authors"] == ["Ola Nordmann"] and docs[0].user_data["published"] == "2021-10-19"
    assert [s.text.strip() for s in docs[0].sents] == [
        "Helse Vest RHF kjøper inn.",
        "Ny paragraf uten punktum",
        "Siste ord.",
    ]
    assert [(e.text, e.label_) for e in docs[1].ents] == [("Sykehusinnkjøp", "ORG")]
    assert skipped == [("b.txt", "90 characters, more than nlp.max_length=80; raise it in params.yaml")]


def test_user_data_and_entities_survive_the_docbin(tmp_path):
    nlp = prepare_pipeline(spacy.blank("nb"), load_actors())
    records = [{"doc_id": "a", "source": "a.txt", "text": "KS og DFØ møttes."}]
    docbin = DocBin(store_user_data=True)
    for doc in annotate(nlp, records, batch_size=1, max_length=1000, skipped=[], cache_root=tmp_path / "cache"):
        docbin.add(doc)
    docbin.to_disk(tmp_path / "a.spacy")
    [doc] = DocBin().from_disk(tmp_path / "a.spacy").get_docs(spacy.blank("nb").vocab)
    assert doc.user_data["source"] == "a.txt"
    assert [(e.text, e.ent_id_) for e in doc.ents] == [
        ("KS", "KS"),
        ("DFØ", "Direktoratet for forvaltning og økonomistyring"),
    ]


def test_rulers_run_before_ner_and_the_actor_list_wins():
    nlp = spacy.blank("nb")
    nlp.add_pipe("ner")
    nlp.get_pipe("ner").add_label("GPE_LOC")
    nlp.initialize()
    prepare_pipeline(nlp, load_actors())
    assert nlp.pipe_names.index(SHAPES) < nlp.pipe_names.index(RULER) < nlp.pipe_names.index("ner")
    assert nlp.get_pipe_config(RULER)["overwrite_ents"] is True


def test_name_shapes_label_municipalities_and_companies_but_listed_actors_keep_their_id():
    nlp = prepare_pipeline(spacy.blank("nb"), load_actors())
    doc = nlp("I dag møtte Bærum kommune både Fjordsensor AS og Helse Vest RHF om innovative anskaffelser.")
    ents = {ent.text: (ent.label_, ent.ent_id_) for ent in doc.ents}
    assert ents["Bærum kommune"] == ("GPE_ORG", "")
    assert ents["Fjordsensor AS"] == ("ORG", "")
    assert ents["Helse Vest RHF"] == ("ORG", "Helse Vest RHF")


def test_the_prepared_pipeline_saves_its_rulers_and_loads_with_the_same_key(tmp_path):
    nlp = prepare_pipeline(spacy.blank("nb"), load_actors())
    nlp.to_disk(tmp_path / "prepared")
    loaded = spacy.load(tmp_path / "prepared")
    assert loaded.pipe_names == nlp.pipe_names
    text = "Helse Vest RHF og Bærum kommune inviterte DFØ til markedsdialog."
    assert [(e.text, e.label_, e.ent_id_) for e in loaded(text).ents] == [
        (e.text, e.label_, e.ent_id_) for e in nlp(text).ents
    ]
    # The key reads the pipeline itself: the same config and patterns give the same cache folder,
    # one actor more gives another.
    assert pipeline_key(prepare_pipeline(spacy.blank("nb"), load_actors())) == pipeline_key(nlp)
    shipped = load_actors()
    more = ActorList([*shipped.actors, Actor("Nordvik helselag", "ORG")], shipped.role_words, shipped.shapes)
    assert pipeline_key(prepare_pipeline(spacy.blank("nb"), more)) != pipeline_key(nlp)


def test_a_middle_initial_does_not_end_a_persons_name():
    nlp = spacy.blank("nb")
    doc = nlp("Jon Sande og Morten H Abrahamsen innledet.")
    doc.ents = [Span(doc, 0, 2, label="PER"), Span(doc, 3, 5, label="PER"), Span(doc, 5, 6, label="LOC")]
    doc = person_initials(doc)
    assert [(ent.text, ent.label_) for ent in doc.ents] == [("Jon Sande", "PER"), ("Morten H Abrahamsen", "PER")]
