"""Canonical names across a small corpus: bylines, surnames, learnt acronyms, genitives, roles."""

from __future__ import annotations

import re
from pathlib import Path

from diskurs.entities.actors import load_actors
from diskurs.entities.canonical import resolve_surnames, title_case_name
from diskurs.entities.stage import build_tables
from diskurs.params import load_params
from entity_docs import make_doc

ENTITIES = load_params(Path(__file__).resolve().parents[1] / "params.yaml")["entities"]
LABELS = frozenset(ENTITIES["labels"])


def tables_for(docs):
    tables = build_tables(lambda: iter(docs), load_actors(), LABELS, frozenset(ENTITIES["cooccurrence_labels"]))
    return {table.name: table for table in tables}


def test_title_case_only_for_all_capitals():
    assert title_case_name("HEGE STRAND MIKKELSEN") == "Hege Strand Mikkelsen"
    assert title_case_name("ANNE-LISE BERG") == "Anne-Lise Berg"
    assert title_case_name("Kari von Hirsch") == "Kari von Hirsch"


def test_surnames_take_the_nearest_earlier_full_name():
    names = ["Kari Nordmann", "Nordmann", "Ola Nordmann", "Nordmann", "Hansen", "Nordmanns"]
    assert resolve_surnames(names) == [
        "Kari Nordmann",
        "Kari Nordmann",
        "Ola Nordmann",
        "Ola Nordmann",
        "Hansen",
        "Ola Nordmann",
    ]


def test_a_surname_before_the_full_name_takes_the_next_one():
    assert resolve_surnames(["Berg", "Siri Berg"]) == ["Siri Berg", "Siri Berg"]


def _corpus():
    first = make_doc(
        "Avtalen ble presentert av rådsleder Siri Haugland i Helse Vest. Haugland sa at "
        "Senter for pasientnær teknologi (SPT) skal lede arbeidet. Senere sa Hauglands kollega "
        "at Helse Vests innkjøpere er klare.",
        [
            ("Siri Haugland", "PER"),
            ("Haugland", "PER"),
            ("Hauglands", "PER"),
            ("Senter for pasientnær teknologi", "ORG"),
        ],
        doc_id="a",
        source="a.txt",
        authors=["TORE ØDEGÅRD"],
    )
    second = make_doc(
        "SPT samarbeider med Medivio AS. Medivios løsning ble testet av Tore Ødegård, "
        "innovasjonsansvarlig i Sykehusinnkjøp.",
        [("Medivio AS", "ORG"), ("Medivios", "ORG"), ("Tore Ødegård", "PER")],
        doc_id="b",
        source="b.txt",
    )
    return [first, second]


def test_canonical_rows_merge_bylines_surnames_acronyms_and_genitives():
    tables = tables_for(_corpus())
    entities = {row["canonical"]: row for row in tables["entities"].rows}
    assert entities["Siri Haugland"]["mentions"] == 3
    assert entities["Tore Ødegård"]["documents"] == 2
    assert entities["Tore Ødegård"]["aliases"] == "TORE ØDEGÅRD"
    assert entities["Senter for pasientnær teknologi"]["aliases"] == "SPT"
    assert entities["Senter for pasientnær teknologi"]["documents"] == 2
    assert entities["Helse Vest RHF"]["aliases"] == "Helse Vest|Helse Vests"
    assert "Medivios" not in entities and "Haugland" not in entities and "SPT" not in entities
    assert entities["Medivio AS"]["mentions"] == 2


def test_learnt_acronym_is_a_mention_even_when_the_model_missed_it():
    mentions = tables_for(_corpus())["mentions"].rows
    spt = [m for m in mentions if m["text"] == "SPT"]
    assert {(m["doc_id"], m["label"], m["canonical"]) for m in spt} == {
        ("a", "ORG", "Senter for pasientnær teknologi"),
        ("b", "ORG", "Senter for pasientnær teknologi"),
    }


def test_byline_mentions_have_no_position():
    mentions = tables_for(_corpus())["mentions"].rows
    byline = [m for m in mentions if m["text"] == "TORE ØDEGÅRD"]
    assert byline == [
        {
            "doc_id": "a",
            "source": "a.txt",
            "sentence_id": None,
            "start_char": None,
            "end_char": None,
            "text": "TORE ØDEGÅRD",
            "label": "PER",
            "canonical": "Tore Ødegård",
            "sentence": "",
        }
    ]


def test_people_rows_carry_canonical_person_and_organisation():
    people = tables_for(_corpus())["people"].rows
    assert {(p["person"], p["role"], p["organisation"], p["source"]) for p in people} == {
        ("Siri Haugland", "rådsleder", "Helse Vest RHF", "a.txt"),
        ("Tore Ødegård", "innovasjonsansvarlig", "Sykehusinnkjøp HF", "b.txt"),
    }


def test_cooccurrence_counts_sentences_with_both_actors():
    pairs = tables_for(_corpus())["cooccurrence"].rows
    by_pair = {(p["actor_a"], p["actor_b"]): p["sentences"] for p in pairs}
    assert by_pair[("Helse Vest RHF", "Siri Haugland")] == 2
    assert by_pair[("Medivio AS", "Senter for pasientnær teknologi")] == 1
    assert all(p["actor_a"] < p["actor_b"] for p in pairs)


def test_tables_are_sorted_and_repeatable():
    first = tables_for(_corpus())
    second = tables_for(list(reversed(_corpus())))
    for name in ("mentions", "entities", "people", "cooccurrence", "documents"):
        assert first[name].rows == second[name].rows, name


def test_bullet_before_a_name_is_not_part_of_the_entity():
    docs = [
        make_doc(
            "• Partnerskapet med Helse Vest RHF er viktig, sier Per Harbø.", [("• Partnerskapet", "ORG")], doc_id="d1"
        )
    ]
    tables = {
        t.name: t
        for t in build_tables(lambda: iter(docs), load_actors(), LABELS, frozenset(ENTITIES["cooccurrence_labels"]))
    }
    names = {row["text"] for row in tables["mentions"].rows}
    assert "• Partnerskapet" not in names and "Helse Vest RHF" in names


def test_what_cannot_be_a_name_is_no_person_but_a_surname_stays():
    docs = [
        make_doc(
            "Avslutningsvis takket Kari Nordvik deltakerne. Nordvik og Nordviks kolleger fra Nimble var fornøyde. "
            "Offentlig sektor lyttet, det samme gjorde Jan van Dijk.",
            [
                ("Avslutningsvis", "PER"),
                ("Kari Nordvik", "PER"),
                ("Nordvik", "PER"),
                ("Nordviks", "PER"),
                ("Nimble", "ORG"),
                ("Offentlig sektor", "PER"),
                ("Jan van Dijk", "PER"),
            ],
            doc_id="d1",
        )
    ]
    entities = {row["canonical"]: row for row in tables_for(docs)["entities"].rows}
    assert "Avslutningsvis" not in entities and "Offentlig sektor" not in entities
    assert "Jan van Dijk" in entities
    # The surname and its genitive are the person named in full before.
    assert entities["Kari Nordvik"]["mentions"] == 3
    # Only people are judged so: a one-word organisation stays.
    assert "Nimble" in entities


def test_a_common_word_opening_a_sentence_is_no_place():
    docs = [
        make_doc(
            "Samlet inn innspill fra Bergen. Bildet: Torget i Bergen. Sand har en ny skole. "
            "Skolen i Sand åpnet i fjor. Pasientforeningen betalte. Engasjementet var stort.",
            [
                ("Samlet", "LOC"),
                ("Bildet", "LOC"),
                ("Bergen", "GPE_LOC"),
                ("Sand", "GPE_LOC"),
                ("Pasientforeningen", "ORG"),
                ("Engasjementet", "ORG"),
            ],
            doc_id="d1",
        )
    ]
    entities = {row["canonical"] for row in tables_for(docs)["entities"].rows}
    assert "Samlet" not in entities and "Bildet" not in entities
    # "sand" is a common word too, but the corpus also writes "Sand" inside a sentence: a name.
    assert {"Bergen", "Sand"} <= entities
    # An organisation named by a compound on an organisation's head noun stays; a common noun
    # the recogniser took for one at a sentence start goes.
    assert "Pasientforeningen" in entities
    assert "Engasjementet" not in entities


def test_a_lone_surname_typed_as_an_organisation_is_the_person_named_before():
    docs = [
        make_doc(
            "Statsminister Per Borten la fram forslaget i Stortinget. Bortens forslag fikk flertall.",
            [("Per Borten", "PER"), ("Bortens", "ORG")],
            doc_id="d1",
        )
    ]
    tables = tables_for(docs)
    labels = {(row["canonical"], row["label"]) for row in tables["entities"].rows}
    assert ("Per Borten", "PER") in labels
    assert not any(name.startswith("Borten") and label == "ORG" for name, label in labels)


def test_common_words_in_front_of_a_name_are_not_part_of_it():
    docs = [
        make_doc(
            "Søvnløs Svindal vant igjen. Både Siv Jensen og Erna Solberg var til stede, sier nevrokirurg "
            "Christian Helland. Den norske legeforening svarte både Svindal, Jensen og Helland.",
            [
                ("Søvnløs Svindal", "PER"),
                ("Både Siv Jensen", "PER"),
                ("Erna Solberg", "PER"),
                ("nevrokirurg Christian Helland", "PER"),
                ("Den norske legeforening", "ORG"),
                ("Svindal", "PER"),
                ("Jensen", "PER"),
                ("Helland", "PER"),
            ],
            doc_id="d1",
        )
    ]
    mentions = {row["text"] for row in tables_for(docs)["mentions"].rows}
    assert {"Svindal", "Siv Jensen", "Christian Helland"} <= mentions
    assert not mentions & {"Søvnløs Svindal", "Både Siv Jensen", "nevrokirurg Christian Helland"}
    # No capital follows "Den": the whole name stays.
    assert "Den norske legeforening" in mentions


def test_a_phrase_of_common_words_opening_a_sentence_is_no_name():
    docs = [
        make_doc(
            "Den økonomiske veksten var svak. Økt forskning trengs, sa Norges Bank om den.",
            [("Den økonomiske veksten", "ORG"), ("Økt forskning", "LOC"), ("Norges Bank", "ORG")],
            doc_id="d1",
        )
    ]
    entities = {row["canonical"] for row in tables_for(docs)["entities"].rows}
    assert "Den økonomiske veksten" not in entities and "Økt forskning" not in entities
    assert "Norges Bank" in entities


def test_a_sentence_final_full_stop_is_not_part_of_a_name():
    # spaCy's tokeniser would keep "Frp." whole as an abbreviation, and keeps "D.C." whole; at a
    # sentence's end the full stop is the sentence's, so both parties are one "Frp".
    docs = [
        make_doc(
            "Partiet Høyre vil samarbeide med Frp. I går svarte Frp raskt fra Washington D.C.\n\nDer var det varmt.",
            [("Høyre", "ORG"), ("Frp", "ORG"), ("Washington D.C.", "GPE_LOC")],
            doc_id="d1",
        )
    ]
    mentions = tables_for(docs)["mentions"].rows
    assert [row["text"] for row in mentions] == ["Høyre", "Frp", "Frp", "Washington D.C"]
    assert mentions[1]["sentence_id"] == 0 and mentions[2]["sentence_id"] == 1


def test_a_common_word_inside_a_sentence_with_a_capital_is_a_name():
    # "høyre" and "venstre" are common words ("til venstre"), but capitalised inside a sentence
    # they are parties; opening a sentence, the same spelling proves nothing.
    docs = [
        make_doc(
            "Skolen ligger til venstre for kirken. Forslaget fikk støtte fra Venstre og Høyre. "
            "Venstre side av veien er stengt.",
            [("Venstre", "ORG"), ("Høyre", "ORG")],
            doc_id="d1",
        )
    ]
    mentions = [(row["text"], row["sentence_id"]) for row in tables_for(docs)["mentions"].rows]
    assert ("Venstre", 1) in mentions and ("Høyre", 1) in mentions
    assert ("Venstre", 2) not in mentions


def test_a_country_keeps_each_mention_s_role_place_or_actor():
    docs = [
        make_doc(
            "Kari Nordvik bor i Norge. Norge og Kari Nordvik signerte avtalen i Genève. Reisen gikk til Norge.",
            [("Kari Nordvik", "PER"), ("Genève", "GPE_LOC")],
            doc_id="d1",
        )
    ]
    doc = docs[0]
    spans = [
        doc.char_span(m.start(), m.end(), label=label)
        for m, label in zip(re.finditer("Norge", doc.text), ("GPE_LOC", "GPE_ORG", "GPE_LOC"))
    ]
    doc.set_ents(sorted([*doc.ents, *spans], key=lambda span: span.start))
    tables = tables_for(docs)
    roles = [row["label"] for row in tables["mentions"].rows if row["canonical"] == "Norge"]
    assert roles == ["GPE_LOC", "GPE_ORG", "GPE_LOC"]
    # The entity has one label, its most frequent; the acting mention co-occurs as an actor.
    assert {row["canonical"]: row["label"] for row in tables["entities"].rows}["Norge"] == "GPE_LOC"
    pairs = {(row["actor_a"], row["label_a"], row["actor_b"], row["label_b"]) for row in tables["cooccurrence"].rows}
    assert pairs == {("Kari Nordvik", "PER", "Norge", "GPE_ORG")}


def test_a_lone_word_that_behaves_like_a_name_is_a_person():
    # No fuller name contains "Hitler", but the text capitalises it inside sentences and it is
    # no common word; "Bilder" opening a sentence is one, capitalised only there, and
    # "Beslutningsstøtte" is capitalised inside a title but is a compound on "støtte".
    docs = [
        make_doc(
            "Filmen handler om Hitler og krigen. Regissøren lar Hitler snakke selv. Bilder fra arkivet vises. Vi så bilder. "
            "Prosjektet heter SmartCrowding - Beslutningsstøtte for ledere.",
            [("Hitler", "PER"), ("Bilder", "PER"), ("Beslutningsstøtte", "PER")],
            doc_id="d1",
        )
    ]
    entities = {row["canonical"] for row in tables_for(docs)["entities"].rows}
    assert "Hitler" in entities and "Bilder" not in entities and "Beslutningsstøtte" not in entities


def test_the_genitive_of_a_common_word_opening_a_sentence_is_no_place():
    docs = [
        make_doc(
            "Fremtidens helsetjeneste er digital. Larviks ordfører var enig, og Larvik betalte.",
            [("Fremtidens", "GPE_LOC"), ("Larviks", "GPE_ORG"), ("Larvik", "GPE_ORG")],
            doc_id="d1",
        )
    ]
    entities = {row["canonical"] for row in tables_for(docs)["entities"].rows}
    # "Larviks" opens its sentence too, but "Larvik" is no common word and is capitalised inside.
    assert "Fremtidens" not in entities and "Larvik" in entities


def test_a_lone_surname_typed_as_a_place_is_the_person_and_a_quoted_phrase_is_no_name():
    docs = [
        make_doc(
            "Overlege Kari Nordmo leder arbeidet. Ifølge Nordmo blir for mange lagt inn igjen. "
            "«De beste ideene kom fra leverandørene», sier hun. Vi tror de har rett.",
            [("Kari Nordmo", "PER"), ("Nordmo", "GPE_LOC"), ("De beste ideene kom fra leverandørene", "PROD")],
            doc_id="d1",
        )
    ]
    entities = {row["canonical"]: row for row in tables_for(docs)["entities"].rows}
    assert entities["Kari Nordmo"]["mentions"] == 2 and "Nordmo" not in entities
    assert not any(name.startswith("De beste") for name in entities)
