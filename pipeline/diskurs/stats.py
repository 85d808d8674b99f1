"""The statistics that go with a share: its confidence interval, so that a share of a handful of
sentences is read for what it is."""

from __future__ import annotations

CONFIDENCE = 0.95


def wilson(count: int, total: int, confidence: float = CONFIDENCE) -> tuple[float, float] | None:
    """The Wilson score interval of ``count`` of ``total`` (None when there is nothing to count):
    unlike the normal approximation it stays within 0..1 and holds for small totals."""
    if total <= 0:
        return None
    from scipy.stats import binomtest

    interval = binomtest(count, total).proportion_ci(confidence_level=confidence, method="wilson")
    return round(float(interval.low), 4), round(float(interval.high), 4)
