"""One reader per file format; each turns a file into plain text plus the metadata it carries.

Readers raise :class:`UnreadableError` with a reason a person can act on; the stage turns
that (and any other exception) into a manifest row instead of stopping the run.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from pipeline.ingest.encoding import Decoded, UndecodableError, decode_bytes


class UnreadableError(Exception):
    """The file cannot be read as the format its ending claims; the message says why."""


@dataclass
class ReadResult:
    text: str
    encoding: str | None
    # Characters the reader started from: the decoded file for text and HTML, the extracted
    # text for PDF and DOCX. Together with chars_out it shows how much extraction kept.
    chars_in: int
    title: str | None = None
    published: str | None = None
    authors: list[str] = field(default_factory=list)
    urls: list[str] = field(default_factory=list)
    # What had to be repaired to read the file at all, for the manifest's reason column.
    note: str = ""


def read_text_file(path: Path) -> ReadResult:
    """Plain text in UTF-8 (with or without BOM), UTF-16/32 with BOM or Windows-1252/Latin-1."""
    text, encoding, note = _decode(path)
    return ReadResult(text=text, encoding=encoding, chars_in=len(text), note=note)


# Markdown blocks that hold text of their own; list items holding paragraphs give way to them.
_MARKDOWN_BLOCKS = {"p", "h1", "h2", "h3", "h4", "h5", "h6", "pre", "li"}


def read_markdown(path: Path) -> ReadResult:
    """Markdown rendered (CommonMark) and read back as text: no '#', '*', '>' or link syntax left.

    Each block becomes a paragraph; list items stay on adjacent lines as bullets.
    """
    import lxml.html
    from markdown_it import MarkdownIt

    text, encoding, note = _decode(path)
    html = MarkdownIt("commonmark").render(text)
    if not html.strip():
        return ReadResult(text="", encoding=encoding, chars_in=len(text), note=note)
    root = lxml.html.fragment_fromstring(html, create_parent="div")
    out: list[str] = []
    for element in root.iter(*_MARKDOWN_BLOCKS):
        if element.tag == "li" and element.find("p") is not None:
            continue
        in_list = element.tag == "li" or element.getparent().tag == "li"
        # A soft line break inside a Markdown paragraph is no break at all.
        block = " ".join(element.text_content().split()) if element.tag != "pre" else element.text_content()
        if not block.strip():
            continue
        if out:
            out.append("\n" if in_list and out[-1].startswith("• ") else "\n\n")
        out.append(f"• {block}" if in_list else block)
    return ReadResult(text="".join(out), encoding=encoding, chars_in=len(text), note=note)


def read_html(path: Path) -> ReadResult:
    """Main content of a web page via trafilatura, without comments; paragraphs blank-line separated."""
    import trafilatura

    html, encoding, note = _decode(path)
    document = trafilatura.bare_extraction(html, include_comments=False, with_metadata=True)
    if document is None:
        return ReadResult(text="", encoding=encoding, chars_in=len(html), note=note)
    meta = document.as_dict()
    authors = [name.strip() for name in (meta.get("author") or "").split(";") if name.strip()]
    return ReadResult(
        text=_paragraphs_from_lines(meta.get("text") or ""),
        encoding=encoding,
        chars_in=len(html),
        title=meta.get("title") or None,
        published=meta.get("date") or None,
        authors=authors,
        urls=[meta["url"]] if meta.get("url") else [],
        note=note,
    )


def _paragraphs_from_lines(text: str) -> str:
    """trafilatura puts one block per line; blank lines make those paragraph breaks explicit.

    Consecutive list items ("- ...") stay on adjacent lines so the list survives as a list.
    """
    out: list[str] = []
    for line in (line.strip() for line in text.splitlines()):
        if not line:
            continue
        if out and line.startswith("- ") and out[-1].startswith("- "):
            out.append("\n")
        elif out:
            out.append("\n\n")
        out.append(line)
    return "".join(out)


def read_pdf(path: Path) -> ReadResult:
    """The text layer of a PDF, pages separated by blank lines."""
    from pypdf import PdfReader
    from pypdf.errors import FileNotDecryptedError, PyPdfError

    try:
        reader = PdfReader(path)
        # Many "protected" PDFs only restrict printing and open with the empty password.
        if reader.is_encrypted and not reader.decrypt(""):
            raise FileNotDecryptedError("password required")
        pages = [page.extract_text() or "" for page in reader.pages]
        title = reader.metadata.title if reader.metadata else None
    except FileNotDecryptedError as error:
        raise UnreadableError("is a password-protected PDF; save an unprotected copy") from error
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError) as error:
        raise UnreadableError(f"is not a readable PDF ({error}); the file may be damaged") from error
    text = "\n\n".join(page.strip() for page in pages if page.strip())
    return ReadResult(text=text, encoding=None, chars_in=len(text), title=_clean_title(title))


def read_docx(path: Path) -> ReadResult:
    """Paragraphs and table cells of a Word document in document order, headings as own lines."""
    import docx
    from docx.opc.exceptions import PackageNotFoundError
    from docx.table import Table

    try:
        document = docx.Document(str(path))
    except PackageNotFoundError as error:
        raise UnreadableError(
            "is not a Word (.docx) package (not a ZIP archive); it may be damaged, or an old "
            ".doc renamed to .docx: open it in Word and save as .docx"
        ) from error
    except (zipfile.BadZipFile, KeyError, ValueError) as error:
        raise UnreadableError(
            f"is not a readable Word (.docx) file ({error}); it may be damaged, or an old .doc "
            "renamed to .docx: open it in Word and save as .docx"
        ) from error
    blocks: list[str] = []
    for item in document.iter_inner_content():
        if isinstance(item, Table):
            for row in item.rows:
                cells = [cell.text.strip() for cell in row.cells if cell.text.strip()]
                if cells:
                    blocks.append(" | ".join(dict.fromkeys(cells)))
        elif item.text.strip():
            blocks.append(item.text.strip())
    text = "\n\n".join(blocks)
    return ReadResult(
        text=text,
        encoding=None,
        chars_in=len(text),
        title=_clean_title(document.core_properties.title),
    )


def _clean_title(title: object) -> str | None:
    if isinstance(title, str) and title.strip():
        return " ".join(title.split())
    return None


def _decode(path: Path) -> Decoded:
    try:
        return decode_bytes(path.read_bytes())
    except UndecodableError as error:
        raise UnreadableError(str(error)) from error


READERS: dict[str, tuple[str, Callable[[Path], ReadResult]]] = {
    ".txt": ("txt", read_text_file),
    ".md": ("md", read_markdown),
    ".html": ("html", read_html),
    ".htm": ("html", read_html),
    ".pdf": ("pdf", read_pdf),
    ".docx": ("docx", read_docx),
}
