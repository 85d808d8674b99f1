"""normalise() on short Norwegian snippets, one rule at a time."""

from __future__ import annotations

import pytest

from diskurs.normalise import normalise
from diskurs.normalise.unwrap import estimate_wrap_width, join_pieces

# --- characters -------------------------------------------------------------------------------


def test_composes_to_nfc():
    assert normalise("Sa\u030a la\u0308nge") == "Så länge"


def test_repairs_mojibake():
    assert normalise("Ã¥ styrke nÃ¦ringslivet i SÃ¸r-Norge") == "å styrke næringslivet i Sør-Norge"
    assert normalise("Innovasjon â€“ fra behov") == "Innovasjon – fra behov"


def test_leaves_correct_norwegian_alone():
    text = "«Kjør på», sa hun. Æ, Ø og Å står sist i alfabetet: æøå."
    assert normalise(text) == text


def test_does_not_decode_html_entities_in_text():
    assert normalise("Forskning &amp; utvikling") == "Forskning &amp; utvikling"


def test_line_endings_become_lf():
    assert normalise("Første linje.\r\nAndre linje.\rTredje linje.") == ("Første linje.\nAndre linje.\nTredje linje.")


def test_paragraph_separator_becomes_blank_line():
    assert normalise("Første avsnitt.\u2029Andre avsnitt.") == "Første avsnitt.\n\nAndre avsnitt."


def test_control_characters_removed_and_tab_is_space():
    assert normalise("Rådet\x00 møttes\x07\ti\tBergen.") == "Rådet møttes i Bergen."


def test_double_quotes_unified_but_guillemets_kept():
    assert normalise("“Tillit” og „dialog‟ og «åpenhet»") == '"Tillit" og "dialog" og «åpenhet»'


def test_single_quotes_unified():
    assert normalise("‘sånn’ og ‚slik‛ og ’90-tallet") == "'sånn' og 'slik' og '90-tallet"


@pytest.mark.parametrize("dash", ["\u2014", "\u2015", "\u2012"])
def test_long_dashes_become_en_dash(dash):
    assert normalise(f"Innovasjon {dash} fra behov") == "Innovasjon – fra behov"


def test_minus_sign_becomes_dash_only_when_used_as_one():
    assert normalise("behov \u2212 løsning ved \u22125 grader") == "behov – løsning ved \u22125 grader"


def test_non_breaking_hyphen_becomes_hyphen():
    assert normalise("Helse\u2011Norge") == "Helse-Norge"


def test_soft_hyphen_removed():
    assert normalise("spesialist\u00adhelse\u00adtjenesten") == "spesialisthelsetjenesten"


def test_soft_hyphen_at_line_break_joins_word():
    assert normalise("Dette gjelder spesialist\u00ad\nhelsetjenesten.") == ("Dette gjelder spesialisthelsetjenesten.")


@pytest.mark.parametrize("space", ["\u00a0", "\u202f", "\u2007", "\u2009", "\u3000"])
def test_unicode_spaces_become_space(space):
    assert normalise(f"Per{space}Christian{space}{space}Vareide") == "Per Christian Vareide"


def test_zero_width_characters_removed():
    assert normalise("Helse\u200bOmsorg\u200d21\ufeff-rådet") == "HelseOmsorg21-rådet"


@pytest.mark.parametrize("bullet", ["•", "◦", "▪", "●", "‣", "∙", "·", "*"])
def test_bullets_unified_and_indentation_dropped(bullet):
    text = f"Temaene var:\n   {bullet} Virkemidler\n\t{bullet} Insentiver"
    assert normalise(text) == "Temaene var:\n• Virkemidler\n• Insentiver"


def test_bullet_without_space_gets_one():
    assert normalise("•Offentlig-privat samarbeid") == "• Offentlig-privat samarbeid"


def test_lone_star_is_not_a_bullet():
    assert normalise("Legg inn kommentar\n\n*\n\nNavn") == "Legg inn kommentar\n\n*\n\nNavn"


def test_star_inside_a_line_untouched():
    assert normalise("Felt merket * er påkrevd.") == "Felt merket * er påkrevd."


def test_spaces_collapsed_lines_stripped_blank_runs_collapsed():
    text = "\n\n  Tittel   her  \n\n\n\n   Første  avsnitt.   \n \n\u00a0\n\nAndre avsnitt.\n\n"
    assert normalise(text) == "Tittel her\n\nFørste avsnitt.\n\nAndre avsnitt."


def test_empty_and_blank_text():
    assert normalise("") == ""
    assert normalise(" \n\u00a0\n\t\n") == ""


# --- unwrapping -------------------------------------------------------------------------------

WRAPPED = (
    "Om lag femti personer fra små og store kommuner deltok på dialogmøtet. Deltagerne kom fra\n"
    "mange ulike fagområder innen helse og omsorg og anskaffelser i kommuner og i organisasjoner\n"
    "rundt om i landet. Møtet var det andre i rekken av møter om hjemmemarked og næringsutvikling\n"
    "og om innovative offentlige anskaffelser i helse- og omsorgssektoren, og kommunene stod i\n"
    "fokus denne gangen.\n"
    "\n"
    "Samlet inn innspill\n"
    "\n"
    "Rådet har hatt møter med en rekke interessenter der det er hentet inn innspill til temaer\n"
    "som kan være viktige å belyse. Det er fremkommet forslag som handler om rammevilkår, om\n"
    "insentiver og om en forutsigbar finansiering av nye løsninger i Norge.\n"
)


def test_wrap_width_found_in_wrapped_text():
    width = estimate_wrap_width([line for line in WRAPPED.split("\n") if line])
    assert width is not None and 85 <= width <= 95


def test_no_wrap_width_in_one_paragraph_per_line_text():
    text = ("Rådet jobber videre med innspillene fra møtet og bringer dem til premissgiverne. " * 3).strip()
    lines = [text, "Samlet inn innspill", text + " Og mer.", text[:150] + ".", text]
    assert estimate_wrap_width(lines) is None


def test_wrapped_paragraphs_rejoined_heading_kept():
    paragraphs = normalise(WRAPPED).split("\n\n")
    assert len(paragraphs) == 3
    assert paragraphs[0].startswith("Om lag femti personer") and paragraphs[0].endswith("denne gangen.")
    assert "kom fra mange ulike fagområder" in paragraphs[0]
    assert "stod i fokus denne gangen." in paragraphs[0]
    assert paragraphs[1] == "Samlet inn innspill"
    assert "om insentiver og om en forutsigbar" in paragraphs[2]


def test_wrapped_pieces_with_blank_lines_between_rejoined():
    spaced = WRAPPED.replace("\n\n", "\n\x00\n").replace("\n", "\n\n").replace("\x00", "")
    assert normalise(spaced) == normalise(WRAPPED)


def test_wrapped_line_continues_with_capitalised_name():
    text = (
        "Bildet viser Ingrid Ross, generalsekretær i Kreftforeningen og medlem av rådet, og Ole\n\n"
        "Johan Borge, direktør for helseforskning og helseinnovasjon i Forskningsrådet, som ledet\n\n"
        "møtet sammen med Riche Vestby fra Nasjonalt program for leverandørutvikling i fjor.\n\n"
        "Rådet skal arbeide videre med innspillene fra begge dialogmøtene og bruke dem i sitt\n\n"
        "videre arbeid med å bringe budskapene videre til premissgivere og beslutningstagere.\n"
    )
    paragraphs = normalise(text).split("\n\n")
    assert len(paragraphs) == 2
    assert "og Ole Johan Borge, direktør" in paragraphs[0]


def test_wrapped_quote_dash_paragraph_continues():
    text = (
        '- "Kjør på, men gjør det skikkelig. Følg anbefalingene, de er oppskrifter på å lykkes", sa\n\n'
        "Kari Nordmann, leder ved Senter for helse og teknologi ved universitetet i sitt foredrag.\n\n"
        "Hun fortalte om hvorfor det er så stor utfordring for kommunene å anskaffe og innføre ny\n\n"
        "teknologi, og om hvordan kommunene kan innovere sin egen organisasjon slik at de kan ta\n\n"
        "i bruk ny teknologi. Deretter ble tre ulike eksempler på samarbeid og partnerskap vist\n\n"
        "fra Agder, Bydel St. Hanshaugen og Larvik.\n"
    )
    paragraphs = normalise(text).split("\n\n")
    assert len(paragraphs) == 2
    assert paragraphs[0].endswith(
        ", sa Kari Nordmann, leder ved Senter for helse og teknologi ved universitetet i sitt foredrag."
    )


def test_line_ending_in_function_word_joins_lowercase_line_across_blank():
    text = "Det ble ikke vist noen meldinger da\n\ndette dokumentet ble skrevet ut."
    assert normalise(text) == "Det ble ikke vist noen meldinger da dette dokumentet ble skrevet ut."


def test_lowercase_continuation_on_next_line_joined():
    text = "Innkjøp og anskaffelser er viktige for å stimulere til innovasjon\nog bærekraft i helsetjenesten."
    assert normalise(text) == text.replace("\n", " ")


@pytest.mark.parametrize(
    "text",
    [
        "Innovative offentlige anskaffelser\n\nrådet har vedtatt å jobbe med fem områder.",
        "Samlet inn innspill\nrådet har hatt møter med mange.",
        "Helse Vest RHF blir ny partner i Leverandørutviklingsprogrammet\nav Inger Flattum",
        "Rådet arbeider med innspillene.\n\nnye møter kommer til høsten.",
    ],
)
def test_heading_byline_and_finished_sentence_not_joined(text):
    assert normalise(text) == text


def test_list_items_neither_joined_into_nor_out_of():
    text = (
        "Deretter ble fire prosjekter presentert for deltagerne i dialogmøtet og diskutert i\n"
        "1) Oslo universitetssykehus - kontrolltårn for planlegging av operasjoner\n"
        "2) Sykehuset Østfold - digital hjemmeoppfølging\n"
        "• Virkemidler og insentiver for innovasjon i offentlig og privat sektor\n"
        "kunnskap om insentiver\n"
        "- Offentlig-privat samarbeid\n"
        "a) sammen med næringslivet"
    )
    assert normalise(text) == text


def test_url_lines_stay_alone():
    text = (
        "Les mer om dialogmøtene og om arbeidet med innovative anskaffelser på\n"
        "https://www.example.no/nyheter/dialogmote/\n"
        "www.example.no/nyheter/anskaffelser"
    )
    assert normalise(text) == text


def test_unwrapped_paragraphs_without_final_punctuation_stay_apart():
    text = (
        "Rådet har gjennomført møter med en rekke interessenter om innovative anskaffelser\n\n"
        "Planen er å gjennomføre tre dialogmøter med en rekke interessenter i år"
    )
    assert normalise(text) == text


# --- line-end hyphenation ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Det gjelder hele helse-\ntjenesten i kommunen.", "Det gjelder hele helsetjenesten i kommunen."),
        ("Det gjelder hele helse-\nog omsorgstjenesten.", "Det gjelder hele helse- og omsorgstjenesten."),
        ("Om forsknings-\neller innovasjonsprosjekter.", "Om forsknings- eller innovasjonsprosjekter."),
        ("Møtet i HelseOmsorg21-\nrådet var nyttig.", "Møtet i HelseOmsorg21-rådet var nyttig."),
        ("Sykehuset i Nord-\nNorge deltok.", "Sykehuset i Nord-Norge deltok."),
        ("Sykehusene i Oslo-\nregionen deltok.", "Sykehusene i Oslo-regionen deltok."),
        ("Dette gjelder e-\nhelse i kommunene.", "Dette gjelder e-helse i kommunene."),
        ("Pandemien med covid-\n19 forsinket arbeidet.", "Pandemien med covid-19 forsinket arbeidet."),
    ],
)
def test_line_end_hyphenation(text, expected):
    assert normalise(text) == expected


def test_hyphen_inside_a_line_untouched():
    text = "Helse- og omsorgsdepartementet og kommentar-data."
    assert normalise(text) == text


def test_join_pieces_plain_join_adds_space():
    assert join_pieces("dialog og", "tillit") == "dialog og tillit"


def test_long_title_before_blank_line_stays_apart_in_tightly_wrapped_text():
    # Wrapped pieces follow each other directly here, so a blank line is a real break.
    body = (
        "Helse Nordvik HF og fire kommuner har inngått et innovasjonspartnerskap med\n"
        "to leverandører for å utvikle en løsning for digital oppfølging av pasienter\n"
        "etter utskrivning, og målet er færre reinnleggelser og bedre samhandling med\n"
        "kommunene, som skal ta imot pasientene når de kommer hjem fra sykehuset igjen\n"
        "etter endt behandling."
    )
    title = "Innovasjonspartnerskap skal gi tryggere utskrivning fra sykehus"
    assert normalise(f"{title}\n\n{body}").split("\n\n")[0] == title


def test_standalone_lines_are_never_joined():
    text = "Referat fra dialogmøte om digital hjemmeoppfølging i kommunen\nav Ola Fjellheim\nog andre"
    out = normalise(text, standalone=lambda line: line.startswith("av "))
    assert out.split("\n") == [
        "Referat fra dialogmøte om digital hjemmeoppfølging i kommunen",
        "av Ola Fjellheim",
        "og andre",
    ]
