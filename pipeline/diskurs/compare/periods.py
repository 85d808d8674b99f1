"""Periods a document's date falls in, and the order groups are shown in."""

from __future__ import annotations

UNDATED = "undated"  # documents without a date precise enough for the period
UNSPECIFIED = "unspecified"  # documents whose sheet cell for a column is empty
APART = (UNDATED, UNSPECIFIED)


def period_of(published: str | None, period: str) -> str:
    """``2021``, ``2021-H1`` or ``2021-Q1`` for an ISO date (or year-month, or year); UNDATED
    where there is no date or it is too coarse for the period (a bare year has no quarter)."""
    text = str(published or "").strip()
    year = text[:4]
    if len(year) < 4 or not year.isdigit():
        return UNDATED
    if period == "year":
        return year
    month = text[5:7]
    if not month.isdigit():
        return UNDATED
    if period == "half-year":
        return f"{year}-H{1 if int(month) <= 6 else 2}"
    if period == "quarter":
        return f"{year}-Q{(int(month) - 1) // 3 + 1}"
    raise ValueError(f"compare.period must be year, half-year or quarter, got {period!r}")


def group_order(group: str) -> tuple[int, str]:
    """Groups in their natural order (periods chronologically, values alphabetically), the
    documents counted apart last."""
    return (group in APART, group.casefold())
