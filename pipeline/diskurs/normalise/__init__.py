"""Text normalisation applied to every document's extracted text.

``normalise(text)`` repairs and unifies characters (:mod:`.characters`) and re-joins
hard-wrapped lines (:mod:`.unwrap`). The output has lines separated by ``"\\n"``, paragraphs by
exactly one blank line, no trailing spaces and no leading or trailing blank lines.

Both steps are heuristics that look at the whole document (the wrap width, for one), so joining
lines can change what the next look sees. ``normalise`` therefore repeats them until the text no
longer changes, which makes it idempotent: ``normalise(normalise(x)) == normalise(x)``. Every
repetition only removes line breaks or unifies characters further, so it settles quickly
(usually the second pass changes nothing).
"""

from __future__ import annotations

from collections.abc import Callable

from diskurs.normalise.characters import repair_characters
from diskurs.normalise.unwrap import unwrap

__all__ = ["normalise"]

_MAX_PASSES = 10


def _normalise_once(text: str, standalone: Callable[[str], bool] | None) -> str:
    return unwrap(repair_characters(text), standalone)


def normalise(text: str, standalone: Callable[[str], bool] | None = None) -> str:
    """Normalised text of one document (see the module documentation for what changes).

    ``standalone(line)`` marks lines never to be joined with their neighbours, such as bylines
    and print headers, which the clean stage must find as lines of their own.
    """
    current = _normalise_once(text, standalone)
    for _ in range(_MAX_PASSES):
        following = _normalise_once(current, standalone)
        if following == current:
            break
        current = following
    return current
