"""Turning one file into normalised text plus metadata, or into the reason it cannot be."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from diskurs.ingest.metadata import classify_metadata_line, extract_metadata
from diskurs.ingest.readers import DEFAULT_LIMITS, READERS, Limits, ReadResult, UnreadableError
from diskurs.normalise import normalise

_NO_CONTENT = {
    "html": "no main content found in the page (only navigation, forms or scripts?)",
    "pdf": "no text layer (scanned pages?); run OCR on it first",
    "docx": "the document contains no text",
}


@dataclass
class Ingested:
    source: str
    format: str
    status: str  # ok | empty | no_content | unreadable | unsupported
    reason: str = ""
    encoding: str | None = None
    chars_in: int | None = None
    text: str = ""  # normalised
    metadata: dict = field(default_factory=dict)


def doc_id(text: str) -> str:
    """Stable identifier of a document: the first 16 hex digits of the SHA-256 of its text."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def ingest_file(path: Path, source: str, extensions: set[str], limits: Limits = DEFAULT_LIMITS) -> Ingested:
    """Read, normalise and describe one file within ``limits``; never raises for a bad file."""
    suffix = path.suffix.lower()
    fmt = READERS[suffix][0] if suffix in READERS else suffix.lstrip(".")
    if suffix not in extensions:
        ending = f"file ending '{suffix}'" if suffix else "no file ending"
        return Ingested(source, fmt, "unsupported", f"{ending} is not in ingest.extensions")
    if suffix not in READERS:
        return Ingested(
            source,
            fmt,
            "unsupported",
            f"no reader for '{suffix}' files (readable: {', '.join(READERS)}); remove it from ingest.extensions",
        )
    reader = READERS[suffix][1]
    try:
        if path.stat().st_size == 0:
            return Ingested(source, fmt, "empty", "the file is empty (0 bytes)", chars_in=0)
        result = reader(path, limits)
        limits.check_chars(len(result.text))
    except UnreadableError as error:
        return Ingested(source, fmt, "unreadable", f"{source} {error}")
    except PermissionError:
        return Ingested(
            source,
            fmt,
            "unreadable",
            f"{source}: permission denied: cannot read this file; give read access (chmod +r) "
            "or move it out of the input folder",
        )
    except Exception as error:  # a library failing on one odd file must not stop the run
        # Library messages may quote the absolute path; the manifest names files by source.
        detail = str(error).replace(str(path), source)
        return Ingested(
            source, fmt, "unreadable", f"{source} could not be read as {fmt}: {type(error).__name__}: {detail}"
        )
    if not result.text.strip():
        if fmt in ("txt", "md"):
            return Ingested(source, fmt, "empty", "contains only whitespace", result.encoding, result.chars_in)
        return Ingested(source, fmt, "no_content", _NO_CONTENT[fmt], result.encoding, result.chars_in)
    text = normalise(result.text, standalone=_is_metadata_line)
    if not text.strip():
        return Ingested(source, fmt, "no_content", "no text left after normalisation", result.encoding, result.chars_in)
    return Ingested(
        source,
        fmt,
        "ok",
        reason=result.note,
        encoding=result.encoding,
        chars_in=result.chars_in,
        text=text,
        metadata=merge_metadata(result, extract_metadata(text)),
    )


def _is_metadata_line(line: str) -> bool:
    # Bylines, URL lines and print headers must stay lines of their own so that clean can
    # remove exactly them.
    return classify_metadata_line(line) is not None


def merge_metadata(read: ReadResult, found: dict) -> dict:
    """The document's own metadata (HTML, PDF, DOCX) first, then what its lines say."""
    return {
        "title": read.title or found["title"],
        "published": read.published or found["published"],
        "authors": list(dict.fromkeys([*read.authors, *found["authors"]])),
        "urls": list(dict.fromkeys([*read.urls, *found["urls"]])),
        "printed_at": found["printed_at"],
    }
