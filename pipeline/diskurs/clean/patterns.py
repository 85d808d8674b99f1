"""Layer 1: the boilerplate pattern library, a YAML file researchers edit.

Each pattern matches one whole line; ``and_next: N`` also removes the N non-blank lines after
a match (the second line of a two-line print footer, say).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import click
import yaml

PACKAGED_LIBRARY = Path(__file__).resolve().parents[1] / "resources" / "boilerplate.yaml"


@dataclass(frozen=True)
class BoilerplatePattern:
    name: str
    description: str
    regex: re.Pattern[str]
    and_next: int = 0

    @property
    def rule(self) -> str:
        return f"pattern:{self.name}"


def load_patterns(path: Path | str | None = None) -> list[BoilerplatePattern]:
    """Patterns from ``path``, or from the library shipped with diskurs when ``path`` is None.

    A malformed library stops the run with a message naming the file, the entry and the fix,
    because silently skipping a pattern would leave boilerplate in every document.
    """
    path = PACKAGED_LIBRARY if path is None else Path(path)
    if not path.is_file():
        raise click.UsageError(
            f"{path}: pattern library not found. Fix clean.pattern_file in params.yaml "
            "(null uses the library shipped with diskurs)."
        )
    label, text = str(path), path.read_text(encoding="utf-8")
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as error:
        raise click.UsageError(f"{label}: not valid YAML ({error}). Fix the syntax and run again.") from None
    entries = data.get("patterns") if isinstance(data, dict) else None
    if not isinstance(entries, list):
        raise click.UsageError(f"{label}: expected a top-level 'patterns:' list of entries.")
    patterns = [_parse_entry(label, index, entry) for index, entry in enumerate(entries, 1)]
    names = [pattern.name for pattern in patterns]
    duplicates = sorted({name for name in names if names.count(name) > 1})
    if duplicates:
        raise click.UsageError(f"{label}: pattern names must be unique; repeated: {', '.join(duplicates)}.")
    return patterns


def _parse_entry(label: str, index: int, entry: object) -> BoilerplatePattern:
    where = f"{label}: pattern #{index}"
    if not isinstance(entry, dict) or not isinstance(entry.get("name"), str) or not entry.get("regex"):
        raise click.UsageError(f"{where}: every entry needs at least 'name' and 'regex'.")
    where = f"{label}: pattern '{entry['name']}'"
    flags = 0 if entry.get("case_sensitive") else re.IGNORECASE
    try:
        regex = re.compile(str(entry["regex"]), flags)
    except re.error as error:
        raise click.UsageError(f"{where}: invalid regular expression ({error}). Fix the 'regex' value.") from None
    and_next = entry.get("and_next", 0)
    if not isinstance(and_next, int) or and_next < 0:
        raise click.UsageError(f"{where}: 'and_next' must be a whole number ≥ 0, found {and_next!r}.")
    return BoilerplatePattern(entry["name"], str(entry.get("description", "")), regex, and_next)


def match_line(line: str, patterns: Sequence[BoilerplatePattern]) -> BoilerplatePattern | None:
    """The first pattern that matches the whole of ``line`` (surrounding spaces ignored)."""
    stripped = line.strip()
    for pattern in patterns:
        if pattern.regex.fullmatch(stripped):
            return pattern
    return None
