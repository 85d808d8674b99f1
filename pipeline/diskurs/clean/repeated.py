"""Layer 2: lines that recur across many documents of the corpus (site footers, taglines).

Lines are compared by a key that ignores case, spacing and digits, so "© 2023 …" and
"© 2024 …" count as the same line. Counting needs one pass over the corpus before cleaning;
only the keys of short lines are kept, never the documents.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

_DIGITS_RE = re.compile(r"\d+")


def line_key(line: str) -> str:
    """The form under which two lines count as the same line."""
    return " ".join(_DIGITS_RE.sub("0", line.casefold()).split())


def document_keys(text: str, max_chars: int) -> set[str]:
    """Keys of the distinct non-blank lines of ``text`` no longer than ``max_chars``."""
    keys = {line_key(line) for line in text.split("\n") if 0 < len(line.strip()) <= max_chars}
    keys.discard("")
    return keys


@dataclass(frozen=True)
class RepeatedLines:
    keys: frozenset[str]
    documents: int  # how many documents were counted
    threshold: int  # in how many of them a line had to occur

    def __contains__(self, line: str) -> bool:
        return line_key(line) in self.keys


def find_repeated(documents: Iterable[set[str]], min_documents: int, min_share: float) -> RepeatedLines:
    """Lines found in at least ``min_documents`` documents and ``min_share`` of all of them.

    ``documents`` yields each document's :func:`document_keys`.
    """
    counts: Counter[str] = Counter()
    total = 0
    for keys in documents:
        counts.update(keys)
        total += 1
    threshold = max(min_documents, math.ceil(min_share * total))
    repeated = frozenset(key for key, count in counts.items() if count >= threshold)
    return RepeatedLines(repeated, total, threshold)
