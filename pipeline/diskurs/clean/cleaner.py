"""Cleaning one document: the three layers applied in order, every removal recorded.

Layer 1 removes metadata lines (bylines, URL lines, print timestamps, as recognised by
:mod:`diskurs.ingest.metadata`), the title where the text repeats it, and lines matching the
pattern library; layer 2 removes lines repeated across the corpus; layer 3 classifies what is
left. A line that layer 1 or 2 removed is evidence of boilerplate for layer 3.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from diskurs.clean.classifier import ClassifierSettings, classify
from diskurs.clean.patterns import BoilerplatePattern, match_line
from diskurs.clean.repeated import RepeatedLines
from diskurs.clean.title import choose_title, is_title_line, split_title_prefix
from diskurs.ingest.metadata import MetadataLine, classify_metadata_line

# What layer 1 knows of a line: the metadata it is, the library pattern it matches.
LineKinds = tuple[MetadataLine | None, BoilerplatePattern | None]
TITLE_RULE = "metadata:title"
DATELINE_RULE = "pattern:dateline"


@dataclass(frozen=True)
class CleanSettings:
    """Which layers run; a layer that is None is switched off."""

    patterns: Sequence[BoilerplatePattern] | None = None
    repeated: RepeatedLines | None = None
    classifier: ClassifierSettings | None = None


@dataclass(frozen=True)
class Removal:
    line: int  # 1-based line number in the document's text
    text: str
    rule: str

    @property
    def layer(self) -> str:
        return layer_of(self.rule)


@dataclass
class CleanedDocument:
    title: str | None = None
    paragraphs: list[str] = field(default_factory=list)
    removals: list[Removal] = field(default_factory=list)

    @property
    def body(self) -> str:
        return "\n\n".join(self.paragraphs)


def layer_of(rule: str) -> str:
    """The layer a rule belongs to: "patterns", "repeated" or "classifier"."""
    kind = rule.split(":", 1)[0]
    return "patterns" if kind in {"metadata", "pattern"} else kind


def clean_text(text: str, title: str | None, settings: CleanSettings) -> CleanedDocument:
    """The body paragraphs of ``text`` and the lines removed from it, in line order."""
    numbered = [(number, line.strip()) for number, line in enumerate(text.split("\n"), 1) if line.strip()]
    kept: list[str | None] = [line for _, line in numbered]
    removals: list[Removal] = []

    if settings.patterns is not None:
        patterns = settings.patterns

        # The title search and layer 1 ask of the same lines: each is classified once.
        @functools.cache
        def kinds(line: str) -> LineKinds:
            return classify_metadata_line(line), match_line(line, patterns)

        title = _headline(kept, title, kinds)
        removals.extend(_first_layer(numbered, kept, title, kinds))

    if settings.repeated is not None:
        for index, (number, _) in enumerate(numbered):
            if kept[index] is not None and kept[index] in settings.repeated:
                removals.append(Removal(number, kept[index], "repeated"))
                kept[index] = None

    if settings.classifier is not None:
        for index, reason in enumerate(classify(kept, settings.classifier)):
            if reason is not None:
                removals.append(Removal(numbered[index][0], kept[index], f"classifier:{reason}"))
                kept[index] = None

    removals.sort(key=lambda removal: removal.line)
    return CleanedDocument(title, [line for line in kept if line is not None], removals)


def _headline(lines: list[str], title: str | None, kinds: Callable[[str], LineKinds]) -> str | None:
    def is_debris(line: str) -> bool:
        metadata, pattern = kinds(line)
        return metadata is not None or pattern is not None

    def is_byline(line: str) -> bool:
        metadata, pattern = kinds(line)
        if metadata is not None:
            return metadata.kind == "byline"
        return pattern is not None and pattern.rule == DATELINE_RULE

    return choose_title(lines, title, is_debris, is_byline)


def _first_layer(
    numbered: list[tuple[int, str]],
    kept: list[str | None],
    title: str | None,
    kinds: Callable[[str], LineKinds],
) -> list[Removal]:
    """Metadata, title and pattern removals; updates ``kept`` in place."""
    removals: list[Removal] = []
    title_seen = prefix_seen = False
    pending, pending_rule = 0, ""
    for index, (number, line) in enumerate(numbered):
        metadata, pattern = kinds(line)
        rule = None
        if metadata is not None:
            rule = f"metadata:{metadata.kind}"
        elif not title_seen and is_title_line(line, title):
            rule, title_seen = TITLE_RULE, True
        elif pattern is not None:
            rule = pattern.rule
        elif pending:
            rule = pending_rule
        pending = max(pending - 1, 0)
        if pattern is not None and pattern.and_next:
            pending, pending_rule = pattern.and_next, pattern.rule

        if rule is not None:
            removals.append(Removal(number, line, rule))
            kept[index] = None
        elif not prefix_seen and (split := split_title_prefix(line, title)):
            removed, rest = split
            prefix_seen = True
            removals.append(Removal(number, removed, TITLE_RULE))
            kept[index] = rest or None
    return removals
