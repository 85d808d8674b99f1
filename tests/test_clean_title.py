"""The document's title where the printed text repeats it."""

from __future__ import annotations

from diskurs.clean.cleaner import CleanSettings, clean_text
from diskurs.clean.patterns import load_patterns
from diskurs.clean.title import is_title_line, split_title_prefix

TITLE = "Kommunen tester ny løsning for digital hjemmeoppfølging"


def test_title_line_ignores_case_and_spacing():
    assert is_title_line("  Kommunen  tester ny løsning for DIGITAL hjemmeoppfølging ", TITLE)
    assert not is_title_line("Kommunen tester ny løsning", TITLE)
    assert not is_title_line("Kommunen tester", None)


def test_site_prefix_and_title_glued_to_the_caption_are_split_off():
    # The printed title differs in one word from the record's, as print artefacts do.
    line = "Eksempelavisen: Kommunen tester nye løsninger for digital hjemmeoppfølgingKari Eksempel leder prosjektet (foto: Ola Eksempel)."
    removed, kept = split_title_prefix(line, TITLE)
    assert removed == "Eksempelavisen: Kommunen tester nye løsninger for digital hjemmeoppfølging"
    assert kept == "Kari Eksempel leder prosjektet (foto: Ola Eksempel)."


def test_prefix_with_title_alone():
    assert split_title_prefix(f"Eksempelavisen: {TITLE}", TITLE) == (f"Eksempelavisen: {TITLE}", "")


def test_other_lines_with_a_colon_are_not_split():
    assert (
        split_title_prefix("Tidsplan: markedsdialog i mai, utlysning i september og kontrakt før jul.", TITLE) is None
    )
    assert split_title_prefix("Kari Eksempel: Vi må tørre å prøve nye løsninger for hjemmetjenesten.", TITLE) is None
    assert split_title_prefix(f"Eksempelavisen: {TITLE}", None) is None


def test_headline_replaces_a_title_that_is_boilerplate():
    text = "\n".join(
        [
            "Hopp til innhold",
            "Nyheter Debatt Kronikk Om oss",
            "Kronikk: Leverandørene må inn tidligere",
            "av Trond Eidsvåg, daglig leder i Fjordsensor AS",
            "Helseforetakene bør invitere leverandørene til dialog før behovet er skrevet ned.",
        ]
    )
    cleaned = clean_text(text, "Hopp til innhold", CleanSettings(patterns=load_patterns()))
    assert cleaned.title == "Kronikk: Leverandørene må inn tidligere"
    assert "Kronikk: Leverandørene må inn tidligere" not in cleaned.paragraphs


def test_a_proper_title_is_kept():
    text = "Små kommuner går sammen\nSju kommuner har ansatt en felles innkjøper for velferdsteknologi."
    assert (
        clean_text(text, "Små kommuner går sammen", CleanSettings(patterns=load_patterns())).title
        == "Små kommuner går sammen"
    )
