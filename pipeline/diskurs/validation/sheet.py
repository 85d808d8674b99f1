"""A blind coding sheet: a sample of the corpus's sentences for a person to code by hand.

The sample is stratified on the tool's own coding, so that every frame and the sentences with no
frame are represented even where a frame is rare: each stratum (a frame, or "none") gets an equal
share of the sentences, drawn in an order fixed by the seed and spread over the documents. A
sentence with several frames may be drawn for any of them, and is drawn once. What a stratum
cannot fill (it has too few sentences) goes to the others. The rows are then put in an order of
their own, so that a coder sees no grouping, and the tool's codes are nowhere in the workbook.
"""

from __future__ import annotations

import random
from collections import deque
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from diskurs.frames.cache import FramesMap
from diskurs.frames.lexicon import Lexicon
from diskurs.io import atomic_workbook
from diskurs.layout import Layout

NO_FRAME = "none"
SHEET = "sentences"
CODEBOOK = "codebook"
# The columns before the codes; a coded sheet is read back by these names (see agreement).
UNIT_COLUMNS = ("unit", "source", "sentence_id", "before", "sentence", "after")
RULES = (
    "Code each sentence on its own, reading the sentences before and after it only to understand it.",
    "Write 1 in a frame's column when the sentence evokes that frame; leave it blank (or write 0) when not.",
    "A sentence may evoke several frames, or none: then leave every frame column blank.",
    "Write 1 in a function's column when the sentence defines a problem, interprets a cause, "
    "evaluates morally or recommends a treatment (Entman); leave it blank when not.",
    "Code what the sentence says, not whether you agree with it; a negated or hedged mention "
    "of a frame evokes it only if the sentence still argues within it.",
    "Leave the columns unit to after as they are: they identify the sentence.",
)


@dataclass(frozen=True)
class Unit:
    """One sentence of the corpus as the frames stage sees it, with its neighbours."""

    doc_id: str
    source: str
    sentence_id: int
    text: str
    before: str
    after: str
    frames: frozenset[str]  # the tool's; used to stratify, never written

    @property
    def key(self) -> str:
        return f"{self.doc_id}:{self.sentence_id}"


def document_units(doc_id: str, source: str, sentences: Sequence) -> list[Unit]:
    """The units of one document, from its :class:`~diskurs.frames.matcher.SentenceFrames`."""
    texts = [sentence.text for sentence in sentences]
    return [
        Unit(
            doc_id,
            source,
            sentence.sentence_id,
            sentence.text,
            texts[n - 1] if n else "",
            texts[n + 1] if n + 1 < len(texts) else "",
            frozenset(sentence.frames),
        )
        for n, sentence in enumerate(sentences)
    ]


def strata_of(unit: Unit, frames: Sequence[str]) -> set[str]:
    """The strata a unit belongs to: each of the tool's frames it evokes, or ``NO_FRAME``."""
    return set(frames) & unit.frames or {NO_FRAME}


def _spread(units: list[Unit], rng: random.Random) -> list[Unit]:
    """``units`` in a seeded order that takes one from each document in turn."""
    by_document: dict[str, list[Unit]] = {}
    for unit in units:
        by_document.setdefault(unit.doc_id, []).append(unit)
    documents = sorted(by_document)
    rng.shuffle(documents)
    for document in documents:
        rng.shuffle(by_document[document])
    order = []
    depth = 0
    while len(order) < len(units):
        order += [by_document[d][depth] for d in documents if depth < len(by_document[d])]
        depth += 1
    return order


def draw_sample(units: Iterable[Unit], frames: Sequence[str], n: int, seed: int) -> list[Unit]:
    """At most ``n`` units, stratified by the tool's frames and ``NO_FRAME`` (see module docstring)."""
    units = sorted(units, key=lambda unit: (unit.doc_id, unit.sentence_id))
    rng = random.Random(seed)
    strata = {name: [u for u in units if name in strata_of(u, frames)] for name in (*frames, NO_FRAME)}
    queues = {name: deque(_spread(members, rng)) for name, members in strata.items()}
    chosen: dict[str, Unit] = {}
    # Take one from each stratum in turn: equal shares, and a stratum that runs dry leaves its
    # turns to the others.
    while len(chosen) < min(n, len(units)) and any(queues.values()):
        for name in strata:
            queue = queues[name]
            while queue and queue[0].key in chosen:
                queue.popleft()
            if queue and len(chosen) < n:
                unit = queue.popleft()
                chosen[unit.key] = unit
    sample = sorted(chosen.values(), key=lambda unit: (unit.doc_id, unit.sentence_id))
    rng.shuffle(sample)
    return sample


def write_sheet(path: Path, sample: Sequence[Unit], lexicon: Lexicon) -> None:
    """The workbook: the sample with one empty column per frame and per function, and the codebook."""
    codes = [*lexicon.frame_names, *lexicon.function_names]
    with atomic_workbook(path) as workbook:
        header = workbook.add_format({"bold": True, "text_wrap": True, "valign": "top"})
        wrapped = workbook.add_format({"text_wrap": True, "valign": "top"})
        sheet = workbook.add_worksheet(SHEET)
        columns = [*UNIT_COLUMNS, *codes]
        for c, name in enumerate(columns):
            sheet.write_string(0, c, name, header)
        widths = {"unit": 20, "source": 18, "sentence_id": 8, "before": 40, "sentence": 60, "after": 40}
        for c, name in enumerate(columns):
            sheet.set_column(c, c, widths.get(name, 12), wrapped if name in widths else None)
        for r, unit in enumerate(sample, start=1):
            sheet.write_string(r, 0, unit.key)
            sheet.write_string(r, 1, unit.source)
            sheet.write_number(r, 2, unit.sentence_id)
            sheet.write_string(r, 3, unit.before)
            sheet.write_string(r, 4, unit.text)
            sheet.write_string(r, 5, unit.after)
        if sample:
            # Only 0 and 1 (or nothing) can be typed into a code column.
            sheet.data_validation(
                1,
                len(UNIT_COLUMNS),
                len(sample),
                len(columns) - 1,
                {"validate": "list", "source": ["0", "1"], "error_message": "Write 1, 0 or nothing."},
            )
        sheet.freeze_panes(1, len(UNIT_COLUMNS))

        book = workbook.add_worksheet(CODEBOOK)
        for c, name in enumerate(("code", "kind", "label", "description")):
            book.write_string(0, c, name, header)
        book.set_column(0, 1, 24)
        book.set_column(2, 2, 30, wrapped)
        book.set_column(3, 3, 90, wrapped)
        entries = [("frame", entry) for entry in lexicon.frames] + [("function", entry) for entry in lexicon.functions]
        for r, (kind, entry) in enumerate(entries, start=1):
            book.write_string(r, 0, entry.name)
            book.write_string(r, 1, kind)
            book.write_string(r, 2, entry.label)
            book.write_string(r, 3, entry.description)
        start = len(entries) + 2
        book.write_string(start, 0, "Coding rules", header)
        for r, rule in enumerate(RULES, start=start + 1):
            book.write_string(r, 0, f"{r - start}.")
            book.merge_range(r, 1, r, 3, rule, wrapped)


@dataclass
class SheetSummary:
    path: Path
    sampled: int = 0
    units: int = 0
    documents: int = 0
    strata: dict[str, int] = field(default_factory=dict)
    failed: list[tuple[str, str]] = field(default_factory=list)

    def describe(self) -> str:
        shares = ", ".join(f"{name} {count}" for name, count in self.strata.items())
        lines = [
            f"coding sheet: {self.sampled} of {self.units} sentences of {self.documents} documents -> {self.path}",
            f"  sampled sentences per stratum of the tool's coding (a sentence may count in several): {shares}",
        ]
        lines += [f"  skipped {source}: {reason}" for source, reason in self.failed]
        return "\n".join(lines)


def corpus_units(frames_of: FramesMap, summary: SheetSummary) -> Iterator[Unit]:
    """Every sentence of the annotated corpus; a document that fails is named in ``summary``."""
    for entry, found in frames_of.documents(summary.failed):
        summary.documents += 1
        yield from document_units(
            str(entry.metadata.get("doc_id", "")), str(entry.metadata.get("source", "")), found.sentences
        )


def coding_sheet(layout: Layout, params: dict, out: Path, n: int, seed: int) -> SheetSummary:
    """Draw the sample from the annotated corpus under ``layout`` and write it to ``out``."""
    frames_of = FramesMap(layout, params)
    summary = SheetSummary(out)
    units = list(corpus_units(frames_of, summary))
    frames = frames_of.lexicon.frame_names
    sample = draw_sample(units, frames, n, seed)
    write_sheet(out, sample, frames_of.lexicon)
    summary.units, summary.sampled = len(units), len(sample)
    summary.strata = {
        name: sum(1 for unit in sample if name in strata_of(unit, frames)) for name in (*frames, NO_FRAME)
    }
    return summary
