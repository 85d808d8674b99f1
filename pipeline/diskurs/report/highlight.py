"""Marking cues inside a sentence without ever letting the sentence become markup."""

from __future__ import annotations

import re
from collections.abc import Iterable

from markupsafe import Markup, escape


def cue_spans(sentence: str, cues: Iterable[str]) -> list[tuple[int, int]]:
    """Character spans of every cue in the sentence (case-insensitive, whole words), merged.

    Cues are words as the sentence writes them, so a cue inside a longer word or behind a
    hyphen ("råd" in "HelseOmsorg21-rådet") is another word and stays unmarked.
    """
    spans = []
    for cue in {cue.strip() for cue in cues if cue.strip()}:
        words = [re.escape(word) for word in cue.split()]
        pattern = re.compile(r"(?<![\w-])" + r"\s+".join(words) + r"(?![\w-])", re.IGNORECASE)
        spans += [(found.start(), found.end()) for found in pattern.finditer(sentence)]
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def highlight(sentence: str, cues: Iterable[str] | str) -> Markup:
    """The sentence escaped, with each cue wrapped in <mark>; ``cues`` may be "a|b" as in the tables."""
    if isinstance(cues, str):
        cues = cues.split("|")
    parts: list[str] = []
    position = 0
    for start, end in cue_spans(sentence, cues):
        parts.append(escape(sentence[position:start]))
        parts.append(Markup("<mark>%s</mark>") % sentence[start:end])
        position = end
    parts.append(escape(sentence[position:]))
    return Markup("").join(parts)
