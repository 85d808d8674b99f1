"""Character-level clean-up: repair encoding damage and give every kind of quote, dash, space
and bullet a single spelling, so later stages match patterns on one form only.

The mapping (applied after NFC):

* mojibake repaired with ftfy (quotes, HTML entities and character width left to us), line by
  line, and only where the damage came from reading UTF-8 as Latin-1/Windows-1252 (how
  Norwegian text gets damaged); ftfy's guesses at rarer encodings (Mac Roman, CP437 …) misfire
  on correct text, e.g. turning a closing ``»Å`` into ``ȁ``; ftfy also spells out the Latin
  ligatures PDFs carry (``ﬁ`` → ``fi``);
* CRLF, CR, NEL, vertical tab, form feed and LINE SEPARATOR become a line break,
  PARAGRAPH SEPARATOR a blank line; a tab becomes a space;
* other control characters, zero-width and bidirectional format characters are removed;
* a soft hyphen (U+00AD) right before a line break joins the two pieces into one word,
  elsewhere it is removed;
* “ ” „ ‟ become ``"``; ‘ ’ ‚ ‛ become ``'``; « » are kept;
* em dash, horizontal bar and figure dash become an en dash ``–``; the minus sign U+2212
  becomes ``–`` only when it stands alone between spaces (a dash), never in ``−5``;
  the non-breaking hyphen U+2011 becomes ``-``;
* every Unicode space (no-break, narrow no-break, figure, thin, ideographic …) becomes ``" "``;
* a bullet glyph (• ◦ ▪ ● ‣ ∙ · ■ ○ ►, or ``*`` followed by a space) at the start of a line
  becomes ``"• "`` and the line's indentation is dropped;
* runs of spaces collapse to one and every line is stripped.
"""

from __future__ import annotations

import functools
import re
import unicodedata

import ftfy

# We unify quotes ourselves (keeping « »), decode no HTML entities in what is already text and
# leave full-width forms alone: ftfy should only undo encoding damage.
_FTFY = ftfy.TextFixerConfig(
    unescape_html=False,
    uncurl_quotes=False,
    fix_character_width=False,
    fix_line_breaks=False,
    normalization="NFC",
)

_FTFY_NO_DECODING = _FTFY._replace(fix_encoding=False)
_TRUSTED_MOJIBAKE_SOURCES = frozenset({"latin-1", "windows-1252", "sloppy-windows-1252"})

_LINE_BREAKS = re.compile(r"\r\n|[\r\x0b\x0c\x85\u2028]")

_SOFT_HYPHEN_AT_BREAK = re.compile(r"\u00ad[^\S\n]*\n[^\S\n]*(?=\S)")

_SPACES = "\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000\t"
_FORMAT_CHARS = (
    "\u00ad\u061c\u180e\u200b\u200c\u200d\u200e\u200f\u202a\u202b\u202c\u202d\u202e"
    "\u2060\u2061\u2062\u2063\u2064\u2066\u2067\u2068\u2069\u206a\u206b\u206c\u206d\u206e\u206f\ufeff"
)
_CONTROL_CHARS = "".join(chr(c) for c in [*range(0x00, 0x20), *range(0x7F, 0xA0)] if c != 0x0A)

_TABLE = str.maketrans(
    {
        **{c: '"' for c in "\u201c\u201d\u201e\u201f"},
        **{c: "'" for c in "\u2018\u2019\u201a\u201b"},
        **{c: "\u2013" for c in "\u2014\u2015\u2012"},
        "\u2011": "-",
        **{c: " " for c in _SPACES},
        **{c: None for c in _FORMAT_CHARS},
        **{c: None for c in _CONTROL_CHARS if c != "\t"},
    }
)

_MINUS_AS_DASH = re.compile(r"(?<![^\s])\u2212(?=\s)")
_BULLET = re.compile(r"^(?:[•◦▪●‣∙·■○►]|\*(?= ))\s*(?=\S)")
_SPACE_RUN = re.compile(r" {2,}")

# Printable ASCII and the Norwegian letters: in Latin-1 or Windows-1252 those letters are UTF-8
# lead bytes with no continuation byte to follow, in Mac Roman or CP437 continuation bytes with
# no lead byte, so no mis-decoding can have produced such a line, and it is already NFC. ftfy
# would return it unchanged; most lines are like it, and ftfy's checks are the costly part.
_UNDAMAGED = re.compile(r"[ -~æøåÆØÅéÉ]*")


# Each line is seen again by normalise's confirming pass, and headers and footers recur across
# documents: ftfy's verdict on a line is kept rather than worked out again.
@functools.lru_cache(maxsize=1 << 16)
def _repair_mojibake(line: str) -> str:
    if _UNDAMAGED.fullmatch(line):
        return line
    fixed, plan = ftfy.fix_and_explain(line, _FTFY)
    if any(action == "encode" and encoding not in _TRUSTED_MOJIBAKE_SOURCES for action, encoding in plan):
        return ftfy.fix_text(line, _FTFY_NO_DECODING)
    return fixed


def repair_characters(text: str) -> str:
    """Undo mojibake and bring line breaks, quotes, dashes, spaces and bullets to one form."""
    text = _LINE_BREAKS.sub("\n", text).replace("\u2029", "\n\n")
    text = "\n".join(_repair_mojibake(line) for line in text.split("\n"))
    text = unicodedata.normalize("NFC", text)
    text = _SOFT_HYPHEN_AT_BREAK.sub("", text)
    text = text.translate(_TABLE)
    text = _MINUS_AS_DASH.sub("\u2013", text)
    lines = (_SPACE_RUN.sub(" ", line).strip() for line in text.split("\n"))
    return "\n".join(_BULLET.sub("• ", line) for line in lines)
