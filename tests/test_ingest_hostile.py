"""Hostile or odd input at ingest: ZIP bombs, endless markup, debris in text files, names that
are not UTF-8 and folders nobody may list. Each gets a manifest row saying what happened, the
run goes on, and readable text is never lost."""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import docx
import pytest
from fpdf import FPDF

from diskurs.ingest.stage import run_ingest
from diskurs.io import read_csv, read_jsonl
from diskurs.layout import Layout

REPO = Path(__file__).resolve().parents[1]
PARAMS = {
    "ingest": {
        "extensions": [".txt", ".md", ".html", ".htm", ".pdf", ".docx"],
        "near_duplicate_threshold": 0.8,
        "shingle_size": 5,
    },
    # Ingest reads on a cluster when compute.engine says so; these tests read here.
    "compute": {"engine": "local", "address": None, "workers": 1},
}
ARTICLE = (
    "Sykehuset i Tromsø har kjøpt inn nye løsninger for legemiddelhåndtering etter en lang dialog "
    "med leverandørene. Sykepleierne på Åsgård er fornøyde, og færre pasienter må vente på hjelp."
)
OTHER = (
    "Kommunestyret i Ørsta vedtok å bruke innovative anskaffelser når de kjøper velferdsteknologi. "
    "Rådmannen mener at tidlig dialog med markedet gir bedre tjenester for innbyggerne i bygda."
)

# Run in a fresh interpreter so that its peak memory is the ingest's own.
_MEASURED_RUN = """
import json, sys, time
from pathlib import Path
from diskurs.ingest.stage import run_ingest
from diskurs.layout import Layout
started = time.monotonic()
run_ingest(Path(sys.argv[1]), Layout(Path(sys.argv[2])), json.loads(sys.argv[3]))
# VmHWM is this process's own peak; ru_maxrss would include the parent's, inherited at exec.
peak = next(int(line.split()[1]) for line in open("/proc/self/status") if line.startswith("VmHWM:"))
print(json.dumps({"seconds": time.monotonic() - started, "peak_kb": peak}))
"""


def _ingest(folder, out, params=PARAMS):
    layout = Layout(out)
    run_ingest(folder, layout, params)
    records = {record["source"]: record for record in read_jsonl(layout.documents)}
    rows = {row["source"]: row for row in read_csv(layout.ingest_manifest)}
    return records, rows


def _with_limits(**limits):
    return {**PARAMS, "ingest": {**PARAMS["ingest"], **limits}}


def _words(text):
    return {word.strip(".,") for word in text.split()}


def _docx_bytes(text):
    buffer = io.BytesIO()
    document = docx.Document()
    document.add_paragraph(text)
    document.save(buffer)
    return buffer.getvalue()


def _zip_bomb(path, unpacked_mb):
    """A valid .docx whose word/document.xml is ``unpacked_mb`` MB of NUL bytes, written in chunks."""
    template = zipfile.ZipFile(io.BytesIO(_docx_bytes(ARTICLE)))
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as package:
        for info in template.infolist():
            if info.filename != "word/document.xml":
                package.writestr(info.filename, template.read(info.filename))
                continue
            with package.open("word/document.xml", "w", force_zip64=True) as member:
                chunk = bytes(1 << 20)
                for _ in range(unpacked_mb):
                    member.write(chunk)


def test_zip_bomb_is_refused_quickly_within_bounded_memory(tmp_path):
    folder = tmp_path / "innhold"
    folder.mkdir()
    _zip_bomb(folder / "bombe.docx", 1024)
    assert (folder / "bombe.docx").stat().st_size < 4_000_000
    (folder / "artikkel.txt").write_text(ARTICLE, encoding="utf-8")
    out = tmp_path / "ut"
    finished = subprocess.run(
        [sys.executable, "-c", _MEASURED_RUN, str(folder), str(out), json.dumps(PARAMS)],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    measured = json.loads(finished.stdout.strip().splitlines()[-1])
    assert measured["seconds"] < 60
    assert measured["peak_kb"] < 1_000_000
    rows = {row["source"]: row for row in read_csv(Layout(out).ingest_manifest)}
    assert rows["bombe.docx"]["status"] == "unreadable"
    assert "ingest.max_compression_ratio" in rows["bombe.docx"]["reason"]
    assert "word/document.xml" in rows["bombe.docx"]["reason"]
    assert rows["artikkel.txt"]["status"] == "ok"


def test_docx_unpacking_to_more_than_the_cap_is_refused(tmp_path):
    folder = tmp_path / "innhold"
    folder.mkdir()
    # Text that does not compress well: many different sentences, 2 MB of them.
    sentences = [f"Avtale {n} om velferdsteknologi gjelder {n * 7919 % 10007} brukere." for n in range(30_000)]
    (folder / "stor.docx").write_bytes(_docx_bytes(" ".join(sentences)))
    (folder / "artikkel.txt").write_text(ARTICLE, encoding="utf-8")
    _, rows = _ingest(folder, tmp_path / "ut", _with_limits(max_unpacked_mb=1))
    assert rows["stor.docx"]["status"] == "unreadable"
    assert "ingest.max_unpacked_mb" in rows["stor.docx"]["reason"]
    _, rows = _ingest(folder, tmp_path / "ut2")
    assert rows["stor.docx"]["status"] == "ok"


def test_text_beyond_the_character_cap_is_refused_not_kept(tmp_path):
    folder = tmp_path / "innhold"
    folder.mkdir()
    (folder / "lang.txt").write_text((ARTICLE + "\n\n") * 40, encoding="utf-8")
    (folder / "lang.md").write_text((ARTICLE + "\n\n") * 40, encoding="utf-8")
    (folder / "kort.txt").write_text(OTHER, encoding="utf-8")
    records, rows = _ingest(folder, tmp_path / "ut", _with_limits(max_extracted_chars=2000))
    for source in ("lang.txt", "lang.md"):
        assert rows[source]["status"] == "unreadable"
        assert "ingest.max_extracted_chars" in rows[source]["reason"]
        assert source not in records
    assert rows["kort.txt"]["status"] == "ok"


def test_pdf_beyond_the_page_or_character_cap_is_refused(tmp_path):
    folder = tmp_path / "innhold"
    folder.mkdir()
    pdf = FPDF()
    pdf.set_font("helvetica", size=12)
    for _ in range(3):
        pdf.add_page()
        pdf.multi_cell(0, 8, "Sykehusene i Nord-Norge får økt støtte til innovative anskaffelser. " * 10)
    pdf.output(str(folder / "rapport.pdf"))
    (folder / "kort.txt").write_text(OTHER, encoding="utf-8")
    _, rows = _ingest(folder, tmp_path / "ut", _with_limits(max_pdf_pages=2))
    assert rows["rapport.pdf"]["status"] == "unreadable"
    assert "ingest.max_pdf_pages" in rows["rapport.pdf"]["reason"]
    _, rows = _ingest(folder, tmp_path / "ut2", _with_limits(max_extracted_chars=1000))
    assert rows["rapport.pdf"]["status"] == "unreadable"
    assert "ingest.max_extracted_chars" in rows["rapport.pdf"]["reason"]


def test_html_page_beyond_the_size_cap_is_refused(tmp_path):
    folder = tmp_path / "innhold"
    folder.mkdir()
    paragraphs = "".join(f"<p>{ARTICLE} ({n})</p>" for n in range(8000))
    page = f"<html><body><article>{paragraphs}</article></body></html>"
    (folder / "side.html").write_text(page, encoding="utf-8")
    (folder / "kort.txt").write_text(OTHER, encoding="utf-8")
    _, rows = _ingest(folder, tmp_path / "ut", _with_limits(max_unpacked_mb=1))
    assert rows["side.html"]["status"] == "unreadable"
    assert "ingest.max_unpacked_mb" in rows["side.html"]["reason"]


def test_article_nested_deeper_than_the_parser_reaches_is_kept(tmp_path):
    folder = tmp_path / "innhold"
    folder.mkdir()
    depth = 5000
    filler = "<p>Hopp til hovedinnhold</p>"
    article = f"<article><h1>Nye løsninger i Tromsø</h1><p>{ARTICLE}</p><p>{OTHER}</p></article>"
    html = (
        "<html><head><title>Dyp side</title></head><body>"
        + "".join(f"<div>{filler}" if level % 50 == 0 else "<div>" for level in range(depth))
        + article
        + "</div>" * depth
        + "</body></html>"
    )
    (folder / "dyp.html").write_text(html, encoding="utf-8")
    # A page of ordinary depth keeps trafilatura's main content, menus left out.
    (folder / "flat.html").write_text(
        "<html><body><nav><a href='/'>Forsiden</a> <a href='/nyheter'>Nyheter</a></nav>"
        f"<article><p>{ARTICLE}</p><p>{OTHER}</p></article></body></html>",
        encoding="utf-8",
    )
    records, rows = _ingest(folder, tmp_path / "ut")
    assert rows["dyp.html"]["status"] == "ok"
    assert "nested too deeply" in rows["dyp.html"]["reason"]
    text = " ".join(records["dyp.html"]["text"].split())
    assert ARTICLE in text and OTHER in text
    assert rows["flat.html"]["reason"] == ""
    assert "Forsiden" not in records["flat.html"]["text"]


def test_stray_nul_bytes_are_removed_and_the_text_kept(tmp_path):
    folder = tmp_path / "innhold"
    folder.mkdir()
    body = ((ARTICLE + "\n\n") * 8).encode("utf-8")
    (folder / "nul.txt").write_bytes(body[:1000] + b"\x00" + body[1000:2000] + b"\x00\x00" + body[2000:])
    records, rows = _ingest(folder, tmp_path / "ut")
    assert rows["nul.txt"]["status"] == "ok"
    assert "3 NUL bytes removed" in rows["nul.txt"]["reason"]
    assert _words(ARTICLE) <= _words(records["nul.txt"]["text"])
    assert "\x00" not in records["nul.txt"]["text"]


def test_file_mixing_utf8_and_cp1252_keeps_every_word(tmp_path):
    folder = tmp_path / "innhold"
    folder.mkdir()
    (folder / "blandet.txt").write_bytes((ARTICLE + "\n\n").encode("utf-8") * 6 + (OTHER + "\n\n").encode("cp1252") * 6)
    records, rows = _ingest(folder, tmp_path / "ut")
    assert rows["blandet.txt"]["status"] == "ok"
    assert "mixed encodings: 6 lines decoded as cp1252" in rows["blandet.txt"]["reason"]
    assert _words(ARTICLE) | _words(OTHER) <= _words(records["blandet.txt"]["text"])


def test_name_that_is_not_utf8_is_read_under_an_escaped_name(tmp_path):
    folder = tmp_path / "innhold"
    folder.mkdir()
    with open(os.fsencode(folder) + b"/r\xe5d.txt", "wb") as handle:
        handle.write(ARTICLE.encode("utf-8"))
    (folder / "annen.txt").write_text(OTHER, encoding="utf-8")
    records, rows = _ingest(folder, tmp_path / "ut")
    assert rows["r\\xe5d.txt"]["status"] == "ok"
    assert "not valid UTF-8" in rows["r\\xe5d.txt"]["reason"]
    assert records["r\\xe5d.txt"]["text"] == ARTICLE


# Root reads every folder whatever its mode; without these two capabilities it is bound by the
# mode like anyone else.
_AS_ORDINARY_USER = ["setpriv", "--bounding-set=-dac_override,-dac_read_search"]


def test_folder_that_cannot_be_listed_gets_a_row_and_the_run_goes_on(tmp_path):
    if os.geteuid() == 0 and shutil.which("setpriv") is None:
        pytest.skip("running as root, where chmod 000 does not block listing, and setpriv is missing")
    folder = tmp_path / "innhold"
    (folder / "låst").mkdir(parents=True)
    (folder / "låst" / "hemmelig.txt").write_text(OTHER, encoding="utf-8")
    (folder / "artikkel.txt").write_text(ARTICLE, encoding="utf-8")
    out = tmp_path / "ut"
    prefix = _AS_ORDINARY_USER if os.geteuid() == 0 else []
    os.chmod(folder / "låst", 0)
    try:
        subprocess.run(
            [*prefix, sys.executable, "-c", _MEASURED_RUN, str(folder), str(out), json.dumps(PARAMS)],
            cwd=REPO,
            capture_output=True,
            text=True,
            timeout=120,
            check=True,
        )
    finally:
        os.chmod(folder / "låst", 0o755)
    rows = {row["source"]: row for row in read_csv(Layout(out).ingest_manifest)}
    assert rows["låst/"]["status"] == "unreadable"
    assert "permission denied" in rows["låst/"]["reason"] and "chmod +rx" in rows["låst/"]["reason"]
    assert rows["låst/"]["sha256"] == ""
    assert rows["artikkel.txt"]["status"] == "ok"


def test_manifest_holds_the_checksum_of_every_file_read(tmp_path):
    folder = tmp_path / "innhold"
    folder.mkdir()
    (folder / "artikkel.txt").write_text(ARTICLE, encoding="utf-8")
    (folder / "regneark.xlsx").write_bytes(b"PK\x03\x04 regneark")
    (folder / ".skjult.txt").write_text(OTHER, encoding="utf-8")
    _, rows = _ingest(folder, tmp_path / "ut")
    for source in ("artikkel.txt", "regneark.xlsx"):
        assert rows[source]["sha256"] == hashlib.sha256((folder / source).read_bytes()).hexdigest()
    assert rows[".skjult.txt"]["sha256"] == ""
