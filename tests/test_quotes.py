"""Quote attribution on short Norwegian snippets written for these tests (fictional people)."""

from __future__ import annotations

import pytest
import spacy
from spacy.tokens import Span

from diskurs.annotate.pipeline import PARAGRAPHS
from diskurs.frames.quotes import Person, PersonIndex, find_quotes, resolve_speaker


@pytest.fixture(scope="module")
def nlp():
    nlp = spacy.blank("nb")
    nlp.add_pipe(PARAGRAPHS)
    nlp.add_pipe("sentencizer")
    return nlp


def speakers(nlp, text: str) -> list[str]:
    return [quote.speaker.name for quote in find_quotes(nlp(text))]


@pytest.mark.parametrize(
    "text, speaker",
    [
        ("Vi må tenke nytt om innkjøp, sier Kari Nordmann.", "Kari Nordmann"),
        ("«Dette er en viktig dag», sa Ola Hansen.", "Ola Hansen"),
        ('"Vi trenger mer dialog", mener seksjonsleder Siri Bakke.', "Siri Bakke"),
        ("Markedet er modent, forteller Lise Dahl, innkjøpssjef i Helse Midt.", "Lise Dahl"),
        ("Det er avgjørende å involvere brukerne, understreker Anders Lie.", "Anders Lie"),
        ("– Regelverket er ikke problemet, påpeker Nils Ek.", "Nils Ek"),
        ("Ifølge Mona Berg er risikoen liten.", "Mona Berg"),
    ],
)
def test_each_attribution_shape_names_the_speaker(nlp, text, speaker):
    assert speakers(nlp, text) == [speaker]


def test_role_and_organisation_come_from_the_apposition_and_the_title(nlp):
    (quote,) = find_quotes(nlp("Vi satser på partnerskap, sier Lise Dahl, innkjøpssjef i Helse Midt."))
    assert quote.speaker == Person("Lise Dahl", "innkjøpssjef", "Helse Midt")
    assert quote.text == "Vi satser på partnerskap"
    (quote,) = find_quotes(nlp("Dette tar tid, sier avdelingsdirektør Per Olsen."))
    assert quote.speaker == Person("Per Olsen", "avdelingsdirektør", "")


def test_dash_led_quote_runs_from_the_paragraph_start_and_on_after_the_attribution(nlp):
    text = (
        "– Vi har lært mye. Nå må vi dele erfaringene, sier Kari Nordmann, leder i Testkommunen. "
        "Neste år prøver vi igjen.\n\nInnkjøpet ble avsluttet i mai."
    )
    (quote,) = find_quotes(nlp(text))
    assert quote.speaker.name == "Kari Nordmann"
    assert quote.text.startswith("Vi har lært mye.")
    assert quote.text.endswith("Neste år prøver vi igjen.")
    assert "Innkjøpet" not in quote.text
    assert quote.sentence_ids == [0, 1, 2]


def test_a_dash_led_paragraph_after_a_quote_continues_it(nlp):
    text = "– Det går bra, sier Ola Hansen.\n\n– Vi er fornøyde med leverandøren.\n\nMøtet varte i to timer."
    quotes = find_quotes(nlp(text))
    assert [q.speaker.name for q in quotes] == ["Ola Hansen", "Ola Hansen"]
    assert quotes[1].text == "Vi er fornøyde med leverandøren."


def test_quote_marks_end_the_quote_before_reported_speech(nlp):
    text = (
        '– "Gjør det skikkelig", sa Siri Bakke, leder ved Senter for helse i sitt innlegg. Hun fortalte om kommunene.'
    )
    (quote,) = find_quotes(nlp(text))
    assert quote.text == "Gjør det skikkelig"
    assert quote.speaker == Person("Siri Bakke", "leder", "Senter for helse")


def test_pronoun_and_surname_point_back_to_the_speaker(nlp):
    text = "Vi er klare, sier Ola Hansen.\n\nDet tar tid, sa han.\n\nDet blir bra, sier Hansen."
    assert speakers(nlp, text) == ["Ola Hansen", "Ola Hansen", "Ola Hansen"]


@pytest.mark.parametrize(
    "text",
    [
        "Møtet ble ledet av Kari Nordmann fra Testkommunen.",
        "Ola Hansen innledet med temaet: «Hvorfor er innkjøp så vanskelig?»",
        "av Lise Dahl",
        "AV LISE DAHL PUBLISERT 1. MAI 2021",
        "Bildet: Siri Bakke (foto: Nils Ek).",
        "Rådet sier at innkjøp er viktig.",
        "Målet er «et bærekraftig hjemmemarked», heter det.",
    ],
)
def test_people_who_are_only_named_are_not_speakers(nlp, text):
    assert speakers(nlp, text) == []


def test_an_organisation_after_the_verb_is_not_a_speaker(nlp):
    doc = nlp("Dette er riktig, sier Helse Midt.")
    doc.ents = [Span(doc, 5, 7, label="ORG")]
    assert find_quotes(doc) == []


def test_speaker_resolves_to_canonical_person_by_full_name_or_unique_surname():
    people = PersonIndex.from_rows(
        [
            {"person": "Kari Nordmann", "role": "", "organisation": ""},
            {"person": "Kari Nordmann", "role": "direktør", "organisation": "Helse Midt"},
            {"person": "Ola Hansen", "role": "leder", "organisation": "KS"},
            {"person": "Per Hansen", "role": "rådgiver", "organisation": "DFØ"},
        ]
    )
    assert resolve_speaker(Person("kari  nordmann"), people) == Person("Kari Nordmann", "direktør", "Helse Midt")
    assert resolve_speaker(Person("Nordmann"), people).name == "Kari Nordmann"
    # Two people share the surname: the text's own name is kept rather than guessing.
    assert resolve_speaker(Person("Hansen", "sjef"), people) == Person("Hansen", "sjef")
    assert resolve_speaker(Person("Ukjent Person", "sjef", "X"), people) == Person("Ukjent Person", "sjef", "X")


def with_people(nlp, text: str, *names: str):
    """The Doc of ``text`` with each of ``names`` marked as a person, as the recogniser would."""
    doc = nlp(text)
    spans = []
    for name in names:
        start = doc.text.index(name)
        spans.append(doc.char_span(start, start + len(name), label="PER"))
    doc.ents = spans
    return doc


@pytest.mark.parametrize(
    "text, names, speaker, statement",
    [
        ("Kari Nordmann mener at markedet er modent.", ["Kari Nordmann"], "Kari Nordmann", "Markedet er modent."),
        (
            "Innkjøpsrådgiver Ola Hansen i helseforetaket forteller at regelverket er krevende.",
            ["Ola Hansen"],
            "Ola Hansen",
            "Regelverket er krevende.",
        ),
        (
            "Siri Bakke, leder i Helse Midt, peker på at brukerne må med fra start.",
            ["Siri Bakke"],
            "Siri Bakke",
            "Brukerne må med fra start.",
        ),
        ("Ifølge Mona Berg er risikoen liten.", ["Mona Berg"], "Mona Berg", "Ifølge Mona Berg er risikoen liten."),
    ],
)
def test_indirect_speech_is_attributed_and_marked_indirect(nlp, text, names, speaker, statement):
    (quote,) = find_quotes(with_people(nlp, text, *names))
    assert (quote.speaker.name, quote.text, quote.kind) == (speaker, statement, "indirect")


def test_indirect_speech_after_a_quote_points_back_and_bodies_do_not_speak(nlp):
    doc = with_people(
        nlp,
        "«Vi må tørre å beskrive behovet», sier Kari Nordmann.\n\nHun sa at dialogen kom for sent. "
        "Rådet mener at flere bør delta.",
        "Kari Nordmann",
    )
    direct, indirect = find_quotes(doc)
    assert direct.kind == "direct" and direct.text == "Vi må tørre å beskrive behovet"
    assert (indirect.speaker.name, indirect.text, indirect.kind) == (
        "Kari Nordmann",
        "Dialogen kom for sent.",
        "indirect",
    )


def test_a_lone_surname_typed_as_a_place_is_still_the_person_named_before(nlp):
    doc = nlp("Kari Nordmo leder prosjektet.\n\nIfølge Nordmo er ventetiden for lang.")
    doc.ents = [Span(doc, 0, 2, label="PER"), Span(doc, 8, 9, label="GPE_LOC")]
    (quote,) = find_quotes(doc)
    assert (quote.speaker.name, quote.kind) == ("Kari Nordmo", "indirect")
