"""Metadata lines: Norwegian bylines, URL lists and print timestamps."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from diskurs.cli import main
from diskurs.ingest.metadata import MetadataLine, classify_metadata_line, extract_metadata, parse_date
from diskurs.ingest.stage import run_ingest
from diskurs.io import read_csv, read_jsonl
from diskurs.layout import Layout


@pytest.mark.parametrize(
    ("line", "authors", "published"),
    [
        ("AV KARI NORDMANN PUBLISERT 19. OKT. 2021", ("Kari Nordmann",), "2021-10-19"),
        ("AV ANNE-LISE DAHL BERG PUBLISERT 2. DES. 2020", ("Anne-Lise Dahl Berg",), "2020-12-02"),
        ("av Ola Fjellheim Dahl", ("Ola Fjellheim Dahl",), None),
        (
            "Av Kari Nordmann, seniorrådgiver i Sykehusinnkjøp HF",
            ("Kari Nordmann, seniorrådgiver i Sykehusinnkjøp HF",),
            None,
        ),
        (
            "Av Per Olav Hansen og Siri Vik, begge rådgivere i LUP",
            ("Per Olav Hansen, rådgivere i LUP", "Siri Vik, rådgivere i LUP"),
            None,
        ),
        ("Publisert 3. mars 2022", (), "2022-03-03"),
        ("Publisert: 04.05.2023 kl. 10:15 | Sist oppdatert: 06.05.2023", (), "2023-05-04"),
        ("Publisert 7. sept. 2021 av Trine Lie", ("Trine Lie",), "2021-09-07"),
        ("Tekst: Jon Å. Moe", ("Jon Å. Moe",), None),
        ("Tekst og foto: Randi Øien Strand", ("Randi Øien Strand",), None),
        ("Tekst: Ola Dahl Foto: Kari Holm", ("Ola Dahl",), None),
        ("Skrevet av Mona Bakke 12. januar 2024", ("Mona Bakke",), "2024-01-12"),
    ],
)
def test_bylines(line, authors, published):
    assert classify_metadata_line(line) == MetadataLine(kind="byline", authors=authors, published=published)


@pytest.mark.parametrize(
    "line",
    [
        "Av de 50 deltagerne var 30 kvinner.",
        "av og til går det galt med anskaffelsene",
        "Av Helse Vest, ble det sagt, var dette viktig.",
        "Av Kari Nordmanns forslag ble tre valgt ut.",
        "Av alle tiltakene er dialog det viktigste.",
        "Publisert i fjor, men fortsatt aktuell.",
        "Tekst: se vedlegget for detaljer",
        "Skrevet av en gruppe fagfolk fra sykehusene",
        "Møtet ble holdt 14. juli 2024, kl. 16.05 i Oslo.",
        "Se https://example.no for mer informasjon.",
        "Av 120 søknader fikk 14 støtte i 2021.",
        "",
    ],
)
def test_body_sentences_are_not_metadata(line):
    assert classify_metadata_line(line) is None


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("https://helse.example/nyheter/a/", ("https://helse.example/nyheter/a/",)),
        ("https://helse.example/a  https://helse.example/b", ("https://helse.example/a", "https://helse.example/b")),
        ("www.helse.example/dialog", ("www.helse.example/dialog",)),
        ("https://helse.example/nyheter/a/ 1/3", ("https://helse.example/nyheter/a/",)),
    ],
)
def test_url_lines(line, expected):
    assert classify_metadata_line(line) == MetadataLine(kind="url", urls=expected)


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("Meldinger ved utskriftstidspunkt 14. juli 2024, kl. 16.05 CEST", "2024-07-14T16:05:00+02:00"),
        ("Meldinger ved utskriftstidspunkt 3. februar 2023, kl. 09.30 CET", "2023-02-03T09:30:00+01:00"),
        # Without a zone name the time is Norwegian local time, summer or winter.
        ("Meldinger ved utskriftstidspunkt 3. februar 2023 kl. 9:30", "2023-02-03T09:30:00+01:00"),
        ("14.07.2024, 16:05  Dialogmøte om anskaffelser – Helsenytt", "2024-07-14T16:05:00+02:00"),
        ("7/14/24, 4:05 PM Dialogmøte om anskaffelser", "2024-07-14T16:05:00+02:00"),
    ],
)
def test_print_timestamps(line, expected):
    assert classify_metadata_line(line) == MetadataLine(kind="printed_at", printed_at=expected)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1. jan. 2020", "2020-01-01"),
        ("29. feb 2024", "2024-02-29"),
        ("5. MAI 2022", "2022-05-05"),
        ("30. juni 2021", "2021-06-30"),
        ("2. aug. 2019", "2019-08-02"),
        ("11. sep. 2018", "2018-09-11"),
        ("9. nov. 2017", "2017-11-09"),
        ("31. apr. 2020", None),
        ("19.10.2021", "2021-10-19"),
    ],
)
def test_parse_norwegian_dates(text, expected):
    assert parse_date(text) == expected


def test_extract_metadata_from_a_snippet():
    text = (
        "14.03.2023, 10:12  Ny avtale om digital hjemmeoppfølging\n"
        "# Ny avtale om digital hjemmeoppfølging\n\n"
        "Av Siri Vik, kommunikasjonsrådgiver i Helse Nord\n\n"
        "Av de 50 deltagerne på møtet var 30 fra kommunene.\n\n"
        "PUBLISERT 2. MARS 2023\n\n"
        "https://helse.example/a https://helse.example/b\n"
        "https://helse.example/a 1/2\n"
    )
    assert extract_metadata(text) == {
        "title": "Ny avtale om digital hjemmeoppfølging",
        "published": "2023-03-02",
        "authors": ["Siri Vik, kommunikasjonsrådgiver i Helse Nord"],
        "urls": ["https://helse.example/a", "https://helse.example/b"],
        "printed_at": "2023-03-14T10:12:00+01:00",
    }


def test_extract_metadata_without_metadata():
    text = "Innkjøp i kommunene\n\nKommunene samarbeider om innkjøp av velferdsteknologi."
    assert extract_metadata(text) == {
        "title": "Innkjøp i kommunene",
        "published": None,
        "authors": [],
        "urls": [],
        "printed_at": None,
    }


# What the shared corpus's metadata lines say, read by hand from the files.
SHARED_EXPECTED = {
    "000_214d778db5e47e38.txt": ([], None, [], "2024-07-14T16:05:00+02:00"),
    "001_b761725451472289.txt": ([], None, [], None),
    "002_b66a37d123b4e08b.txt": (
        ["Hege Strand Mikkelsen"],
        "2021-10-19",
        [
            "https://www.helseomsorg21.no/nyheter/dialog-gjensidig-respekt-og-apenhet-i-samarbeid/",
            "https://www.helseomsorg21.no/nyheter/digitalt-dialogmote-om-anskaffelser-og-innovasjon/",
        ],
        "2025-04-30T19:06:00+02:00",
    ),
    "003_91790467cfe525a4.txt": ([], None, [], "2024-07-14T15:21:00+02:00"),
    "004_6c4cab7fbfa73299.txt": (["Inger Schedell Flattum"], None, [], None),
}
# Lines per file that are metadata: every other line is body or other debris.
SHARED_METADATA_LINES = {"000": 1, "001": 0, "002": 5, "003": 1, "004": 1}


def test_shared_corpus_metadata_lines(shared_corpus):
    for name, (authors, published, urls, printed_at) in SHARED_EXPECTED.items():
        found = extract_metadata((shared_corpus / name).read_text(encoding="utf-8"))
        assert (found["authors"], found["published"], found["urls"], found["printed_at"]) == (
            authors,
            published,
            urls,
            printed_at,
        ), name


def test_shared_corpus_body_lines_are_not_metadata(shared_corpus):
    for path in sorted(shared_corpus.glob("*.txt")):
        lines = path.read_text(encoding="utf-8").splitlines()
        matched = [line for line in lines if classify_metadata_line(line)]
        assert len(matched) == SHARED_METADATA_LINES[path.name[:3]], (path.name, matched)


def test_shared_corpus_ingested_records(shared_corpus, tmp_path):
    params = {
        "ingest": {"extensions": [".txt"], "near_duplicate_threshold": 0.8, "shingle_size": 5},
        "compute": {"engine": "local", "address": None, "workers": 1},
    }
    layout = Layout(tmp_path)
    summary = run_ingest(shared_corpus, layout, params)
    assert summary.counts["ok"] == len(SHARED_EXPECTED)
    records = {record["source"]: record for record in read_jsonl(layout.documents)}
    assert set(records) == set(SHARED_EXPECTED)
    for name, (authors, published, urls, printed_at) in SHARED_EXPECTED.items():
        record = records[name]
        assert (record["authors"], record["published"], record["urls"], record["printed_at"]) == (
            authors,
            published,
            urls,
            printed_at,
        ), name
        assert record["encoding"] == "utf-8"
    assert records["004_6c4cab7fbfa73299.txt"]["title"] == "Helse Vest RHF ny partner i LUP!"
    assert records["002_b66a37d123b4e08b.txt"]["title"].startswith("Innovasjon og gode anskaffelser")


def test_a_byline_affiliation_reaches_the_entities_and_people_tables(tmp_path):
    """ "Av Kari Nordvik, seniorrådgiver i KS": KS is an actor, and her role and organisation known."""
    folder = tmp_path / "tekster"
    folder.mkdir()
    (folder / "kronikk.txt").write_text(
        "Kommunene må kjøpe smartere\n\n"
        "Av Kari Nordvik, seniorrådgiver i KS\n\n"
        "Kommunene i Nordland bruker for lite av handlingsrommet i anskaffelsesregelverket. "
        "Flere innkjøpere sier at de mangler tid til markedsdialog med leverandørene.\n\n"
        "Innovative anskaffelser krever at ledelsen prioriterer arbeidet over flere år.\n",
        encoding="utf-8",
    )
    out = tmp_path / "ut"
    params = str(Path(__file__).resolve().parents[1] / "params.yaml")
    runner = CliRunner()
    result = runner.invoke(main, ["ingest", "--input", str(folder), "--root", str(out), "--params", params])
    assert result.exit_code == 0, result.output
    for stage in ("clean", "annotate", "entities"):
        result = runner.invoke(main, [stage, "--root", str(out), "--params", params])
        assert result.exit_code == 0, result.output
    entities = {row["canonical"]: row for row in read_csv(out / "reports" / "entities" / "entities.csv")}
    assert "KS" in entities and entities["KS"]["label"] == "ORG"
    people = [row for row in read_csv(out / "reports" / "entities" / "people.csv") if row["person"] == "Kari Nordvik"]
    assert [(row["role"], row["organisation"]) for row in people] == [("seniorrådgiver", "KS")]
