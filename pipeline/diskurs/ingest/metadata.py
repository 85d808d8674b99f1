"""Recognising metadata lines in Norwegian text: bylines, URL lists and print timestamps.

The clean stage removes the lines this module recognises, so a false match costs a body
sentence: every pattern is anchored to the whole line, and author names must look like names
(capitalised words, or all capitals in a capitalised byline) so that sentences such as
"Av de 50 deltagerne ..." or "av og til ..." never match.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo


@dataclass(frozen=True)
class MetadataLine:
    kind: str  # "byline" | "url" | "printed_at"
    authors: tuple[str, ...] = ()
    published: str | None = None  # ISO 8601 date
    printed_at: str | None = None  # ISO 8601 datetime with offset
    urls: tuple[str, ...] = ()


MONTHS = {
    "januar": 1, "jan": 1,
    "februar": 2, "feb": 2,
    "mars": 3, "mar": 3,
    "april": 4, "apr": 4,
    "mai": 5,
    "juni": 6, "jun": 6,
    "juli": 7, "jul": 7,
    "august": 8, "aug": 8,
    "september": 9, "sept": 9, "sep": 9,
    "oktober": 10, "okt": 10,
    "november": 11, "nov": 11,
    "desember": 12, "des": 12,
}  # fmt: skip
_MONTH = "(?:" + "|".join(sorted(MONTHS, key=len, reverse=True)) + ")"
# "19. okt. 2021", "3. mars 2022", "19.10.2021", "2021-10-19".
_DATE = rf"(?:\d{{1,2}}\.\s*{_MONTH}\.?\s+\d{{4}}|\d{{1,2}}\.\d{{1,2}}\.\d{{4}}|\d{{4}}-\d{{2}}-\d{{2}})"
_TIME = r"(?:\s*,?\s*(?:kl\.?\s*)?\d{1,2}[.:]\d{2})"
# "... | Sist oppdatert 4. mars 2022": the update date is not the publication date.
_UPDATED = r"(?:\s*[|·,–-]?\s*(?:sist\s+)?(?:oppdatert|endret)\s*:?\s*.{0,60})"
_URL = r"(?:https?://|www\.)\S+"

_WORD_DATE_RE = re.compile(rf"(\d{{1,2}})\.\s*({_MONTH})\.?\s+(\d{{4}})", re.IGNORECASE)
_NUMERIC_DATE_RE = re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{4})")
_ISO_DATE_RE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")

_PRINT_MESSAGE_RE = re.compile(
    rf"^meldinger ved utskriftstidspunkt\s+(?P<date>{_DATE})\s*,?\s*(?:kl\.?\s*)?"
    r"(?P<hour>\d{1,2})[.:](?P<minute>\d{2})\s*(?P<tz>CEST|CET|UTC|GMT)?\s*\.?$",
    re.IGNORECASE,
)
# Browser print headers: "14.07.2024, 16:05  Page title" (Norwegian locale) or
# "7/14/24, 4:05 PM  Page title" (English locale).
_PRINT_HEADER_RE = re.compile(
    r"^(?P<day>\d{1,2})\.(?P<month>\d{1,2})\.(?P<year>\d{4}|\d{2}),?\s+"
    r"(?P<hour>\d{1,2})[:.](?P<minute>\d{2})(?:\s+\S.*)?$"
)
_PRINT_HEADER_US_RE = re.compile(
    r"^(?P<month>\d{1,2})/(?P<day>\d{1,2})/(?P<year>\d{4}|\d{2}),\s+"
    r"(?P<hour>\d{1,2}):(?P<minute>\d{2})\s*(?P<ampm>[AP]M)(?:\s+\S.*)?$",
    re.IGNORECASE,
)
# Browser print footer: the page address and "page/pages".
_URL_WITH_PAGE_COUNT_RE = re.compile(rf"^(?P<url>{_URL})\s+\d{{1,4}}/\d{{1,4}}$")
_URL_TOKEN_RE = re.compile(rf"^{_URL}$")

_BYLINE_RE = re.compile(
    r"^(?:av|skrevet\s+av|tekst(?:\s+og\s+foto)?\s*:|forfattere?\s*:)\s+(?P<rest>\S.*)$",
    re.IGNORECASE,
)
_TRAILING_DATE_RE = re.compile(
    rf"[\s,|·–-]*(?:publisert\s*:?\s*)?(?P<date>{_DATE}){_TIME}?{_UPDATED}?\s*\.?$",
    re.IGNORECASE,
)
_PUBLISHED_RE = re.compile(
    rf"^publisert\s*:?\s*(?P<date>{_DATE}){_TIME}?{_UPDATED}?"
    r"(?:\s+av\s+(?P<names>\S.*?))?\s*\.?$",
    re.IGNORECASE,
)
# Credits that may follow the author on the same line ("Tekst: Kari Nordmann Foto: Ola Dahl").
_OTHER_CREDITS_RE = re.compile(r"\s+(?:foto|illustrasjon|grafikk|video)\s*:.*$", re.IGNORECASE)

_UPPER = "A-ZÆØÅÄÖÜÉÈÁÓÍÚ"
_LOWER = "a-zæøåäöüéèáóíúñçß"
_MIXED_TOKEN_RE = re.compile(rf"^[{_UPPER}][{_LOWER}'’]+(?:-[{_UPPER}][{_LOWER}'’]+)*$")
_CAPS_TOKEN_RE = re.compile(rf"^[{_UPPER}]{{2,}}(?:-[{_UPPER}]{{2,}})*$")
_INITIAL_RE = re.compile(rf"^[{_UPPER}]\.?$")
_PARTICLES = {"von", "van", "der", "den", "de", "da", "di", "du", "la", "le"}
_NAME_SEPARATOR_RE = re.compile(r"\s+(?:og|&)\s+|\s*&\s*", re.IGNORECASE)
_MAX_LINE = 200
_MAX_ROLE_WORDS = 15

_OSLO = ZoneInfo("Europe/Oslo")
_OFFSETS = {"CET": 1, "CEST": 2, "UTC": 0, "GMT": 0}


def classify_metadata_line(line: str) -> MetadataLine | None:
    """Return what metadata ``line`` carries, or None when it is not a metadata line."""
    line = " ".join(line.split())
    if not line:
        return None
    tokens = line.split(" ")
    if all(_URL_TOKEN_RE.match(token) for token in tokens):
        return MetadataLine(kind="url", urls=tuple(tokens))
    if len(line) > _MAX_LINE:
        return None
    if match := _URL_WITH_PAGE_COUNT_RE.match(line):
        return MetadataLine(kind="url", urls=(match["url"],))
    if printed := _printed_at(line):
        return MetadataLine(kind="printed_at", printed_at=printed)
    return _byline(line)


# A headline is a line of its own, not a paragraph: short, one phrase, no closing full stop.
_MAX_HEADLINE = 200
_SENTENCE_BREAK = re.compile(r"[.!?]\s+[A-ZÆØÅ]")


def looks_like_headline(line: str) -> bool:
    """Whether a line can be a document's title rather than the start of its body."""
    line = line.strip()
    return 0 < len(line) <= _MAX_HEADLINE and not line.endswith(".") and not _SENTENCE_BREAK.search(line)


def extract_metadata(text: str) -> dict:
    """Title, publication date, authors, URLs and print time found in a document's lines.

    The title is the first non-empty line that is not itself metadata, without Markdown '#',
    when it looks like a headline; a document that starts with its body has no title.
    Authors and URLs keep their first-seen order without repeats; for the dates the first
    one found wins.
    """
    title: str | None = None
    first_line_seen = False
    published: str | None = None
    printed_at: str | None = None
    authors: dict[str, None] = {}
    urls: dict[str, None] = {}
    for line in text.splitlines():
        if not line.strip():
            continue
        found = classify_metadata_line(line)
        if found is None:
            if not first_line_seen:
                first_line_seen = True
                candidate = line.strip().lstrip("#").strip()
                title = candidate if looks_like_headline(candidate) else None
            continue
        published = published or found.published
        printed_at = printed_at or found.printed_at
        authors.update(dict.fromkeys(found.authors))
        urls.update(dict.fromkeys(found.urls))
    return {
        "title": title,
        "published": published,
        "authors": list(authors),
        "urls": list(urls),
        "printed_at": printed_at,
    }


def parse_date(text: str) -> str | None:
    """ISO date for a Norwegian date ("19. okt. 2021", "3. mars 2022", "19.10.2021")."""
    if match := _WORD_DATE_RE.search(text):
        day, month, year = int(match[1]), MONTHS[match[2].lower()], int(match[3])
    elif match := _NUMERIC_DATE_RE.search(text):
        day, month, year = int(match[1]), int(match[2]), int(match[3])
    elif match := _ISO_DATE_RE.search(text):
        year, month, day = int(match[1]), int(match[2]), int(match[3])
    else:
        return None
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        return None


def _printed_at(line: str) -> str | None:
    if match := _PRINT_MESSAGE_RE.match(line):
        day = parse_date(match["date"])
        if day is None:
            return None
        return _timestamp(date.fromisoformat(day), int(match["hour"]), int(match["minute"]), match["tz"])
    for pattern in (_PRINT_HEADER_RE, _PRINT_HEADER_US_RE):
        if match := pattern.match(line):
            year = int(match["year"])
            hour = int(match["hour"])
            ampm = match.groupdict().get("ampm")
            if ampm:
                if not 1 <= hour <= 12:
                    return None
                hour = hour % 12 + (12 if ampm.upper() == "PM" else 0)
            try:
                day = date(year + 2000 if year < 100 else year, int(match["month"]), int(match["day"]))
            except ValueError:
                return None
            return _timestamp(day, hour, int(match["minute"]), None)
    return None


def _timestamp(day: date, hour: int, minute: int, zone: str | None) -> str | None:
    """ISO datetime with offset; a named zone wins, otherwise Norwegian local time applies."""
    if hour > 23 or minute > 59:
        return None
    if zone:
        tz = timezone(timedelta(hours=_OFFSETS[zone.upper()]))
    else:
        tz = _OSLO
    stamp = datetime(day.year, day.month, day.day, hour, minute, tzinfo=tz)
    return stamp.isoformat()


def _byline(line: str) -> MetadataLine | None:
    if match := _PUBLISHED_RE.match(line):
        published = parse_date(match["date"])
        if published is None:
            return None
        authors: tuple[str, ...] = ()
        if match["names"]:
            authors = _authors(match["names"]) or ()
            if not authors:
                return None
        return MetadataLine(kind="byline", authors=authors, published=published)
    match = _BYLINE_RE.match(line)
    if match is None:
        return None
    rest = match["rest"]
    published = None
    if dated := _TRAILING_DATE_RE.search(rest):
        published = parse_date(dated["date"])
        if published is not None:
            rest = rest[: dated.start()]
    authors = _authors(_OTHER_CREDITS_RE.sub("", rest))
    if not authors:
        return None
    return MetadataLine(kind="byline", authors=authors, published=published)


def _authors(text: str) -> tuple[str, ...] | None:
    """Names at the start of ``text``, each with the role after a comma when there is one.

    "Kari Nordmann, seniorrådgiver i Helse Vest" gives ("Kari Nordmann, seniorrådgiver i Helse
    Vest",), so the entities stage learns her role and organisation; "Kari Nordmann og Ola Dahl,
    begge rådgivere i LUP" gives each name with "rådgivere i LUP". None when the text does not
    start with a name.
    """
    text = text.strip()
    if not text or text[-1] in "?!:;":
        return None
    segments = [segment.strip() for segment in text.split(",")]
    names: list[str] = []
    role = ""
    for index, segment in enumerate(segments):
        parts = [part for part in _NAME_SEPARATOR_RE.split(segment.rstrip(".")) if part]
        parsed = [_name(part) for part in parts]
        if parts and all(parsed):
            names.extend(parsed)
            continue
        if index == 0:
            return None
        role = ", ".join(segments[index:])
        # A role reads like "seniorrådgiver i Helse Vest"; a full stop or question means
        # the line is a sentence that happens to start with "Av <Name>, ...".
        if len(role.split()) > _MAX_ROLE_WORDS or re.search(r"[.?!]", role):
            return None
        role = _SHARED_ROLE_RE.sub("", role).strip()
        break
    names = list(dict.fromkeys(names))
    return tuple(f"{name}, {role}" if role else name for name in names) or None


# "begge rådgivere i LUP": the role the named authors share.
_SHARED_ROLE_RE = re.compile(r"^(?:begge|alle|både)\s+", re.IGNORECASE)


def _name(text: str) -> str | None:
    """A personal name of two to five words, title-cased when it was written in capitals."""
    tokens = text.split()
    if not 2 <= len(tokens) <= 5:
        return None
    first, last, middle = tokens[0], tokens[-1], tokens[1:-1]
    if all(_CAPS_TOKEN_RE.match(token) or _INITIAL_RE.match(token) for token in tokens):
        if _INITIAL_RE.match(first) or _INITIAL_RE.match(last):
            return None
        return " ".join(token.title() if len(token.rstrip(".")) > 1 else token for token in tokens)
    if not (_MIXED_TOKEN_RE.match(first) and _MIXED_TOKEN_RE.match(last)):
        return None
    if not all(_MIXED_TOKEN_RE.match(token) or _INITIAL_RE.match(token) or token in _PARTICLES for token in middle):
        return None
    return " ".join(tokens)
