"""Keyword in context: every occurrence of a search term with the words around it."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence


def term_pattern(term: str) -> re.Pattern:
    """A term matched case-insensitively from a word start, with any inflection or compound ending.

    "innovasjonspartnerskap" also finds "innovasjonspartnerskapet"; the words of a multi-word term
    may be separated by any whitespace (line breaks included).
    """
    words = [re.escape(word) for word in term.split()]
    return re.compile(r"(?<!\w)" + r"\s+".join(words) + r"\w*", re.IGNORECASE)


def _words_before(text: str, count: int) -> str:
    words = text.split()
    return " ".join(words[-count:]) if count else ""


def _words_after(text: str, count: int) -> str:
    words = text.split()
    return " ".join(words[:count]) if count else ""


def kwic(records: Iterable[dict], terms: Sequence[str], window: int) -> Iterator[dict]:
    """Rows (term, doc_id, source, left, match, right) in record order, then term order, then position.

    ``window`` is the number of words shown on each side.
    """
    patterns = [(term, term_pattern(term)) for term in terms if term.strip()]
    for record in records:
        text = str(record.get("text") or "")
        for term, pattern in patterns:
            for found in pattern.finditer(text):
                yield {
                    "term": term,
                    "doc_id": str(record.get("doc_id", "")),
                    "source": str(record.get("source", "")),
                    "left": _words_before(text[: found.start()], window),
                    "match": " ".join(found.group(0).split()),
                    "right": _words_after(text[found.end() :], window),
                }


def by_term(rows: Iterable[dict], terms: Sequence[str]) -> dict[str, list[dict]]:
    """The rows grouped under each term, terms in the order given (terms without hits kept, empty)."""
    grouped: dict[str, list[dict]] = {term: [] for term in terms}
    for row in rows:
        grouped.setdefault(row["term"], []).append(row)
    return grouped
