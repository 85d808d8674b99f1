"""The ingest stage end to end on folders of small Norwegian files written here."""

from __future__ import annotations

import codecs
import hashlib
import json
import os

import click
import docx
import pytest
from click.testing import CliRunner
from fpdf import FPDF

from diskurs.cli import main
from diskurs.ingest.dedup import Deduplicator, shingles
from diskurs.ingest.stage import MANIFEST_COLUMNS, run_ingest
from diskurs.io import read_csv, read_jsonl
from diskurs.layout import Layout

PARAMS = {
    "ingest": {
        "extensions": [".txt", ".md", ".html", ".htm", ".pdf", ".docx"],
        "near_duplicate_threshold": 0.8,
        "shingle_size": 5,
    },
    # Ingest reads on a cluster when compute.engine says so; these tests read here.
    "compute": {"engine": "local", "address": None, "workers": 1},
}
RECORD_KEYS = [
    "doc_id",
    "source",
    "format",
    "encoding",
    "title",
    "published",
    "authors",
    "urls",
    "printed_at",
    "fields",
    "text",
]

# A fictional article, long enough that one changed sentence leaves it a near-duplicate.
ARTICLE = """Kommunene tester velferdsteknologi sammen

AV KARI NORDMANN PUBLISERT 3. MARS 2022

Fire kommuner på Helgeland har gått sammen om en innovativ anskaffelse av digitalt tilsyn i hjemmetjenesten. Målet er at eldre skal kunne bo trygt hjemme lenger, og at de ansatte skal bruke mindre tid på å kjøre mellom pasientene.

Før konkurransen ble kunngjort, inviterte kommunene leverandørene til et åpent dialogmøte i Mosjøen. Der la sykepleiere og pårørende fram behovene sine, og leverandørene fikk stille spørsmål om alt fra personvern til opplæring av de ansatte.

Prosjektleder Ola Dahl sier at dialogen var avgjørende for resultatet. Leverandørene fikk forstå hva som faktisk trengs i en travel hverdag, og kommunene lærte mye om hva markedet kan tilby allerede i dag.

Erfaringene skal deles med andre kommuner gjennom nasjonalt program for leverandørutvikling, slik at flere kan ta i bruk samme metode når de skal kjøpe inn ny teknologi til helse- og omsorgstjenestene.
"""
NEAR_COPY = ARTICLE.replace("Mosjøen", "Sandnessjøen")
OTHER = """Sykehuset vurderer nye løsninger for logistikk

Sykehusinnkjøp har startet en markedsdialog om automatisert varetransport mellom lageret og sengepostene. Flere leverandører har allerede vist interesse for oppdraget.
"""


def _ingest(folder, out, params=PARAMS):
    layout = Layout(out)
    summary = run_ingest(folder, layout, params)
    records = list(read_jsonl(layout.documents))
    rows = {row["source"]: row for row in read_csv(layout.ingest_manifest)}
    return summary, records, rows


def _pdf(path, text):
    pdf = FPDF()
    pdf.set_title("Innovasjon i sykehusene")
    pdf.add_page()
    pdf.set_font("helvetica", size=12)
    pdf.multi_cell(0, 8, text)
    pdf.output(str(path))


@pytest.fixture
def mixed_folder(tmp_path):
    """Every supported format and encoding, plus every kind of problem file."""
    folder = tmp_path / "innhold"
    (folder / "tekst").mkdir(parents=True)
    (folder / "tekst" / "utf8.txt").write_text(ARTICLE, encoding="utf-8")
    (folder / "tekst" / "bom.txt").write_bytes(codecs.BOM_UTF8 + OTHER.encode("utf-8"))
    (folder / "tekst" / "utf16.txt").write_bytes(
        codecs.BOM_UTF16_LE + "Bærum kommune kjøper inn smarte medisindispensere.\n".encode("utf-16-le")
    )
    (folder / "tekst" / "utf16be.md").write_bytes(
        codecs.BOM_UTF16_BE + "# Økt kompetanse\n\nRådet møttes på Gjøvik.\n".encode("utf-16-be")
    )
    (folder / "tekst" / "windows.txt").write_bytes("Innkjøpssjefen i Ålesund sier «ja» – igjen.\n".encode("cp1252"))
    (folder / "tekst" / "latin1.txt").write_bytes("Sjøsyke pasienter på Færder får hjelp.\n".encode("latin-1"))
    (folder / "side.htm").write_text(
        "<html><head><title>Dialogmøte om sykehjem</title></head><body><article>"
        "<p>Kommunene i Trøndelag inviterer leverandører til dialogmøte om fremtidens sykehjem. "
        "Møtet holdes på Stjørdal, og alle som ønsker å bidra med løsninger er velkomne.</p>"
        "</article></body></html>",
        encoding="utf-8",
    )
    _pdf(folder / "rapport.pdf", "Sykehusene i Nord-Norge får økt støtte til innovative anskaffelser.")
    document = docx.Document()
    document.add_heading("Søknad om midler", level=1)
    document.add_paragraph("Vi søker støtte til et forprosjekt om innovative anskaffelser i Bø.")
    document.save(folder / "søknad.docx")
    (folder / "vedlegg").mkdir()
    (folder / "vedlegg" / "utf8-kopi.txt").write_text(ARTICLE, encoding="utf-8")
    (folder / "vedlegg" / "nesten.txt").write_text(NEAR_COPY, encoding="utf-8")
    (folder / "regneark.xlsx").write_bytes(b"PK\x03\x04 spreadsheet")
    (folder / "tom.txt").write_bytes(b"")
    (folder / "blank.md").write_text(" \n\n\t \n", encoding="utf-8")
    (folder / "søppel.txt").write_bytes(bytes(range(256)) * 4)
    (folder / "støy.txt").write_bytes(bytes(range(1, 256)) * 4)
    (folder / "ødelagt.docx").write_bytes(b"not a zip archive")
    (folder / "ødelagt.pdf").write_bytes(b"%PDF-1.4\n1 0 obj << >> endobj\nnonsense")
    (folder / ".skjult.txt").write_text("Skjult notat om innkjøp.", encoding="utf-8")
    (folder / "tom.html").write_text(
        "<html><head><title>Laster</title><script>start()</script></head><body><div id='app'></div></body></html>",
        encoding="utf-8",
    )
    return folder


def test_every_format_and_encoding(mixed_folder, tmp_path):
    summary, records, rows = _ingest(mixed_folder, tmp_path / "ut")
    by_source = {record["source"]: record for record in records}
    expected = {
        "tekst/utf8.txt": ("txt", "utf-8", "Mosjøen"),
        "tekst/bom.txt": ("txt", "utf-8-sig", "Sykehusinnkjøp"),
        "tekst/utf16.txt": ("txt", "utf-16", "Bærum kommune kjøper"),
        "tekst/utf16be.md": ("md", "utf-16", "Rådet møttes på Gjøvik."),
        "tekst/windows.txt": ("txt", "cp1252", "Ålesund sier «ja» – igjen."),
        "tekst/latin1.txt": ("txt", "cp1252", "Sjøsyke pasienter på Færder"),
        "side.htm": ("html", "utf-8", "inviterer leverandører til dialogmøte"),
        "rapport.pdf": ("pdf", None, "Nord-Norge får økt støtte"),
        "søknad.docx": ("docx", None, "forprosjekt om innovative anskaffelser i Bø."),
    }
    for source, (fmt, encoding, phrase) in expected.items():
        record = by_source[source]
        assert (record["format"], record["encoding"]) == (fmt, encoding), source
        assert phrase in record["text"], source
        assert rows[source]["status"] == "ok", source
        assert int(rows[source]["chars_out"]) == len(record["text"])
    assert by_source["tekst/utf16be.md"]["title"] == "Økt kompetanse"
    assert by_source["side.htm"]["title"] == "Dialogmøte om sykehjem"
    assert by_source["rapport.pdf"]["title"] == "Innovasjon i sykehusene"
    assert by_source["søknad.docx"]["title"] == "Søknad om midler"
    assert summary.counts["ok"] == len(expected)
    assert summary.documents == len(records) == len(expected) + 1  # plus the near-duplicate


def test_records_have_the_contracted_shape(mixed_folder, tmp_path):
    _, records, rows = _ingest(mixed_folder, tmp_path / "ut")
    assert [list(record) for record in records] == [RECORD_KEYS] * len(records)
    assert [record["source"] for record in records] == sorted(record["source"] for record in records)
    assert list(rows) == sorted(rows)
    for record in records:
        assert record["doc_id"] == hashlib.sha256(record["text"].encode("utf-8")).hexdigest()[:16]
    article = next(record for record in records if record["source"] == "tekst/utf8.txt")
    assert article["title"] == "Kommunene tester velferdsteknologi sammen"
    assert article["authors"] == ["Kari Nordmann"]
    assert article["published"] == "2022-03-03"
    # The byline stays in the text: the clean stage removes it and audits the removal.
    assert "AV KARI NORDMANN" in article["text"]


def test_problem_files_get_manifest_rows(mixed_folder, tmp_path):
    _, records, rows = _ingest(mixed_folder, tmp_path / "ut")
    written = {record["source"] for record in records}
    expected_status = {
        "vedlegg/utf8-kopi.txt": "duplicate",
        "vedlegg/nesten.txt": "near_duplicate",
        "regneark.xlsx": "unsupported",
        "tom.txt": "empty",
        "blank.md": "empty",
        "søppel.txt": "unreadable",
        "støy.txt": "unreadable",
        "ødelagt.docx": "unreadable",
        "ødelagt.pdf": "unreadable",
        ".skjult.txt": "unsupported",
        "tom.html": "no_content",
    }
    for source, status in expected_status.items():
        assert rows[source]["status"] == status, (source, rows[source])
    assert rows["vedlegg/utf8-kopi.txt"]["reason"] == "same text as tekst/utf8.txt"
    assert rows["vedlegg/utf8-kopi.txt"]["doc_id"] == rows["tekst/utf8.txt"]["doc_id"]
    assert "vedlegg/utf8-kopi.txt" not in written
    assert "vedlegg/nesten.txt" in written
    assert rows["vedlegg/nesten.txt"]["reason"].startswith("near-duplicate of tekst/utf8.txt")
    assert "regneark.xlsx" not in written and ".xlsx" in rows["regneark.xlsx"]["reason"]
    assert "binary" in rows["søppel.txt"]["reason"]
    assert "binary" in rows["støy.txt"]["reason"]
    assert "Word" in rows["ødelagt.docx"]["reason"]
    assert "PDF" in rows["ødelagt.pdf"]["reason"]
    assert "hidden" in rows[".skjult.txt"]["reason"]
    assert list(next(iter(rows.values()))) == list(MANIFEST_COLUMNS)
    assert len(rows) == len(list(p for p in mixed_folder.rglob("*") if p.is_file()))


def test_output_is_identical_across_runs(mixed_folder, tmp_path):
    _ingest(mixed_folder, tmp_path / "a")
    _ingest(mixed_folder, tmp_path / "b")
    for relative in ("corpus/interim/documents.jsonl", "corpus/interim/manifest.csv"):
        assert (tmp_path / "a" / relative).read_bytes() == (tmp_path / "b" / relative).read_bytes()


def test_near_duplicate_threshold_comes_from_params(mixed_folder, tmp_path):
    strict = {**PARAMS, "ingest": {**PARAMS["ingest"], "near_duplicate_threshold": 1.0}}
    _, _, rows = _ingest(mixed_folder, tmp_path / "ut", strict)
    assert rows["vedlegg/nesten.txt"]["status"] == "ok"


def test_deduplicator_scores_shingle_overlap():
    dedup = Deduplicator(threshold=0.8, shingle_size=5)
    assert dedup.near("a.txt", dedup.signature(ARTICLE)) is None
    near = dedup.near("b.txt", dedup.signature(NEAR_COPY))
    exact = len(shingles(ARTICLE, 5) & shingles(NEAR_COPY, 5)) / len(shingles(ARTICLE, 5) | shingles(NEAR_COPY, 5))
    assert near is not None and near.source == "a.txt"
    assert abs(near.similarity - exact) < 0.1
    assert dedup.near("c.txt", dedup.signature(OTHER)) is None
    assert dedup.exact("0123456789abcdef", "a.txt") is None
    assert dedup.exact("0123456789abcdef", "b.txt") == "a.txt"


def test_symlinks_are_followed_without_looping(tmp_path):
    folder = tmp_path / "innhold"
    (folder / "under").mkdir(parents=True)
    outside = tmp_path / "utenfor.txt"
    outside.write_text(OTHER, encoding="utf-8")
    (folder / "under" / "artikkel.txt").write_text(ARTICLE, encoding="utf-8")
    os.symlink(outside, folder / "lenke.txt")
    os.symlink(folder, folder / "under" / "sløyfe")
    os.symlink(tmp_path / "finnes-ikke.txt", folder / "brutt.txt")
    _, records, rows = _ingest(folder, tmp_path / "ut")
    assert [record["source"] for record in records] == ["lenke.txt", "under/artikkel.txt"]
    assert rows["under/sløyfe/"]["status"] == "duplicate"
    assert "already read" in rows["under/sløyfe/"]["reason"]
    assert rows["brutt.txt"]["status"] == "unreadable"
    assert "broken symbolic link" in rows["brutt.txt"]["reason"]


def test_missing_input_folder_names_the_setting(tmp_path):
    with pytest.raises(click.UsageError, match="corpus.input") as error:
        run_ingest(tmp_path / "finnes-ikke", Layout(tmp_path / "ut"), PARAMS)
    assert "finnes-ikke" in error.value.message and "--input" in error.value.message


def test_folder_without_usable_documents_fails_after_writing_manifest(tmp_path):
    folder = tmp_path / "innhold"
    folder.mkdir()
    (folder / "tom.txt").write_bytes(b"")
    (folder / "bilde.png").write_bytes(b"\x89PNG")
    layout = Layout(tmp_path / "ut")
    with pytest.raises(click.ClickException, match="no usable document"):
        run_ingest(folder, layout, PARAMS)
    statuses = {row["source"]: row["status"] for row in read_csv(layout.ingest_manifest)}
    assert statuses == {"bilde.png": "unsupported", "tom.txt": "empty"}


def test_cli_ingest_command(tmp_path, mixed_folder):
    params_file = tmp_path / "params.yaml"
    params_file.write_text(json.dumps({"corpus": {"input": "ingen"}, **PARAMS}), encoding="utf-8")
    result = CliRunner().invoke(
        main, ["ingest", "--params", str(params_file), "--root", str(tmp_path / "ut"), "--input", str(mixed_folder)]
    )
    assert result.exit_code == 0, result.output
    assert "ok 9, near_duplicate 1, duplicate 1," in result.output
    assert (tmp_path / "ut" / "corpus" / "interim" / "documents.jsonl").is_file()


def test_metadata_survives_rejoining_of_wrapped_lines(tmp_path):
    folder = tmp_path / "innhold"
    folder.mkdir()
    (folder / "referat.txt").write_text(
        "Referat fra dialogmøte om hjemmeoppfølging\n\n"
        "Av Ola Fjellheim, rådgiver i Strandvik kommune\n"
        "Publisert 24. januar 2023\n\n"
        "Kommunen inviterte leverandører til dialogmøte om digital hjemmeoppfølging av\n"
        "personer med kroniske sykdommer.\n",
        encoding="utf-8",
    )
    _, records, _ = _ingest(folder, tmp_path / "ut")
    (record,) = records
    assert record["title"] == "Referat fra dialogmøte om hjemmeoppfølging"
    assert record["authors"] == ["Ola Fjellheim, rådgiver i Strandvik kommune"]
    assert record["published"] == "2023-01-24"
