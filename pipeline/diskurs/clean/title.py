"""The document's own title where it repeats in the text.

The title is kept in the record's ``title`` field, so its line in the text is not body. Printed
pages from some news sites also repeat it inside the first paragraph behind the site's name,
glued to the photo caption that follows ("Anbud365: <title><caption>"): the prefix and title are
cut off and the caption kept. The printed title may differ slightly from the record's ("for"
instead of "om"), so the match is fuzzy.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from difflib import SequenceMatcher

from diskurs.ingest.metadata import looks_like_headline

# "Anbud365: ", "Dagens Medisin: ": a site name of at most four words and a colon.
_SITE_PREFIX_RE = re.compile(r"^\s*([^\s:]{2,40}(?:\s[^\s:]{1,40}){0,3}):\s+")
_MIN_SIMILARITY = 0.85
_LENGTH_TOLERANCE = 0.2


def _key(text: str) -> str:
    return " ".join(text.casefold().split()).rstrip(" .!?:")


def is_title_line(line: str, title: str | None) -> bool:
    """Whether ``line`` is the title itself (case and spacing ignored)."""
    return bool(title and _key(title) and _key(line) == _key(title))


def split_title_prefix(line: str, title: str | None) -> tuple[str, str] | None:
    """``(removed, kept)`` when ``line`` starts with "<Site>: <title>", else None.

    ``kept`` is what follows the title (the caption) and may be empty.
    """
    if not title:
        return None
    prefix = _SITE_PREFIX_RE.match(line)
    if prefix is None:
        return None
    rest = line[prefix.end() :]
    target = _key(title)
    tolerance = int(len(target) * _LENGTH_TOLERANCE) + 3
    best_ratio, best_end = 0.0, None
    for end in _boundaries(rest, len(target) - tolerance, len(target) + tolerance):
        ratio = SequenceMatcher(None, _key(rest[:end]), target).ratio()
        if ratio > best_ratio:
            best_ratio, best_end = ratio, end
    if best_end is None or best_ratio < _MIN_SIMILARITY:
        return None
    return line[: prefix.end() + best_end].strip(), rest[best_end:].strip()


def _boundaries(text: str, low: int, high: int):
    """Positions where the title may end: a space, the end of the text, or a word glued to
    the next sentence ("anskaffelserIngrid")."""
    for end in range(max(low, 1), min(high, len(text)) + 1):
        if end == len(text) or text[end].isspace():
            yield end
        elif text[end].isupper() and text[end - 1].islower():
            yield end


def choose_title(
    lines: Sequence[str],
    title: str | None,
    is_debris: Callable[[str], bool],
    is_byline: Callable[[str], bool],
) -> str | None:
    """The document's headline: ``title`` unless that is boilerplate itself.

    Ingest takes the first line of a printed page as its title, which may be a skip link or a
    cookie banner. Then the headline is the line standing right above the first byline or
    dateline, else the first line that is not boilerplate if it is no sentence; else there is
    no title (nothing is then removed from the body as the title).
    """
    if title and not is_debris(title) and looks_like_headline(title):
        return title
    content = [(index, line) for index, line in enumerate(lines) if line and not is_debris(line)]
    first_byline = next((index for index, line in enumerate(lines) if line and is_byline(line)), None)
    if first_byline is not None:
        above = [line for index, line in content if index < first_byline]
        if above and looks_like_headline(above[-1]):
            return above[-1]
    # Without a byline, only a headline that comes before the body counts.
    if content and looks_like_headline(content[0][1]):
        return content[0][1]
    return None
