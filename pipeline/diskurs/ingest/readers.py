"""One reader per file format; each turns a file into plain text plus the metadata it carries.

Readers raise :class:`UnreadableError` with a reason a person can act on; the stage turns
that (and any other exception) into a manifest row instead of stopping the run.
"""

from __future__ import annotations

import zipfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path

from diskurs.ingest.encoding import Decoded, UndecodableError, decode_bytes
from diskurs.settings import Ingest


class UnreadableError(Exception):
    """The file cannot be read as the format its ending claims; the message says why."""


_MB = 1_000_000
# Small parts of a package may compress extremely well (a page of empty table cells) and do no
# harm; the ratio is checked only for parts that unpack to more than this.
_RATIO_FLOOR_BYTES = _MB


@dataclass(frozen=True)
class Limits:
    """How much one file may unpack or yield (``ingest:`` in params.yaml).

    A file beyond a limit is refused with a reason naming the parameter, never read in part:
    a crafted file (a ZIP bomb, a page of endless markup) must not exhaust memory or time.
    """

    max_extracted_chars: int
    max_unpacked_mb: int
    max_compression_ratio: int
    max_pdf_pages: int

    @classmethod
    def from_params(cls, section: Mapping) -> Limits:
        """The limits an ``ingest:`` section sets; a limit it leaves out has the schema's default."""
        return cls(**{f.name: int(section.get(f.name, Ingest.model_fields[f.name].default)) for f in fields(cls)})

    def check_chars(self, chars: int) -> None:
        if chars > self.max_extracted_chars:
            raise UnreadableError(
                f"yields more than {self.max_extracted_chars:,} characters of text "
                f"(ingest.max_extracted_chars in params.yaml); split the file, or raise the limit "
                "if it really is one document"
            )

    def check_unpacked(self, size: int, what: str) -> None:
        if size > self.max_unpacked_mb * _MB:
            raise UnreadableError(
                f"{what} {size / _MB:,.0f} MB, more than ingest.max_unpacked_mb ({self.max_unpacked_mb} MB) "
                "in params.yaml; split the file, or raise the limit if it really is one document"
            )


DEFAULT_LIMITS = Limits.from_params({})


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


def read_text_file(path: Path, limits: Limits = DEFAULT_LIMITS) -> ReadResult:
    """Plain text in UTF-8 (with or without BOM), UTF-16/32 with BOM or Windows-1252/Latin-1."""
    _check_text_size(path, limits)
    text, encoding, note = _decode(path)
    return ReadResult(text=text, encoding=encoding, chars_in=len(text), note=note)


# Markdown blocks that hold text of their own; list items holding paragraphs give way to them.
_MARKDOWN_BLOCKS = {"p", "h1", "h2", "h3", "h4", "h5", "h6", "pre", "li"}


def read_markdown(path: Path, limits: Limits = DEFAULT_LIMITS) -> ReadResult:
    """Markdown rendered (CommonMark) and read back as text: no '#', '*', '>' or link syntax left.

    Each block becomes a paragraph; list items stay on adjacent lines as bullets.
    """
    import lxml.html
    from markdown_it import MarkdownIt

    _check_text_size(path, limits)
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


def read_html(path: Path, limits: Limits = DEFAULT_LIMITS) -> ReadResult:
    """Main content of a web page via trafilatura, without comments; paragraphs blank-line separated.

    lxml, which trafilatura parses with, drops everything nested deeper than about 255 elements.
    When that loses part of the page's text, the whole text of the page is kept instead (menus
    and all, for clean to sort out) and the reason says so.
    """
    import trafilatura

    limits.check_unpacked(path.stat().st_size, "is")
    html, encoding, note = _decode(path)
    document = trafilatura.bare_extraction(html, include_comments=False, with_metadata=True)
    meta = document.as_dict() if document is not None else {}
    text = _paragraphs_from_lines(meta.get("text") or "")
    page = _page_text(html)
    parsed = _parsed_text_chars(html)
    if parsed < _PARSED_SHARE * page.chars:
        text = page.text
        lost = (
            f"nested too deeply for the HTML parser, which saw only {parsed:,} of the {page.chars:,} "
            "characters of text in the page (spaces not counted): the whole text of the page is "
            "kept, menus included"
        )
        note = f"{note}; {lost}" if note else lost
    authors = [name.strip() for name in (meta.get("author") or "").split(";") if name.strip()]
    return ReadResult(
        text=text,
        encoding=encoding,
        chars_in=len(html),
        title=meta.get("title") or page.title,
        published=meta.get("date") or None,
        authors=authors,
        urls=[meta["url"]] if meta.get("url") else [],
        note=note,
    )


# The parser may see a little less text than the tag scanner (text after </html>, say); less
# than this share means content was dropped.
_PARSED_SHARE = 0.9
_SKIPPED_ELEMENTS = {"script", "style", "noscript", "template", "title"}
_BLOCK_ELEMENTS = {
    "address",
    "article",
    "aside",
    "blockquote",
    "br",
    "dd",
    "div",
    "dl",
    "dt",
    "figcaption",
    "figure",
    "footer",
    "form",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hr",
    "li",
    "main",
    "nav",
    "ol",
    "p",
    "pre",
    "section",
    "table",
    "td",
    "th",
    "tr",
    "ul",
}


@dataclass
class _PageText:
    text: str
    chars: int  # non-space characters of text
    title: str | None


def _page_text(html: str) -> _PageText:
    """Every visible text of the page, one paragraph per block element, read without a tree.

    The standard library's tag scanner keeps no element stack, so no nesting depth is too deep.
    """
    from html.parser import HTMLParser

    blocks: list[str] = []
    current: list[str] = []
    title: list[str] = []
    skipping: list[str] = []

    def close_block() -> None:
        block = " ".join("".join(current).split())
        if block:
            blocks.append(block)
        current.clear()

    class Scanner(HTMLParser):
        def handle_starttag(self, tag, attrs):
            if tag in _SKIPPED_ELEMENTS:
                skipping.append(tag)
            elif tag in _BLOCK_ELEMENTS:
                close_block()

        def handle_endtag(self, tag):
            if skipping and tag == skipping[-1]:
                skipping.pop()
            elif tag in _BLOCK_ELEMENTS:
                close_block()

        def handle_data(self, data):
            if not skipping:
                current.append(data)
            elif skipping[-1] == "title":
                title.append(data)

    scanner = Scanner(convert_charrefs=True)
    scanner.feed(html)
    scanner.close()
    close_block()
    return _PageText(
        text="\n\n".join(blocks),
        chars=sum(len(block) - block.count(" ") for block in blocks),
        title=" ".join("".join(title).split()) or None,
    )


def _parsed_text_chars(html: str) -> int:
    """Non-space characters of visible text in the tree lxml builds of the page."""
    import lxml.etree
    import lxml.html

    parser = lxml.html.HTMLParser(encoding="utf-8")
    try:
        root = lxml.html.document_fromstring(html.encode("utf-8"), parser=parser)
    except lxml.etree.ParserError:  # nothing but whitespace
        return 0
    lxml.etree.strip_elements(root, *_SKIPPED_ELEMENTS, lxml.etree.Comment, with_tail=False)
    return len("".join(root.text_content().split()))


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


def read_pdf(path: Path, limits: Limits = DEFAULT_LIMITS) -> ReadResult:
    """The text layer of a PDF, pages separated by blank lines.

    pypdf refuses a stream that decompresses to more than 75 MB; the page count and the text
    extracted are capped here, and checked page by page so that a refused file is not read to
    its end first.
    """
    from pypdf import PdfReader
    from pypdf.errors import FileNotDecryptedError, LimitReachedError, PyPdfError

    try:
        reader = PdfReader(path)
        # Many "protected" PDFs only restrict printing and open with the empty password.
        if reader.is_encrypted and not reader.decrypt(""):
            raise FileNotDecryptedError("password required")
        if len(reader.pages) > limits.max_pdf_pages:
            raise UnreadableError(
                f"has {len(reader.pages):,} pages, more than ingest.max_pdf_pages "
                f"({limits.max_pdf_pages:,}) in params.yaml; split the file, or raise the limit "
                "if it really is one document"
            )
        pages = []
        extracted = 0
        for page in reader.pages:
            pages.append(page.extract_text() or "")
            extracted += len(pages[-1])
            limits.check_chars(extracted)
        title = reader.metadata.title if reader.metadata else None
    except FileNotDecryptedError as error:
        raise UnreadableError("is a password-protected PDF; save an unprotected copy") from error
    except LimitReachedError as error:
        raise UnreadableError(
            f"holds more data than pypdf unpacks from one PDF ({error}): likely a crafted or "
            "damaged file; print it to a new PDF, or export its text"
        ) from error
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError) as error:
        raise UnreadableError(f"is not a readable PDF ({error}); the file may be damaged") from error
    text = "\n\n".join(page.strip() for page in pages if page.strip())
    return ReadResult(text=text, encoding=None, chars_in=len(text), title=_clean_title(title))


def read_docx(path: Path, limits: Limits = DEFAULT_LIMITS) -> ReadResult:
    """Paragraphs and table cells of a Word document in document order, headings as own lines."""
    import docx
    from docx.opc.exceptions import PackageNotFoundError
    from docx.table import Table

    _check_package(path, limits)
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


def _check_package(path: Path, limits: Limits) -> None:
    """Refuse a .docx whose parts unpack to too much, judged by the ZIP directory before any unpacking.

    python-docx reads every part into memory and parses the XML ones; the sizes the directory
    declares bound what reading can produce, since Python's zipfile stops at the declared size.
    """
    try:
        with zipfile.ZipFile(path) as package:
            parts = package.infolist()
    except (zipfile.BadZipFile, OSError):
        return  # python-docx says why it is not a package
    for part in parts:
        ratio = part.file_size / max(part.compress_size, 1)
        if part.file_size > _RATIO_FLOOR_BYTES and ratio > limits.max_compression_ratio:
            raise UnreadableError(
                f"is a ZIP bomb or a damaged Word file: its part {part.filename} unpacks "
                f"{ratio:,.0f} times its packed size ({part.file_size / _MB:,.0f} MB), more than "
                f"ingest.max_compression_ratio ({limits.max_compression_ratio}) in params.yaml allows; "
                "open it in Word and save it again, or raise the limit if you trust the file"
            )
    # Pictures are held as bytes, not parsed; the markup is what costs memory many times over.
    limits.check_unpacked(
        sum(part.file_size for part in parts if not part.filename.startswith("word/media/")),
        "unpacks to",
    )


def _clean_title(title: object) -> str | None:
    if isinstance(title, str) and title.strip():
        return " ".join(title.split())
    return None


def _check_text_size(path: Path, limits: Limits) -> None:
    # No encoding takes more than four bytes a character: a larger file cannot be within the cap.
    limits.check_chars(path.stat().st_size // 4)


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
