"""Decoding the bytes of plain-text files whose encoding nobody wrote down."""

from __future__ import annotations

import codecs
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


class UndecodableError(ValueError):
    """The bytes are not text in any encoding we accept; the message says why."""


class Decoded(NamedTuple):
    text: str
    encoding: str
    note: str = ""  # what had to be repaired, for the manifest


def decode_bytes(data: bytes) -> Decoded:
    """The text and encoding of the bytes of a text file.

    A byte-order mark decides first; then UTF-16 without one; then strict UTF-8, the encoding
    of nearly everything written today; then charset-normalizer chooses among the Western
    European code pages; last, UTF-8 with a few damaged bytes is read with those replaced by
    U+FFFD, and ``note`` says so. Raises
    :class:`UndecodableError` for binary data.
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
    if b"\x00" in data:
        raise UndecodableError(
            "contains NUL bytes, so it is binary data rather than text; "
            "check that the file ending matches its content"
        )
    try:
        return Decoded(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError:
        pass
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
