"""Keyness: the terms typical of one group's texts against the rest of the corpus.

For each term, its count in the group (a) and in the rest (b) is set against the number of
words of each (c, d). The log-likelihood G² (Dunning 1993, as Rayson and Garside 2000 compute it)
says how surprising the difference is; its p-value is that of a chi-squared with one degree of
freedom, corrected for the number of terms tested by Benjamini and Hochberg's procedure. The log
ratio (Hardie 2014), the binary logarithm of the ratio of the two relative frequencies, says how
large the difference is: 1 is twice as frequent. A count of zero in the rest is taken as 0.5 for
the log ratio only, so that a term found in the group alone has a finite effect size.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from math import log, log2

from scipy.stats import chi2, false_discovery_control

PER_WORDS = 10_000


def log_likelihood(a: int, b: int, c: int, d: int) -> float:
    """G² of a term seen ``a`` times in ``c`` words and ``b`` times in ``d`` words."""
    expected_a = c * (a + b) / (c + d)
    expected_b = d * (a + b) / (c + d)
    total = 0.0
    if a:
        total += a * log(a / expected_a)
    if b:
        total += b * log(b / expected_b)
    return 2 * total


def log_ratio(a: int, b: int, c: int, d: int) -> float:
    """log2 of the term's relative frequency in the group over that in the rest."""
    return log2(((a or 0.5) / c) / ((b or 0.5) / d))


@dataclass(frozen=True)
class Limits:
    min_count: int  # in the group
    min_documents: int  # of the group that use the term
    max_p: float  # after the correction
    terms: int  # rows kept per group


def per_words(count: int, words: int) -> float:
    """A count per 10,000 words, so that groups of different size compare."""
    return round(count * PER_WORDS / words, 3) if words else 0.0


def keyness_rows(
    group: Counter,
    documents: Mapping[str, int],
    total: Counter,
    group_words: int,
    total_words: int,
    limits: Limits,
) -> list[dict]:
    """The terms over-represented in ``group`` (counts; ``documents`` of the group per term)
    against the rest of ``total``, strongest first: every term frequent enough is tested, and
    those significant after the correction are kept, ``limits.terms`` at most."""
    rest_words = total_words - group_words
    if group_words <= 0 or rest_words <= 0:
        return []
    tested = []
    for term, a in group.items():
        if a < limits.min_count or documents.get(term, 0) < limits.min_documents:
            continue
        b = total[term] - a
        g2 = log_likelihood(a, b, group_words, rest_words)
        tested.append((term, a, b, g2, log_ratio(a, b, group_words, rest_words)))
    if not tested:
        return []
    p_values = chi2.sf([g2 for _, _, _, g2, _ in tested], 1)
    adjusted = false_discovery_control(p_values, method="bh")
    kept = [
        (term, a, b, g2, ratio, float(p), float(q))
        for (term, a, b, g2, ratio), p, q in zip(tested, p_values, adjusted)
        if ratio > 0 and q <= limits.max_p
    ]
    kept.sort(key=lambda row: (-row[3], row[0]))
    return [
        {
            "rank": rank,
            "term": term,
            "count": a,
            "documents": documents.get(term, 0),
            "per_10k_words": per_words(a, group_words),
            "count_rest": b,
            "per_10k_words_rest": per_words(b, rest_words),
            "g2": round(g2, 3),
            "log_ratio": round(ratio, 3),
            "p": float(f"{p:.4g}"),
            "p_adjusted": float(f"{q:.4g}"),
        }
        for rank, (term, a, b, g2, ratio, p, q) in enumerate(kept[: limits.terms], start=1)
    ]
