"""Entman's framing functions: which one a sentence performs, from the cues found in it."""

from __future__ import annotations

from collections.abc import Mapping, Sequence


def primary_function(found: Mapping[str, Sequence[str]], priority: Sequence[str]) -> str:
    """The first function in ``priority`` that has a cue in the sentence, or "" if none has.

    A sentence such as "vi må samarbeide for å løse utfordringene" carries both a recommendation
    and a problem; the lexicon's order decides which one the sentence is counted under, and every
    cue stays visible in sentence_functions.csv.
    """
    for name in priority:
        if found.get(name):
            return name
    return ""
