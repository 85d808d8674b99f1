"""Decoding the bytes of plain-text files whose encoding nobody wrote down."""

from __future__ import annotations

import codecs

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


class UndecodableError(ValueError):
    """The bytes are not text in any encoding we accept; the message says why."""


def decode_bytes(data: bytes) -> tuple[str, str]:
    """Return ``(text, encoding)`` for the bytes of a text file.

    A byte-order mark decides first; then strict UTF-8, the encoding of nearly everything
    written today; only then is charset-normalizer asked to choose among the Western
    European code pages. Raises :class:`UndecodableError` for binary data.
    """
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding), encoding
            except UnicodeDecodeError as error:
                raise UndecodableError(
                    f"starts with a {encoding} byte-order mark but is not valid {encoding} "
                    f"(byte {error.start}); re-save it as UTF-8"
                ) from error
    if b"\x00" in data:
        raise UndecodableError(
            "contains NUL bytes, so it is binary data rather than text; "
            "check that the file ending matches its content"
        )
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    best = from_bytes(data, cp_isolation=CANDIDATES).best()
    if best is None:
        raise UndecodableError(
            "is neither UTF-8 nor Windows-1252/Latin-1 text: it looks like binary data or an "
            "unsupported encoding; check the file ending, or re-save the text as UTF-8"
        )
    return str(best), _canonical_name(data, best.encoding)


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
