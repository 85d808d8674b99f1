"""Definite nouns referring back to a listed actor, and byline affiliations, on texts written for
these tests and annotated with the project's model."""

from __future__ import annotations

from pathlib import Path

import pytest
import spacy

from diskurs.annotate.pipeline import prepare_pipeline
from diskurs.entities.actors import load_actors
from diskurs.entities.byline import Author, parse_author
from diskurs.entities.references import head_noun
from diskurs.entities.stage import build_tables
from diskurs.params import load_params

ENTITIES = load_params(Path(__file__).resolve().parents[1] / "params.yaml")["entities"]


@pytest.fixture(scope="module")
def nlp(model_path):
    return prepare_pipeline(spacy.load(model_path), load_actors())


def tables_for(nlp, *documents: tuple[str, list[str]]):
    docs = []
    for n, (text, authors) in enumerate(documents):
        doc = nlp(text)
        doc.user_data.update(
            {"doc_id": f"d{n}", "source": f"d{n}.txt", "title": "", "published": None, "authors": authors}
        )
        docs.append(doc)
    tables = build_tables(
        lambda: iter(docs), load_actors(), frozenset(ENTITIES["labels"]), frozenset(ENTITIES["cooccurrence_labels"])
    )
    return {table.name: table.rows for table in tables}


def test_the_definite_head_of_a_listed_name_is_that_actor_once_it_is_named(nlp):
    text = (
        "HelseOmsorg21-rådet holdt et dialogmøte om innovative anskaffelser i juni. "
        "Rådet vil jobbe videre med innspillene, og rådets leder takket deltagerne."
    )
    tables = tables_for(
        nlp,
        (text, []),
        # Before the council is named, in another document, or as a verb, "rådet" is not it.
        ("Rådet møtes i juni. Der presenterer HelseOmsorg21-rådet sin strategi.", []),
        ("HelseOmsorg21-rådet inviterte til møte. Hun rådet kommunene til å vente med anskaffelsen.", []),
        ("Rådet har vedtatt en ny strategi for innovative anskaffelser.", []),
    )
    council = {(m["doc_id"], m["text"]): m for m in tables["mentions"] if m["canonical"] == "HelseOmsorg21-rådet"}
    assert sorted(council) == [
        ("d0", "HelseOmsorg21-rådet"),
        ("d0", "Rådet"),
        ("d0", "rådets"),
        ("d1", "HelseOmsorg21-rådet"),
        ("d2", "HelseOmsorg21-rådet"),
    ]
    assert council[("d0", "Rådet")]["label"] == "ORG" and council[("d0", "Rådet")]["sentence_id"] == 1
    entities = {row["canonical"]: row for row in tables["entities"]}
    assert entities["HelseOmsorg21-rådet"]["mentions"] == 5 and "Rådet" not in entities


def test_only_a_definite_last_part_of_a_listed_name_is_a_head():
    assert head_noun("HelseOmsorg21-rådet") == "rådet"
    # "helse" and "universitet" are indefinite; "Sørøst-Norge" ends in a name.
    assert head_noun("Direktoratet for e-helse") is None
    assert head_noun("Nord universitet") is None
    assert head_noun("Universitetet i Sørøst-Norge") is None
    assert head_noun("Kreftforeningen") is None


def test_a_byline_author_entry_gives_name_role_and_organisation():
    assert parse_author("Kari Nordvik, seniorrådgiver i KS") == Author(
        "Kari Nordvik", "seniorrådgiver", "KS", "Kari Nordvik, seniorrådgiver i KS"
    )
    assert parse_author("Ola Dahl, leder for innovasjon i Helse Vest").role == "leder for innovasjon"
    assert parse_author("Ola Dahl, Helse Vest") == Author("Ola Dahl", "", "Helse Vest", "Ola Dahl, Helse Vest")
    assert parse_author("Ola Dahl") == Author("Ola Dahl", byline="Ola Dahl")


def test_the_organisation_of_a_byline_is_an_entity_and_the_author_has_role_and_organisation(nlp):
    text = "Kommunene kjøper inn varer og tjenester for store summer hvert år. Leverandørene må involveres tidlig."
    tables = tables_for(nlp, (text, ["Kari Nordvik, seniorrådgiver i KS"]))
    bylines = {(m["text"], m["label"], m["canonical"]) for m in tables["mentions"] if m["sentence_id"] is None}
    assert bylines == {("Kari Nordvik", "PER", "Kari Nordvik"), ("KS", "ORG", "KS")}
    assert {(row["canonical"], row["label"]) for row in tables["entities"]} >= {("KS", "ORG"), ("Kari Nordvik", "PER")}
    assert [(p["person"], p["role"], p["organisation"], p["sentence"]) for p in tables["people"]] == [
        ("Kari Nordvik", "seniorrådgiver", "KS", "Kari Nordvik, seniorrådgiver i KS")
    ]
