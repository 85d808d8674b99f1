"""The boilerplate pattern library: what it removes, what it must leave alone."""

from __future__ import annotations

import click
import pytest

from diskurs.clean.patterns import load_patterns, match_line

PATTERNS = load_patterns()


@pytest.mark.parametrize(
    ("line", "name"),
    [
        ("Meldinger ved utskriftstidspunkt 3. mars 2023, kl. 09.15 CET", "print_messages_footer"),
        (
            "Det ble ikke vist noen globale meldinger eller andre viktige meldinger da dette dokumentet ble skrevet ut.",
            "print_no_messages",
        ),
        ("dette dokumentet ble skrevet ut.", "print_no_messages"),
        ("Skriv ut", "print_link"),
        ("Skriv ut artikkelen", "print_link"),
        ("Last ned som PDF", "print_link"),
        ("01.02.2023, 10:15 Anskaffelser i helse | Eksempelavisen", "browser_print_header"),
        ("https://eksempel.no/nyheter/sak-om-innkjop 2/3", "browser_print_footer"),
        ("Side 2 av 3", "page_count"),
        ("Bli den første til å kommentere på «Ny strategi for innkjøp»", "comment_invitation"),
        ("Legg inn kommentar", "comment_invitation"),
        ("12 kommentarer", "comment_invitation"),
        ("Din e-postadresse vil ikke bli publisert.", "comment_email_notice"),
        ("Påkrevde felt er merket *", "comment_required_fields"),
        (
            "Dette nettstedet bruker Akismet for å redusere spam. Lær hvordan kommentardataene dine behandles.",
            "spam_notice",
        ),
        ("Navn *", "form_field_label"),
        ("Nettsted", "form_field_label"),
        (
            "Lagre navnet mitt, e-post og nettsted i denne nettleseren til neste gang jeg kommenterer.",
            "form_remember_me",
        ),
        ("Publiser kommentar", "form_submit"),
        ("Del på Facebook", "share_buttons"),
        ("Del dette innlegget:", "share_prompt"),
        ("Del artikkelen:", "share_prompt"),
        ("Del på:", "share_prompt"),
        ("Share this:", "share_prompt"),
        ("Del", "share_buttons"),
        ("Tweet", "share_buttons"),
        ("Facebook | LinkedIn | E-post", "share_buttons"),
        ("Følg oss på LinkedIn", "follow_us"),
        ("Denne nettsiden bruker informasjonskapsler for å gi deg en best mulig opplevelse.", "cookie_banner"),
        ("Godta alle", "cookie_buttons"),
        ("Avvis", "cookie_buttons"),
        ("Hopp til hovedinnhold", "skip_link"),
        ("Til toppen", "skip_link"),
        ("Logg inn", "menu_item"),
        ("Om oss | Kontakt | Personvern", "pipe_separated_links"),
        ("Hjem › Aktuelt › Innkjøp", "breadcrumb"),
        ("Neste artikkel →", "prev_next_link"),
        ("Les også:", "related_heading"),
        ("Mest lest", "related_heading"),
        ("Meld deg på vårt nyhetsbrev", "newsletter"),
        ("Annonse", "advertisement"),
        ("Lesetid: 6 minutter", "listen_reading_time"),
        ("Var denne artikkelen nyttig?", "feedback_widget"),
        ("Publisert 3. mai 2023, oppdatert 4. mai 2023", "dateline"),
        ("© 2023 Eksempelforlaget AS", "copyright"),
        ("Copyright Eksempel kommune", "copyright"),
        ("Ansvarlig redaktør: Ola Eksempel", "editor_line"),
        ("Tlf. 22 00 00 00", "contact_line"),
        ("Postboks 10 Sentrum, 0101 Oslo", "postal_address"),
        ("Emneord: innkjøp, sykehus", "tag_list"),
        ("Foto: Ola Eksempel / NTB", "image_credit"),
        ("»", "lone_symbol"),
        ("|", "lone_symbol"),
    ],
)
def test_pattern_removes_boilerplate(line, name):
    found = match_line(line, PATTERNS)
    assert found is not None, f"no pattern matched {line!r}"
    assert found.name == name


@pytest.mark.parametrize(
    "line",
    [
        # Body text that shares words with the patterns: headings, list items, sentences.
        "Del opp anskaffelsen i faser",
        "Del 2: Erfaringer fra kommunene",
        "Skriv ut kravene før møtet, sa hun, og la dem på bordet.",
        "Les også veilederen før dere starter markedsdialogen.",
        "Kontakt med leverandørene skjedde før utlysningen.",
        "Om anskaffelsen",
        "Publisert materiale om innovative anskaffelser er fortsatt lite.",
        "Sykehuset bruker informasjonskapsler som eksempel på teknologi pasientene ikke forstår.",
        "Avtalen gjelder fra 1. januar, 2025 og fremover.",
        "Bildet: Prosjektlederen viser fram sensoren som skal testes.",
        "Ett av målene er «bedre tjenester» og «mer innovasjon» i kommunene.",
        "Innovasjon – fra behov til anskaffelse",
        "1) Oslo kommune: digital hjemmeoppfølging",
        "• Ingen ekstra registrering for sykepleierne",
        "Tidsplan",
        "Redaktøren mener at anskaffelsene tar for lang tid.",
        "Del gjerne dine erfaringer:",
        "Del 1: Behovet",
    ],
)
def test_pattern_leaves_body_text(line):
    found = match_line(line, PATTERNS)
    assert found is None, f"{line!r} was taken for boilerplate by {found.name}"


def test_print_footer_removes_the_line_after_it():
    footer = next(pattern for pattern in PATTERNS if pattern.name == "print_messages_footer")
    assert footer.and_next == 1


def test_library_entries_are_documented():
    assert len(PATTERNS) >= 30
    for pattern in PATTERNS:
        assert pattern.description, f"{pattern.name} has no description"


def test_custom_library_file(tmp_path):
    library = tmp_path / "mine.yaml"
    library.write_text(
        "patterns:\n  - name: sidefot\n    description: test\n    regex: 'sidefot.*'\n    and_next: 2\n",
        encoding="utf-8",
    )
    (pattern,) = load_patterns(library)
    assert (pattern.name, pattern.and_next, pattern.rule) == ("sidefot", 2, "pattern:sidefot")
    assert match_line("  SIDEFOT for nettstedet ", [pattern]) is pattern


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("patterns: [", "not valid YAML"),
        ("mønstre: []", "'patterns:' list"),
        ("patterns:\n  - name: x\n", "'name' and 'regex'"),
        ("patterns:\n  - name: x\n    regex: '(unclosed'\n", "invalid regular expression"),
        ("patterns:\n  - name: x\n    regex: a\n    and_next: -1\n", "and_next"),
        ("patterns:\n  - name: x\n    regex: a\n  - name: x\n    regex: b\n", "unique"),
    ],
)
def test_broken_library_names_file_and_problem(tmp_path, content, message):
    library = tmp_path / "broken.yaml"
    library.write_text(content, encoding="utf-8")
    with pytest.raises(click.UsageError, match=message) as error:
        load_patterns(library)
    assert str(library) in error.value.message


def test_missing_library_file(tmp_path):
    with pytest.raises(click.UsageError, match="pattern_file"):
        load_patterns(tmp_path / "absent.yaml")
