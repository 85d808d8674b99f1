"""Readers and encoding detection on small Norwegian files written here."""

from __future__ import annotations

import codecs
import zipfile

import docx
import pytest
from fpdf import FPDF

from diskurs.ingest.encoding import UndecodableError, decode_bytes
from diskurs.ingest.readers import (
    UnreadableError,
    read_docx,
    read_html,
    read_markdown,
    read_pdf,
    read_text_file,
)

# Fictional sample text; æøå in every line so a wrong decoding shows.
SNIPPET = (
    "Sykehusinnkjøp prøver ut innovative anskaffelser – «dialog før konkurranse».\n"
    "Blåbærsyltetøy på Ærøy og økt kompetanse i Øvre Årdal.\n"
)
LATIN_SNIPPET = "Blåbærsyltetøy på Ærøy og økt kompetanse i Øvre Årdal.\n"


@pytest.mark.parametrize(
    ("data", "expected_text", "expected_encoding"),
    [
        (SNIPPET.encode("utf-8"), SNIPPET, "utf-8"),
        (codecs.BOM_UTF8 + SNIPPET.encode("utf-8"), SNIPPET, "utf-8-sig"),
        (codecs.BOM_UTF16_LE + SNIPPET.encode("utf-16-le"), SNIPPET, "utf-16"),
        (codecs.BOM_UTF16_BE + SNIPPET.encode("utf-16-be"), SNIPPET, "utf-16"),
        (SNIPPET.encode("cp1252"), SNIPPET, "cp1252"),
        # Latin-1 and Windows-1252 agree on every Norwegian letter; cp1252 is the name we report.
        (LATIN_SNIPPET.encode("latin-1"), LATIN_SNIPPET, "cp1252"),
    ],
    ids=["utf-8", "utf-8-bom", "utf-16-le-bom", "utf-16-be-bom", "cp1252", "latin-1"],
)
def test_decode_bytes_keeps_norwegian_letters(data, expected_text, expected_encoding):
    text, encoding, _ = decode_bytes(data)
    assert text == expected_text
    assert encoding == expected_encoding
    assert "\ufeff" not in text


def test_cp1252_punctuation_is_not_read_as_latin1_control_characters():
    text, encoding, _ = decode_bytes("«Innkjøp» – 5 € per pasient".encode("cp1252"))
    assert (text, encoding) == ("«Innkjøp» – 5 € per pasient", "cp1252")


@pytest.mark.parametrize(
    "data",
    [b"PK\x03\x04\x00\x00binary\x00junk" * 20, bytes(range(1, 256)) * 4],
    ids=["nul-bytes", "control-and-high-bytes"],
)
def test_binary_junk_is_undecodable(data):
    with pytest.raises(UndecodableError):
        decode_bytes(data)


def test_text_file_reader_reports_encoding(tmp_path):
    path = tmp_path / "notat.txt"
    path.write_bytes(codecs.BOM_UTF16_LE + SNIPPET.encode("utf-16-le"))
    result = read_text_file(path)
    assert result.encoding == "utf-16"
    assert "Blåbærsyltetøy" in result.text
    assert result.chars_in == len(SNIPPET)


def test_markdown_headings_lose_their_markers(tmp_path):
    path = tmp_path / "notat.md"
    path.write_text(
        "# Innovative anskaffelser\n\nHelseforetakene må samarbeide.\n\n## Neste steg ##\n", encoding="utf-8"
    )
    result = read_markdown(path)
    assert result.text.splitlines() == [
        "Innovative anskaffelser",
        "",
        "Helseforetakene må samarbeide.",
        "",
        "Neste steg",
    ]


def test_markdown_syntax_is_rendered_away(tmp_path):
    path = tmp_path / "pressemelding.md"
    path.write_text(
        "[Hopp til innhold](#innhold)\n\n*Publisert 28. april 2023*\n\n"
        "> Sitatet er **viktig** for\nhelseforetakene.\n\n- første punkt\n- andre punkt\n",
        encoding="utf-8",
    )
    assert read_markdown(path).text.split("\n") == [
        "Hopp til innhold",
        "",
        "Publisert 28. april 2023",
        "",
        "Sitatet er viktig for helseforetakene.",
        "",
        "• første punkt",
        "• andre punkt",
    ]


HTML = """<!DOCTYPE html><html lang="nb"><head><meta charset="{charset}">
<title>Sykehus prøver innovative anskaffelser | Helsenytt</title>
<meta name="author" content="Kari Nordmann">
<meta property="article:published_time" content="2022-03-03T10:00:00+01:00">
<link rel="canonical" href="https://helsenytt.example/nyheter/innovative-anskaffelser"></head>
<body><nav><a href="/">Forsiden</a> <a href="/om">Om oss</a> <a href="/kontakt">Kontakt</a></nav>
<article><h1>Sykehus prøver innovative anskaffelser</h1>
<p>Helse Sør-Øst har startet et nytt prosjekt der leverandørene får være med tidlig i prosessen.
Målet er bedre løsninger for pasientene og de ansatte.</p>
<h2>Dialog før konkurranse</h2>
<p>Før konkurransen ble det holdt et dialogmøte med tjue leverandører. Der fikk de høre om
behovene til sykepleierne på de største avdelingene.</p>
<ul><li>Færre manuelle rutiner</li><li>Bedre oversikt over utstyr</li></ul>
<p>Prosjektet skal evalueres etter to år, og erfaringene skal deles med andre helseforetak.</p>
</article>
<section class="comments"><h3>Kommentarer</h3><p>Ola skrev: Dette var et flott tiltak, takk!</p></section>
<footer>© 2022 Helsenytt. Alle rettigheter reservert.</footer></body></html>
"""


@pytest.mark.parametrize("charset", ["utf-8", "windows-1252"])
def test_html_main_content_and_metadata(tmp_path, charset):
    path = tmp_path / "side.html"
    path.write_bytes(HTML.format(charset=charset).encode("utf-8" if charset == "utf-8" else "cp1252"))
    result = read_html(path)
    assert result.encoding == ("utf-8" if charset == "utf-8" else "cp1252")
    assert result.title == "Sykehus prøver innovative anskaffelser"
    assert result.published == "2022-03-03"
    assert result.authors == ["Kari Nordmann"]
    assert result.urls == ["https://helsenytt.example/nyheter/innovative-anskaffelser"]
    paragraphs = result.text.split("\n\n")
    assert "Dialog før konkurranse" in paragraphs
    assert any(p.startswith("Før konkurransen ble det holdt et dialogmøte") for p in paragraphs)
    assert "- Færre manuelle rutiner\n- Bedre oversikt over utstyr" in result.text
    for debris in ("Forsiden", "Ola skrev", "Alle rettigheter"):
        assert debris not in result.text


def _pdf(path, pages, title=None):
    pdf = FPDF()
    if title:
        pdf.set_title(title)
    for text in pages:
        pdf.add_page()
        if text:
            # The core fonts encode Latin-1, which covers æøå.
            pdf.set_font("helvetica", size=12)
            pdf.multi_cell(0, 8, text)
        else:
            pdf.rect(20, 20, 100, 60, style="F")
    pdf.output(str(path))


def test_pdf_text_layer_and_title(tmp_path):
    path = tmp_path / "rapport.pdf"
    _pdf(
        path,
        ["Innkjøpere i kommunene møtte leverandører på Ørland.", "Blåbær og ærfugl i Tromsø."],
        title="Rapport om anskaffelser",
    )
    result = read_pdf(path)
    assert result.title == "Rapport om anskaffelser"
    assert result.encoding is None
    pages = result.text.split("\n\n")
    assert pages == ["Innkjøpere i kommunene møtte leverandører på Ørland.", "Blåbær og ærfugl i Tromsø."]


def test_pdf_without_text_layer_gives_no_text(tmp_path):
    path = tmp_path / "skannet.pdf"
    _pdf(path, [""])
    assert read_pdf(path).text == ""


@pytest.mark.parametrize(
    "content",
    [b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer nonsense", b"this is not a pdf at all"],
    ids=["truncated", "not-pdf"],
)
def test_broken_pdf_is_unreadable(tmp_path, content):
    path = tmp_path / "ødelagt.pdf"
    path.write_bytes(content)
    with pytest.raises(UnreadableError, match="not a readable PDF"):
        read_pdf(path)


def test_docx_paragraphs_headings_and_tables(tmp_path):
    path = tmp_path / "notat.docx"
    document = docx.Document()
    document.core_properties.title = "Notat om innovasjonspartnerskap"
    document.add_heading("Bakgrunn for innkjøpet", level=1)
    document.add_paragraph("Kommunen ønsker å prøve ut velferdsteknologi i hjemmetjenesten.")
    table = document.add_table(rows=1, cols=2)
    table.rows[0].cells[0].text = "Behov"
    table.rows[0].cells[1].text = "Færre turer for sykepleierne"
    document.add_paragraph("Leverandørene inviteres til dialogmøte i Bodø.")
    document.save(path)
    result = read_docx(path)
    assert result.title == "Notat om innovasjonspartnerskap"
    assert result.text.split("\n\n") == [
        "Bakgrunn for innkjøpet",
        "Kommunen ønsker å prøve ut velferdsteknologi i hjemmetjenesten.",
        "Behov | Færre turer for sykepleierne",
        "Leverandørene inviteres til dialogmøte i Bodø.",
    ]


def test_broken_docx_is_unreadable(tmp_path):
    not_zip = tmp_path / "gammel.docx"
    not_zip.write_bytes(b"\xd0\xcf\x11\xe0 old binary word file")
    wrong_zip = tmp_path / "feil.docx"
    with zipfile.ZipFile(wrong_zip, "w") as archive:
        archive.writestr("hei.txt", "hei")
    for path in (not_zip, wrong_zip):
        with pytest.raises(UnreadableError, match=r"not a (readable )?Word"):
            read_docx(path)
