"""The report's Comparisons section: the compare stage's tables, read for the page and its figures."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from diskurs.compare.periods import APART
from diskurs.compare.stage import ACTOR_TYPE, PERIOD
from diskurs.frames.actors import read_optional
from diskurs.io import read_csv
from diskurs.labels import ORGANISATION_LABELS, UNKNOWN_TYPE
from diskurs.layout import Layout
from diskurs.report import figures

# Lines in the actors-over-time figure: more are unreadable.
ACTOR_LINES = 8
# Key terms per group shown on the page; the CSV has them all.
KEY_TERMS_SHOWN = 10


@dataclass
class Comparison:
    name: str  # period, a sheet column, or actor_type
    groups: list[dict]  # groups.csv rows, in order
    frames: list[dict]
    keyness: dict[str, list[dict]] = field(default_factory=dict)  # group -> its top terms

    @property
    def compared(self) -> list[str]:
        """The groups in the figures: those of documents counted apart are listed, not drawn."""
        return [row["group"] for row in self.groups if row["group"] not in APART]

    @property
    def apart(self) -> list[dict]:
        return [row for row in self.groups if row["group"] in APART]


@dataclass
class Comparisons:
    by_period: Comparison | None = None
    by_column: list[Comparison] = field(default_factory=list)
    by_actor_type: Comparison | None = None
    themes: list[dict] = field(default_factory=list)
    actors: list[dict] = field(default_factory=list)
    organisation_mentions: int = 0
    unknown_mentions: int = 0
    key_terms_shown: int = KEY_TERMS_SHOWN

    def __bool__(self) -> bool:
        return self.by_period is not None

    @property
    def each(self) -> list[Comparison]:
        """Every comparison, the period's first; none where the compare stage has not run."""
        return [self.by_period, *self.by_column, self.by_actor_type] if self else []


def _comparison(folder: Path, name: str, groups: list[dict], keyness: bool = True) -> Comparison:
    terms: dict[str, list[dict]] = {}
    for row in read_optional(folder / f"keyness_by_{name}.csv", read_csv) if keyness else ():
        if int(row["rank"]) <= KEY_TERMS_SHOWN:
            terms.setdefault(row["group"], []).append(row)
    return Comparison(
        name,
        [row for row in groups if row["comparison"] == name],
        read_optional(folder / f"frames_by_{name}.csv", read_csv),
        terms,
    )


def load_comparisons(layout: Layout, columns: list[str], entities: list[dict]) -> Comparisons:
    """The compare stage's tables, or an empty Comparisons where it has not run."""
    folder = layout.compare_dir
    groups = read_optional(folder / "groups.csv", read_csv)
    if not groups:
        return Comparisons()
    found = Comparisons(
        by_period=_comparison(folder, PERIOD, groups),
        by_column=[_comparison(folder, column, groups) for column in columns],
        by_actor_type=_comparison(folder, ACTOR_TYPE, groups, keyness=False),
        themes=read_optional(folder / f"themes_by_{PERIOD}.csv", read_csv),
        actors=read_optional(folder / f"actors_by_{PERIOD}.csv", read_csv),
    )
    for row in entities:
        if row.get("label") in ORGANISATION_LABELS:
            found.organisation_mentions += int(row["mentions"])
            found.unknown_mentions += int(row["mentions"]) if row.get("type") == UNKNOWN_TYPE else 0
    return found


def comparison_charts(found: Comparisons, frames: list[str], period: str) -> list[figures.Chart]:
    """Frames, themes and actors over time; frames by each sheet column and by kind of actor."""
    if not found:
        return []
    periods = found.by_period.compared
    theme_names = {row["theme_id"]: f"T{row['theme_id']} {row['label']}" for row in found.themes}
    themes = [{**row, "theme": theme_names[row["theme_id"]]} for row in found.themes]
    totals: Counter = Counter()
    for row in found.actors:
        if row["group"] in periods:
            totals[row["actor"]] += int(row["mentions"])
    actors = [actor for actor, _ in sorted(totals.items(), key=lambda item: (-item[1], item[0]))[:ACTOR_LINES]]
    charts = [
        figures.over_time(
            "frames_over_time.png",
            f"Frame share of sentences per {period}",
            found.by_period.frames,
            "frame",
            "share",
            "Share of sentences",
            periods,
            frames,
        ),
        figures.over_time(
            "themes_over_time.png",
            f"Theme share of sentences per {period} (each sentence counted for its main theme)",
            themes,
            "theme",
            "share",
            "Share of sentences",
            periods,
            list(dict.fromkeys(theme_names.values())),
        ),
        figures.over_time(
            "actors_over_time.png",
            f"Mentions per 10,000 words of the {len(actors)} most-named actors, per {period}",
            found.actors,
            "actor",
            "per_10k_words",
            "Mentions per 10,000 words",
            periods,
            actors,
            interval=False,
        ),
    ]
    for comparison in [*found.by_column, found.by_actor_type]:
        charts.append(
            figures.grouped_bars(
                f"frames_by_{comparison.name}.png",
                f"Frame share of sentences by {comparison.name.replace('_', ' ')}",
                comparison.frames,
                comparison.compared,
                frames,
            )
        )
    return charts
