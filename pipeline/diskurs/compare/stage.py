"""The `compare` stage: frames, themes, actors and key terms per period and per group.

The map half reads each annotated document once: its words and terms (kept in a per-document
cache under its annotation key), its sentences' frames (the frames stage's cache), and, from
the tables of the earlier stages, its units' main themes and the actors each sentence names or
quotes. The reduce half adds each document into the groups it belongs to, one per comparison:
its period, its value in each column of ``compare.by``, and, sentence by sentence, the kinds of
actor present. Every table says how many documents and sentences (or words) stand behind each
cell; documents without a date, or without a value in a column, are a group of their own.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import partial

import diskurs.compare
import diskurs.themes.vectorise
import diskurs.views
from diskurs.annotated import AnnotatedEntry, DocumentMap
from diskurs.cache import KeyedCache, cache_key
from diskurs.compare.keyness import Limits, keyness_rows, per_words
from diskurs.compare.periods import APART, UNDATED, UNSPECIFIED, group_order, period_of
from diskurs.compute import prefill
from diskurs.frames.actors import KINDS, read_optional
from diskurs.frames.cache import FramesMap
from diskurs.io import read_csv
from diskurs.labels import UNKNOWN_TYPE
from diskurs.layout import Layout
from diskurs.params import section
from diskurs.stats import wilson
from diskurs.tables import Table, write_tables
from diskurs.themes.stage import Settings as ThemeSettings
from diskurs.themes.vectorise import NgramAnalyzer, document_units

# The code a cached entry depends on: dvc.yaml lists its files among the stage's deps (tested).
CODE = (diskurs.compare, diskurs.themes.vectorise, diskurs.views)
PERIOD = "period"
ACTOR_TYPE = "actor_type"

DOCUMENTS = ("source", "doc_id", "published", "period")
GROUPS = ("comparison", "group", "documents", "sentences", "words")
FRAMES = ("group", "frame", "documents", "of_sentences", "sentences", "share", "ci_low", "ci_high")
THEMES = ("group", "theme_id", "label", "documents", "of_units", "units", "share", "ci_low", "ci_high")
ACTORS = ("group", "actor", "kind", "type", "mentions", "documents", "words", "per_10k_words")
KEYNESS = (
    "group",
    "rank",
    "term",
    "count",
    "documents",
    "per_10k_words",
    "count_rest",
    "per_10k_words_rest",
    "g2",
    "log_ratio",
    "p",
    "p_adjusted",
)
COUNTS = frozenset(
    {
        "documents",
        "of_sentences",
        "sentences",
        "of_units",
        "units",
        "mentions",
        "words",
        "count",
        "count_rest",
        "rank",
        "theme_id",
    }
)
SHARES = frozenset(
    {"share", "ci_low", "ci_high", "per_10k_words", "per_10k_words_rest", "g2", "log_ratio", "p", "p_adjusted"}
)


@dataclass
class CompareSummary:
    documents: int = 0
    comparisons: dict[str, int] = field(default_factory=dict)  # comparison -> groups
    undated: int = 0
    ignored: list[str] = field(default_factory=list)  # compare.by without a sheet
    tables: int = 0
    from_cache: int = 0
    failed: list[tuple[str, str]] = field(default_factory=list)
    failed_tasks: list[str] = field(default_factory=list)  # on the cluster; computed here

    def describe(self) -> str:
        groups = ", ".join(f"{name} {count}" for name, count in self.comparisons.items())
        lines = [
            f"compare: {self.documents} documents; groups per comparison: {groups or 'none'}; "
            f"{self.tables} tables in reports/compare/",
            f"  {self.from_cache} of {self.documents} documents from the compare cache; "
            f"{self.undated} without a date (group '{UNDATED}')",
        ]
        if self.ignored:
            lines.append(f"  no document sheet (corpus.metadata): not compared by {', '.join(self.ignored)}")
        lines += [f"  skipped {source}: {reason}" for source, reason in self.failed]
        lines += [f"  a task failed on the cluster and was computed here: {reason}" for reason in self.failed_tasks]
        return "\n".join(lines)


def document_counts(entry: AnnotatedEntry, settings: ThemeSettings) -> dict:
    """The map over one document: its words (tokens that are neither punctuation nor space) and
    the counts of its terms, as the themes define a term (n-grams of adjacent content lemmas)."""
    doc = entry.doc()
    analyse = NgramAnalyzer(settings.ngram_range)
    terms: Counter = Counter()
    for _, lemmas, _ in document_units(doc, "sentence", settings.content_pos, settings.min_chars, settings.extra_stop):
        terms.update(analyse(lemmas))
    words = sum(1 for token in doc if not (token.is_punct or token.is_space))
    return {"words": words, "terms": dict(sorted(terms.items()))}


def counts_cache(root, settings: ThemeSettings) -> KeyedCache:
    described = {
        "content_pos": sorted(settings.content_pos),
        "min_chars": settings.min_chars,
        "extra_stop": sorted(settings.extra_stop),
        "ngram_range": list(settings.ngram_range),
    }
    # spaCy's version stands for its Norwegian stop words and the token flags counted as words.
    return KeyedCache(root, cache_key(CODE, described, ["spacy"]), ".json")


class CountsMap(DocumentMap):
    """The compare stage's own map: each annotated document's words and term counts."""

    def __init__(self, layout: Layout, params: dict):
        self.settings = ThemeSettings.from_params(params)
        super().__init__(layout.annotated, counts_cache(layout.cache("compare"), self.settings))

    def __call__(self, entry: AnnotatedEntry) -> tuple[dict, bool]:
        return self.cache.fetch(self.cache_key(entry), partial(document_counts, entry, self.settings))


@dataclass
class Group:
    """What the documents of one group add up to."""

    documents: int = 0
    sentences: int = 0
    words: int = 0
    units: int = 0
    frames: Counter = field(default_factory=Counter)  # frame -> sentences evoking it
    themes: Counter = field(default_factory=Counter)  # theme -> units whose main theme it is
    actors: Counter = field(default_factory=Counter)  # (actor, kind) -> mentions
    actor_documents: dict = field(default_factory=lambda: defaultdict(set))
    terms: Counter = field(default_factory=Counter)
    term_documents: Counter = field(default_factory=Counter)


def _by_document(rows: Iterable[dict]) -> dict[str, list[dict]]:
    grouped: dict[str, list[dict]] = defaultdict(list)
    for row in rows:
        grouped[row["doc_id"]].append(row)
    return grouped


class Tables:
    """The earlier stages' tables the comparisons read, per document."""

    def __init__(self, layout: Layout):
        entities = read_optional(layout.entities_dir / "entities.csv", read_csv)
        self.types = {row["canonical"]: row["type"] for row in entities if row.get("type")}
        self.mentions = _by_document(
            row for row in read_optional(layout.entities_dir / "mentions.csv", read_csv) if row["label"] in KINDS
        )
        self.units = _by_document(read_optional(layout.themes_dir / "unit_themes.csv", read_csv))
        self.present = _by_document(read_optional(layout.frames_dir / "sentence_actors.csv", read_csv))
        self.theme_labels = {
            int(row["theme_id"]): row["label"] for row in read_optional(layout.themes_dir / "themes.csv", read_csv)
        }

    def types_by_sentence(self, doc_id: str) -> dict[int, set[str]]:
        """Sentence id -> the kinds of organisation it names or quotes."""
        found: dict[int, set[str]] = defaultdict(set)
        for row in self.present.get(doc_id, ()):
            if row["kind"] == "organisation":
                found[int(row["sentence_id"])].add(self.types.get(row["actor"], UNKNOWN_TYPE))
        return found


def _add(group: Group, doc_id: str, sentences, counts: dict, units: list[dict], mentions: list[dict]) -> None:
    group.documents += 1
    group.sentences += len(sentences)
    group.words += counts["words"]
    for sentence in sentences:
        for frame in sentence.frames:
            group.frames[frame] += 1
    _add_units(group, units)
    for row in mentions:
        actor = (row["canonical"], KINDS[row["label"]])
        group.actors[actor] += 1
        group.actor_documents[actor].add(doc_id)
    group.terms.update(counts["terms"])
    group.term_documents.update(counts["terms"].keys())


def _add_units(group: Group, units: list[dict]) -> None:
    group.units += len(units)
    for row in units:
        if str(row["theme_id"]).strip():
            group.themes[int(row["theme_id"])] += 1


def _share(count: int, total: int) -> dict:
    low, high = wilson(count, total) or (None, None)
    return {"share": round(count / total, 4) if total else None, "ci_low": low, "ci_high": high}


def frame_rows(groups: dict[str, Group], frames: list[str]) -> list[dict]:
    return [
        {
            "group": name,
            "frame": frame,
            "documents": group.documents,
            "of_sentences": group.sentences,
            "sentences": group.frames[frame],
            **_share(group.frames[frame], group.sentences),
        }
        for name, group in _ordered(groups)
        for frame in frames
    ]


def theme_rows(groups: dict[str, Group], labels: dict[int, str]) -> list[dict]:
    return [
        {
            "group": name,
            "theme_id": theme,
            "label": label,
            "documents": group.documents,
            "of_units": group.units,
            "units": group.themes[theme],
            **_share(group.themes[theme], group.units),
        }
        for name, group in _ordered(groups)
        for theme, label in sorted(labels.items())
    ]


def actor_rows(groups: dict[str, Group], types: dict[str, str]) -> list[dict]:
    rows = []
    for name, group in _ordered(groups):
        for (actor, kind), mentions in sorted(group.actors.items(), key=lambda item: (-item[1], item[0])):
            rows.append(
                {
                    "group": name,
                    "actor": actor,
                    "kind": kind,
                    "type": types.get(actor, UNKNOWN_TYPE) if kind == "organisation" else "",
                    "mentions": mentions,
                    "documents": len(group.actor_documents[(actor, kind)]),
                    "words": group.words,
                    "per_10k_words": per_words(mentions, group.words),
                }
            )
    return rows


def key_term_rows(groups: dict[str, Group], total: Group, limits: Limits) -> list[dict]:
    rows = []
    for name, group in _ordered(groups):
        if name in APART:
            continue
        for row in keyness_rows(group.terms, group.term_documents, total.terms, group.words, total.words, limits):
            rows.append({"group": name, **row})
    return rows


def _ordered(groups: dict[str, Group]) -> list[tuple[str, Group]]:
    return sorted(groups.items(), key=lambda item: group_order(item[0]))


def _value(fields: dict, column: str) -> str:
    return " ".join(str(fields.get(column) or "").split()) or UNSPECIFIED


def compared_columns(params: dict) -> list[str]:
    """The columns of compare.by, where a document sheet gives them: a run without a sheet
    (another folder than the sheet's) has nothing to compare them by."""
    return list(section(params, "compare")["by"]) if section(params, "corpus").get("metadata") else []


def run_compare(layout: Layout, params: dict) -> CompareSummary:
    settings = section(params, "compare")
    period, columns = str(settings["period"]), compared_columns(params)
    limits = Limits(
        int(settings["keyness_min_count"]),
        int(settings["keyness_min_documents"]),
        float(settings["keyness_max_p"]),
        int(settings["keyness_terms"]),
    )
    frames_of = FramesMap(layout, params)
    counts_of = CountsMap(layout, params)
    failed = prefill("compare", counts_of, layout, params)
    tables = Tables(layout)
    comparisons = [PERIOD, *columns]
    groups: dict[str, dict[str, Group]] = {name: defaultdict(Group) for name in [*comparisons, ACTOR_TYPE]}
    total = Group()
    summary = CompareSummary(ignored=[column for column in settings["by"] if column not in columns])
    documents: list[dict] = []
    for entry, found in frames_of.documents(summary.failed):
        doc_id, source = str(entry.metadata.get("doc_id", "")), str(entry.metadata.get("source", ""))
        counts, cached = counts_of(entry)
        summary.documents += 1
        summary.from_cache += cached
        fields = entry.metadata.get("fields") or {}
        published = entry.metadata.get("published")
        values = {PERIOD: period_of(published, period), **{column: _value(fields, column) for column in columns}}
        summary.undated += values[PERIOD] == UNDATED
        documents.append(
            {
                "source": source,
                "doc_id": doc_id,
                "published": published or "",
                **values,
                "sentences": len(found.sentences),
                "words": counts["words"],
            }
        )
        units, mentions = tables.units.get(doc_id, []), tables.mentions.get(doc_id, [])
        for name in comparisons:
            _add(groups[name][values[name]], doc_id, found.sentences, counts, units, mentions)
        # Key terms set each group against the whole corpus: its words and terms are all it needs.
        total.words += counts["words"]
        total.terms.update(counts["terms"])
        _add_actor_types(groups[ACTOR_TYPE], found.sentences, tables.types_by_sentence(doc_id))
    frames = list(frames_of.lexicon.frame_names)
    written = list(
        write_tables(
            layout.compare_dir, _tables(comparisons, groups, documents, columns, frames, tables, total, limits)
        )
    )
    counts_of.cache.prune()
    summary.failed_tasks = failed
    summary.comparisons = {name: len(groups[name]) for name in [*comparisons, ACTOR_TYPE]}
    summary.tables = len(written)
    return summary


def _add_actor_types(groups: dict[str, Group], sentences, types: dict[int, set[str]]) -> None:
    """Each sentence into the group of every kind of organisation it names or quotes."""
    seen: set[str] = set()
    for sentence in sentences:
        for kind in types.get(sentence.sentence_id, ()):
            group = groups[kind]
            group.documents += kind not in seen
            seen.add(kind)
            group.sentences += 1
            for frame in sentence.frames:
                group.frames[frame] += 1


def _tables(comparisons, groups, documents, columns, frames, tables: Tables, total: Group, limits) -> Iterator[Table]:
    yield _table(
        "documents",
        [*DOCUMENTS, *columns, "sentences", "words"],
        sorted(documents, key=lambda r: (r["source"], r["doc_id"])),
    )
    yield _table(
        "groups",
        GROUPS,
        [
            {
                "comparison": name,
                "group": group_name,
                "documents": group.documents,
                "sentences": group.sentences,
                # Words are counted per document, and a kind of actor has sentences, not documents.
                "words": group.words if name != ACTOR_TYPE else None,
            }
            for name in [*comparisons, ACTOR_TYPE]
            for group_name, group in _ordered(groups[name])
        ],
    )
    for name in comparisons:
        yield _table(f"frames_by_{name}", FRAMES, frame_rows(groups[name], frames))
        yield _table(f"themes_by_{name}", THEMES, theme_rows(groups[name], tables.theme_labels))
        yield _table(f"actors_by_{name}", ACTORS, actor_rows(groups[name], tables.types))
        yield _table(f"keyness_by_{name}", KEYNESS, key_term_rows(groups[name], total, limits))
    yield _table(f"frames_by_{ACTOR_TYPE}", FRAMES, frame_rows(groups[ACTOR_TYPE], frames))


def _table(name: str, columns: Iterable[str], rows: list[dict]) -> Table:
    columns = list(columns)
    return Table(name, columns, rows, COUNTS & set(columns), SHARES & set(columns))
