"""Re-join hard-wrapped lines into paragraphs while paragraph breaks, headings and lists survive.

Input is text whose characters are already unified (see :mod:`diskurs.normalise.characters`):
stripped lines, bullets spelled ``"• "``.

A line is joined to the next non-blank line when neither of them is a URL line and the next one
is not a list item (``•``, ``1)``, ``1.``, ``a)``, ``-``/``–`` followed by a space), the line does
not end a sentence (``. ! ? : ; …``, possibly followed by closing quotes or brackets), and one of:

1. **Wrap width.** The document is hard-wrapped (see :func:`estimate_wrap_width`) and the line
   is close to the wrap width. This also continues a wrapped list item. It works across a
   blank line only in documents whose wrapped lines are mostly followed by a blank line,
   because some extractors put blank lines between the pieces of a wrapped line; elsewhere a
   blank line after a long line (a title, say) is a real paragraph break.
2. **Mid-sentence ending.** The line ends in a comma, a dash, a word hyphen or a Norwegian
   function word ("og", "da", "i", "til" …) and the next line starts with a lower-case letter
   (across a blank line too); or the line ends in a word hyphen and the next line follows
   directly and starts with a letter or digit.
3. **Lower-case continuation.** The next line follows directly (no blank line), starts with a
   lower-case letter and is not a byline ("av Kari Nordmann"), and the line is no heading: it
   is at least 40 characters long.

Rules 2 and 3 never continue a list item; only a wrapped one (rule 1) goes on to the next line.
A line the caller marks as standalone (a byline or a print header, say) is never joined to
anything, in either direction.

Short lines that end in a content word and no punctuation ("Samlet inn innspill") are thus
never glued to what follows, and paragraphs of a document that is not hard-wrapped stay apart.

Line-end hyphenation: when a line ending in ``<word>-`` is joined, the hyphen is dropped only
when the piece before it is two or more lower-case letters and the next piece starts with a
lower-case letter and is not a conjunction (og, eller, samt, som, til): "helse-" + "tjenesten"
gives "helsetjenesten". Before such a conjunction the hyphen is a real one and a space follows
("helse- og omsorgstjenesten"); in every other case the hyphen is kept and no space added
("HelseOmsorg21-rådet", "Nord-Norge", "e-helse", "covid-19").
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

# A hard wrap leaves most long lines within a few characters of a common maximum; lines this
# share of that maximum or longer are taken as cut by the wrap.
NEAR_WIDTH = 0.8
# Lines shorter than this tell nothing about the wrap width (headings, signatures).
MIN_BODY_LINE = 20
MIN_WRAPPED_LINES = 4
# Nobody wraps prose wider than this; longer lines are whole paragraphs.
MAX_WRAP_WIDTH = 200
MIN_SENTENCE_LINE = 40

_LIST_ITEM = re.compile(r"^(?:•|(?:\d{1,2}[.)]|[a-z]\)|[-–])(?:\s|$))")
_URL_LINE = re.compile(r"^(?:https?://|www\.)\S*$", re.IGNORECASE)
_SENTENCE_END = re.compile(r"[.!?:;…][\"'»)\]]*$")
_WORD_HYPHEN = re.compile(r"(\w+)-$")
_BYLINE = re.compile(r"^av [A-ZÆØÅ]")
_LAST_WORD = re.compile(r"(\w+)$")
_FIRST_WORD = re.compile(r"^(\w+)")

_FUNCTION_WORDS = frozenset(
    """
    og eller men samt som at da når der hvor om enn så både
    i på til for fra av med mot ved under over etter før mellom gjennom uten innen hos blant rundt
    å en et ei den det de dette disse denne sin sitt sine sin seg
    er var har hadde ble blir kan skal vil må bør kunne skulle ville ikke også
    """.split()
)
_SUSPENDING_CONJUNCTIONS = frozenset({"og", "eller", "samt", "som", "til"})


def is_list_item(line: str) -> bool:
    return bool(_LIST_ITEM.match(line))


def is_url_line(line: str) -> bool:
    return bool(_URL_LINE.match(line))


def ends_sentence(line: str) -> bool:
    return bool(_SENTENCE_END.search(line))


def _ends_mid_sentence(line: str) -> bool:
    if line.endswith((",", "-", "–")):
        return True
    last = _LAST_WORD.search(line)
    return bool(last) and last.group(1) in _FUNCTION_WORDS


def estimate_wrap_width(lines: list[str]) -> int | None:
    """The width a document was hard-wrapped at, or None when it is not hard-wrapped.

    Taken as the 90th percentile of the lengths of its body lines; the document counts as
    wrapped when at least half of those lines lie within [0.8, 1.25] of that width and most of
    them end mid-sentence (a wrap cuts sentences; whole paragraphs end in punctuation).
    """
    body = [line for line in lines if len(line) >= MIN_BODY_LINE and not is_list_item(line) and not is_url_line(line)]
    if len(body) < MIN_WRAPPED_LINES:
        return None
    lengths = sorted(len(line) for line in body)
    width = lengths[int(0.9 * (len(lengths) - 1))]
    if width > MAX_WRAP_WIDTH:
        return None
    in_band = [line for line in body if NEAR_WIDTH * width <= len(line) <= 1.25 * width]
    cut = [line for line in in_band if not ends_sentence(line)]
    if len(in_band) * 2 < len(body) or len(cut) < max(MIN_WRAPPED_LINES - 1, len(in_band) / 2):
        return None
    return width


def join_pieces(left: str, right: str) -> str:
    """Join two pieces of one paragraph, resolving line-end hyphenation (rule in module doc)."""
    hyphen = _WORD_HYPHEN.search(left)
    if not hyphen:
        return f"{left} {right}"
    first = _FIRST_WORD.match(right)
    if first and first.group(1) in _SUSPENDING_CONJUNCTIONS:
        return f"{left} {right}"
    fragment = hyphen.group(1)
    if len(fragment) >= 2 and fragment.isalpha() and fragment.islower() and right[:1].islower():
        return left[:-1] + right
    return left + right


@dataclass
class _Paragraph:
    text: str
    last_line: str
    is_list: bool
    blank_before: bool


def _wrapped_across_blanks(lines: list[str], width: int | None) -> bool:
    """Whether most lines cut by the wrap are followed by a blank line before their continuation."""
    if width is None:
        return False
    cut = [i for i, line in enumerate(lines[:-1]) if len(line) >= NEAR_WIDTH * width and not ends_sentence(line)]
    return bool(cut) and sum(1 for i in cut if not lines[i + 1]) * 2 >= len(cut)


@dataclass(frozen=True)
class _Wrap:
    width: int | None
    across_blanks: bool


def _continues(para: _Paragraph, line: str, blank_between: bool, wrap: _Wrap) -> bool:
    prev = para.last_line
    if is_list_item(line) or is_url_line(line) or is_url_line(prev) or ends_sentence(prev):
        return False
    if wrap.width is not None and len(prev) >= NEAR_WIDTH * wrap.width and (wrap.across_blanks or not blank_between):
        return True
    if para.is_list:
        return False
    if _WORD_HYPHEN.search(prev) and not blank_between and line[:1].isalnum():
        return True
    if not line[:1].islower():
        return False
    if _ends_mid_sentence(prev):
        return True
    return not blank_between and len(prev) >= MIN_SENTENCE_LINE and not _BYLINE.match(line)


def unwrap(text: str, standalone: Callable[[str], bool] | None = None) -> str:
    """Join wrapped lines; paragraphs are separated by one blank line, nothing else changes.

    ``standalone(line)`` marks lines that must stay lines of their own.
    """
    lines = text.split("\n")
    width = estimate_wrap_width([line for line in lines if line])
    wrap = _Wrap(width, _wrapped_across_blanks(lines, width))
    paragraphs: list[_Paragraph] = []
    blank = False
    alone = False
    for line in lines:
        if not line:
            blank = True
            continue
        line_alone = bool(standalone and standalone(line))
        if paragraphs and not alone and not line_alone and _continues(paragraphs[-1], line, blank, wrap):
            para = paragraphs[-1]
            para.text = join_pieces(para.text, line)
            para.last_line = line
        else:
            paragraphs.append(_Paragraph(line, line, is_list_item(line), blank))
        blank = False
        alone = line_alone
    out: list[str] = []
    for para in paragraphs:
        if out:
            out.append("\n\n" if para.blank_before else "\n")
        out.append(para.text)
    return "".join(out)
