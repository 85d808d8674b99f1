"""Decoding the bytes of plain-text files whose encoding nobody wrote down."""

from __future__ import annotations

import codecs
import re
from typing import NamedTuple

from charset_normalizer import from_bytes

# Norwegian text outside Unicode is almost always Windows-1252 or one of its ISO cousins;
# letting the detector consider every code page invites Cyrillic or Greek misreadings.
CANDIDATES = ["cp1252", "iso8859_15", "latin_1"]

# Byte-order marks, longest first: the UTF-32 LE mark begins with the UTF-16 LE one.
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


# UTF-16 text without a byte-order mark: most high bytes are NUL.
_UTF16_NUL_SHARE = 0.7
# UTF-8 with a few damaged bytes is still UTF-8 text when at most this share is bad.
_DAMAGED_UTF8_SHARE = 0.01
# Text holds tabs, line and page breaks, and perhaps a stray NUL or EOF mark from an old editor;
# binary data (images, archives, executables) is full of control bytes.
_CONTROL_BYTES = bytes([*range(0x00, 0x09), *range(0x0E, 0x20), 0x7F])
_BINARY_CONTROL_SHARE = 0.01
# A UTF-8 multi-byte sequence: Windows-1252 text almost never contains one by accident.
_UTF8_SEQUENCE = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}")


class UndecodableError(ValueError):
    """The bytes are not text in any encoding we accept; the message says why."""


class Decoded(NamedTuple):
    text: str
    encoding: str
    note: str = ""  # what had to be repaired, for the manifest


def decode_bytes(data: bytes) -> Decoded:
    """The text and encoding of the bytes of a text file.

    A byte-order mark decides first; then UTF-16 without one; then strict UTF-8, the encoding
    of nearly everything written today; then line by line, for a file mixing UTF-8 and
    Windows-1252 lines; then charset-normalizer chooses among the Western European code pages;
    last, UTF-8 with a few damaged bytes is read with those replaced by U+FFFD. Stray NUL bytes
    are dropped. ``note`` says what was repaired. Raises :class:`UndecodableError` for binary
    data.
    """
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return Decoded(data.decode(encoding), encoding)
            except UnicodeDecodeError as error:
                raise UndecodableError(
                    f"starts with a {encoding} byte-order mark but is not valid {encoding} "
                    f"(byte {error.start}); re-save it as UTF-8"
                ) from error
    bomless = _bomless_utf16(data)
    if bomless is not None:
        return bomless
    if len(data) - len(data.translate(None, _CONTROL_BYTES)) > _BINARY_CONTROL_SHARE * len(data):
        raise UndecodableError(
            "is binary data rather than text (more than 1 % control bytes such as NUL); "
            "check that the file ending matches its content"
        )
    notes = []
    nuls = data.count(0)
    if nuls:
        # A few NULs in text are debris from an old editor or a copy; the text around them is whole.
        data = data.replace(b"\x00", b"")
        notes.append(f"{nuls} NUL byte{'s' if nuls > 1 else ''} removed")
    decoded = _decode_text(data)
    return decoded._replace(note="; ".join([*notes, decoded.note] if decoded.note else notes))


def _decode_text(data: bytes) -> Decoded:
    try:
        return Decoded(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError:
        pass
    mixed = _mixed_utf8_cp1252(data)
    if mixed is not None:
        return mixed
    best = from_bytes(data, cp_isolation=CANDIDATES).best()
    if best is None:
        damaged = _damaged_utf8(data)
        if damaged is not None:
            return damaged
        raise UndecodableError(
            "is neither UTF-8 nor Windows-1252/Latin-1 text: it looks like binary data or an "
            "unsupported encoding; check the file ending, or re-save the text as UTF-8"
        )
    return Decoded(str(best), _canonical_name(data, best.encoding))


def _mixed_utf8_cp1252(data: bytes) -> Decoded | None:
    """Text pasted together from UTF-8 and Windows-1252 files, decoded line by line.

    A line that is valid UTF-8, or holds UTF-8 sequences among a few damaged bytes, is UTF-8;
    any other line is Windows-1252. Only a file with both kinds of line counts as mixed.
    """
    lines = data.splitlines(keepends=True)
    utf8_lines = cp1252_lines = 0
    out = []
    for line in lines:
        try:
            text = line.decode("utf-8")
            utf8_lines += not line.isascii()
        except UnicodeDecodeError:
            if _UTF8_SEQUENCE.search(line):
                text = line.decode("utf-8", errors="replace")
            else:
                text = line.decode("cp1252", errors="replace")
                cp1252_lines += 1
        out.append(text)
    if not (utf8_lines and cp1252_lines):
        return None
    plural = "s" if cp1252_lines > 1 else ""
    return Decoded(
        "".join(out),
        "utf-8+cp1252",
        f"mixed encodings: {cp1252_lines} line{plural} decoded as cp1252, the rest as UTF-8",
    )


def _bomless_utf16(data: bytes) -> Decoded | None:
    if len(data) < 4 or len(data) % 2:
        return None
    for encoding, high_bytes in (("utf-16-le", data[1::2]), ("utf-16-be", data[0::2])):
        if high_bytes.count(0) >= _UTF16_NUL_SHARE * len(high_bytes):
            try:
                text = data.decode(encoding)
            except UnicodeDecodeError:
                return None
            if all(char.isprintable() or char.isspace() for char in text):
                return Decoded(text, encoding)
    return None


def _damaged_utf8(data: bytes) -> Decoded | None:
    """UTF-8 text with a few bad bytes: more intact non-ASCII letters than bad bytes, ≤ 1 % bad."""
    text = data.decode("utf-8", errors="replace")
    bad = text.count("\ufffd")
    intact = sum(1 for char in text if ord(char) > 127 and char != "\ufffd")
    if not bad or bad > intact or bad > max(1, int(len(text) * _DAMAGED_UTF8_SHARE)):
        return None
    plural = "s" if bad > 1 else ""
    return Decoded(text, "utf-8", f"{bad} undecodable byte{plural} replaced by U+FFFD; the rest read as UTF-8")


def _canonical_name(data: bytes, detected: str) -> str:
    """Name the encoding as Python does, preferring cp1252 when it reads the bytes the same way.

    Latin-1 and Windows-1252 agree on every letter Norwegian uses, so which one the detector
    reports for a file without curly quotes or dashes is arbitrary; naming the superset keeps
    the record stable.
    """
    name = codecs.lookup(detected).name
    if name != "cp1252":
        try:
            if data.decode("cp1252") == data.decode(name):
                return "cp1252"
        except UnicodeDecodeError:
            pass
    return name
