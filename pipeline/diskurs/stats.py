"""The statistics that go with a share: its confidence interval, so that a share of a handful of
sentences is read for what it is."""

from __future__ import annotations

from math import sqrt
from statistics import NormalDist

CONFIDENCE = 0.95


def wilson(count: int, total: int, confidence: float = CONFIDENCE) -> tuple[float, float] | None:
    """The Wilson score interval of ``count`` of ``total`` (None when there is nothing to count):
    unlike the normal approximation it stays within 0..1 and holds for small totals. The closed
    form (Wilson 1927), as scipy's ``binomtest(...).proportion_ci(method="wilson")`` gives it,
    without that function's p-value search, which would cost a second on every run of a large
    corpus's tables."""
    if total <= 0:
        return None
    z = NormalDist().inv_cdf(0.5 + confidence / 2)
    share = count / total
    centre = (share + z * z / (2 * total)) / (1 + z * z / total)
    half = z * sqrt(share * (1 - share) / total + z * z / (4 * total * total)) / (1 + z * z / total)
    return round(max(0.0, centre - half), 4), round(min(1.0, centre + half), 4)
