"""Boilerplate-line precision and recall on a labelled set (tests/data/boilerplate/).

A labelled document is the text the clean stage receives, with a marker in front of each line:
"[B] " for boilerplate, "[T] " for the page title (moved to the record's title, so not scored),
nothing for body text; "# " lines at the top are comments. See the folder's README.

Scores count lines. Overall: precision is the share of removed lines that are boilerplate,
recall the share of boilerplate lines removed. Per layer: precision of what that layer removed,
recall the share of all boilerplate lines that this layer removed (the layers run in order, so
per-layer recalls add up to the overall recall).

Re-compute with ``diskurs score-boilerplate [FOLDER] [--errors]``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from diskurs.clean.cleaner import CleanSettings, clean_text
from diskurs.clean.settings import classifier_settings, pattern_library, repeated_lines
from diskurs.clean.stage import LAYERS
from diskurs.params import load_params, section

REPO = Path(__file__).resolve().parents[3]
LABELLED_SET = REPO / "tests" / "data" / "boilerplate"
BOILERPLATE_MARK, TITLE_MARK, COMMENT_MARK = "[B] ", "[T] ", "# "


@dataclass(frozen=True)
class LabelledDocument:
    name: str
    title: str | None
    text: str
    boilerplate: frozenset[int]  # 1-based line numbers in ``text``
    title_line: int | None


@dataclass(frozen=True)
class Score:
    removed: int  # lines removed
    correct: int  # of them, lines labelled boilerplate
    gold: int  # lines labelled boilerplate

    @property
    def precision(self) -> float:
        return self.correct / self.removed if self.removed else 1.0

    @property
    def recall(self) -> float:
        return self.correct / self.gold if self.gold else 1.0


def read_labelled(path: Path) -> LabelledDocument:
    """One labelled document (see the module documentation for the format)."""
    raw = path.read_text(encoding="utf-8").split("\n")
    while raw and raw[0].startswith(COMMENT_MARK):
        raw.pop(0)
    lines, boilerplate, title, title_line = [], set(), None, None
    for number, line in enumerate(raw, 1):
        if line.startswith(BOILERPLATE_MARK):
            boilerplate.add(number)
            line = line[len(BOILERPLATE_MARK) :]
        elif line.startswith(TITLE_MARK):
            line = line[len(TITLE_MARK) :]
            title, title_line = line, number
        lines.append(line)
    return LabelledDocument(path.stem, title, "\n".join(lines).rstrip("\n"), frozenset(boilerplate), title_line)


def load_labelled_set(folder: Path = LABELLED_SET) -> list[LabelledDocument]:
    """Every ``*.txt`` labelled document in ``folder``, by file name."""
    return [read_labelled(path) for path in sorted(Path(folder).glob("*.txt"))]


def settings_for(documents: Sequence[LabelledDocument], params: dict) -> CleanSettings:
    """The settings ``params`` gives, with repeated lines counted over ``documents``."""
    clean = section(params, "clean")
    return CleanSettings(
        patterns=pattern_library(clean),
        repeated=repeated_lines(clean, (document.text for document in documents)),
        classifier=classifier_settings(clean),
    )


def evaluate(documents: Sequence[LabelledDocument], settings: CleanSettings) -> dict[str, Score]:
    """Scores overall and per layer (keys "overall", "patterns", "repeated", "classifier")."""
    removed: dict[str, set] = {key: set() for key in ("overall", *LAYERS)}
    gold: set = set()
    for document in documents:
        cleaned = clean_text(document.text, document.title, settings)
        gold |= {(document.name, line) for line in document.boilerplate}
        for removal in cleaned.removals:
            if removal.line == document.title_line:
                continue
            removed["overall"].add((document.name, removal.line))
            removed[removal.layer].add((document.name, removal.line))
    return {key: Score(len(lines), len(lines & gold), len(gold)) for key, lines in removed.items()}


def evaluate_folder(folder: Path = LABELLED_SET, params: dict | None = None) -> dict[str, Score]:
    """Scores on the labelled documents in ``folder`` under ``params`` (default: params.yaml)."""
    params = params if params is not None else load_params(REPO / "params.yaml")
    documents = load_labelled_set(folder)
    return evaluate(documents, settings_for(documents, params))


def misclassified(documents: Sequence[LabelledDocument], settings: CleanSettings) -> list[tuple[str, int, str, str]]:
    """``(document, line, text, what)`` for each line removed wrongly or kept wrongly."""
    errors = []
    for document in documents:
        cleaned = clean_text(document.text, document.title, settings)
        rules = {removal.line: removal.rule for removal in cleaned.removals}
        lines = document.text.split("\n")
        for number, line in enumerate(lines, 1):
            if number == document.title_line or not line.strip():
                continue
            if number in rules and number not in document.boilerplate:
                errors.append((document.name, number, line, f"removed as {rules[number]}"))
            elif number in document.boilerplate and number not in rules:
                errors.append((document.name, number, line, "kept"))
    return errors


def format_scores(scores: dict[str, Score]) -> str:
    """A small table: one row per layer and overall."""
    rows = [f"{'layer':<11} {'removed':>7} {'correct':>7} {'precision':>9} {'recall':>6}"]
    for key in (*LAYERS, "overall"):
        score = scores[key]
        rows.append(f"{key:<11} {score.removed:>7} {score.correct:>7} {score.precision:>9.3f} {score.recall:>6.3f}")
    rows.append(f"({scores['overall'].gold} boilerplate lines labelled)")
    return "\n".join(rows)
