"""Agreement between the tool's frame coding and people's, per frame and per framing function.

Content analysis relies on a coded variable once Krippendorff's α reaches 0.80, and draws
tentative conclusions from 0.667 (Krippendorff 2004). Each code is a binary variable (the
sentence evokes it or not), scored as nominal data with the ``krippendorff`` package: between
the tool and each coder, among the coders when there are several, and between the tool and the
coders' majority. Precision, recall and F1 say which way the tool errs.

A coded sheet is the workbook ``diskurs coding-sheet`` writes (or a CSV of it) with the code
columns filled in: 1 where a sentence evokes the code, 0 or nothing where it does not. Every row
counts as coded. An entry that cannot be read (an unknown code column, a value other than
0/1/blank, a sentence that is not in the corpus, a sentence listed twice) is listed with its
file, row and column and left out of the scores, never silently.
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from diskurs.cache import digest
from diskurs.frames.cache import FramesMap
from diskurs.io import write_csv
from diskurs.layout import Layout
from diskurs.params import section
from diskurs.validation.sheet import SHEET, UNIT_COLUMNS

RELIABLE, TENTATIVE = 0.80, 0.667
AGREEMENT_COLUMNS = (
    "code",
    "kind",
    "comparison",
    "units",
    "alpha",
    "verdict",
    "precision",
    "recall",
    "f1",
    "tool_positive",
    "human_positive",
)
PROBLEM_COLUMNS = ("file", "row", "column", "value", "problem")
TOOL = "tool"
MAJORITY = "majority"
CODERS = "coders"
MEAN_OF_FRAMES = "(mean of the frames)"
# A coded sample kept without the sentences' text names each by this fingerprint.
SHA_COLUMN = "sentence_sha"


@dataclass(frozen=True)
class Problem:
    file: str
    row: int | None
    column: str
    value: str
    problem: str

    def row_dict(self) -> dict:
        return {"file": self.file, "row": self.row, "column": self.column, "value": self.value, "problem": self.problem}


@dataclass
class Coding:
    """One coder's codes: unit -> code -> 0 or 1 (absent where the entry was unusable)."""

    coder: str
    codes: dict[str, dict[str, int]] = field(default_factory=dict)


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _rows_of(path: Path) -> list[list[str]]:
    """The cells of a coded sheet, header first: the `sentences` sheet of a workbook (or its
    first sheet), or a CSV with commas or, as Excel writes it in Norway, semicolons."""
    if path.suffix.lower() in {".xlsx", ".xlsm"}:
        import openpyxl

        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
        sheet = book[SHEET] if SHEET in book.sheetnames else book.worksheets[0]
        rows = [[_cell(value) for value in row] for row in sheet.iter_rows(values_only=True)]
        book.close()
        return rows
    data = path.read_bytes()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        from charset_normalizer import from_bytes

        best = from_bytes(data).best()
        text = str(best) if best is not None else data.decode("latin-1")
    dialect = csv.Sniffer().sniff(text.splitlines()[0] if text else ",", delimiters=",;\t")
    return [[_cell(value) for value in row] for row in csv.reader(io.StringIO(text), dialect)]


def sentence_sha(text: str) -> str:
    """A sentence's fingerprint: a coded sample can name its sentences without holding their text."""
    return digest(" ".join(text.split()), 16)


class SentenceIndex:
    """The corpus's sentences by unit (``doc_id:sentence_id``), and by document (its id or its
    source file) and fingerprint: a sheet coded under another model, whose sentence ids have
    moved, or before a document's id changed, still finds its sentences."""

    def __init__(
        self,
        texts: Mapping[str, str],
        sources: Mapping[str, str] | None = None,
        ranges: Mapping[str, tuple[int, int]] | None = None,
    ):
        self.texts = dict(texts)
        self.sources = dict(sources or {})  # doc_id -> source file
        self.ranges = dict(ranges or {})  # unit -> its characters in the clean text
        self._by_sha: dict[tuple[str, str], str] = {}
        for unit, text in self.texts.items():
            doc_id, sha = unit.rsplit(":", 1)[0], sentence_sha(text)
            self._by_sha.setdefault((doc_id, sha), unit)
            if doc_id in self.sources:
                self._by_sha.setdefault((self.sources[doc_id], sha), unit)

    def locate(self, unit: str, sha: str | None, source: str | None = None) -> str | None:
        """The unit a sheet's row codes: ``unit`` where its sentence is the one coded (or the row
        gives no sentence), else the sentence with fingerprint ``sha`` in that document."""
        if unit in self.texts and (sha is None or sentence_sha(self.texts[unit]) == sha):
            return unit
        if not sha:
            return None
        return self._by_sha.get((unit.rsplit(":", 1)[0], sha)) or (source and self._by_sha.get((source, sha))) or None


def read_coding(path: Path, codes: Sequence[str], index: SentenceIndex) -> tuple[Coding, list[Problem]]:
    """One coded sheet, checked against the lexicon's ``codes`` and the corpus's sentences.

    A row names its sentence by ``unit``; where it also gives the sentence (``sentence``, as the
    coding sheet does) or its fingerprint (``sentence_sha``), that is the sentence scored.
    """
    if path.suffix.lower() == ".qdpx":
        from diskurs.validation.qda import read_project

        return read_project(path, codes, index)
    coding, problems = Coding(path.stem), []
    rows = _rows_of(path)
    if not rows or "unit" not in rows[0]:
        problems.append(
            Problem(str(path), 1, "", "", "no `unit` column: use the workbook `diskurs coding-sheet` wrote")
        )
        return coding, problems
    header = rows[0]
    columns = {}
    for number, name in enumerate(header):
        if not name or name in UNIT_COLUMNS or name == SHA_COLUMN:
            continue
        if name in codes:
            columns[number] = name
        else:
            problems.append(
                Problem(
                    str(path),
                    1,
                    name,
                    "",
                    f"unknown code: the lexicon has no frame or function `{name}`; rename the column "
                    f"to one of {', '.join(codes)} or remove it",
                )
            )
    for name in codes:
        if name not in columns.values():
            problems.append(Problem(str(path), 1, name, "", "code column missing: this coder has not coded it"))
    unit_column = header.index("unit")
    text_column = header.index("sentence") if "sentence" in header else None
    sha_column = header.index(SHA_COLUMN) if SHA_COLUMN in header else None
    source_column = header.index("source") if "source" in header else None
    for row_number, row in enumerate(rows[1:], start=2):
        cells = row + [""] * (len(header) - len(row))
        if not any(cells):
            continue
        if sha_column is not None:
            sha = cells[sha_column] or None
        else:
            sha = sentence_sha(cells[text_column]) if text_column is not None and cells[text_column] else None
        unit = index.locate(cells[unit_column], sha, cells[source_column] if source_column is not None else None)
        if unit is None:
            problems.append(
                Problem(
                    str(path),
                    row_number,
                    "unit",
                    cells[unit_column],
                    "no such sentence in the annotated corpus; row left out",
                )
            )
            continue
        if unit in coding.codes:
            problems.append(Problem(str(path), row_number, "unit", unit, "sentence coded twice; the first row counts"))
            continue
        values: dict[str, int] = {}
        for number, name in columns.items():
            value = cells[number]
            if value in ("", "0", "1"):
                values[name] = int(value or 0)
            else:
                problems.append(Problem(str(path), row_number, name, value, "not 0, 1 or blank; the cell is left out"))
        coding.codes[unit] = values
    return coding, problems


def alpha(rows: Sequence[Sequence[float]]) -> float | None:
    """Krippendorff's α (nominal) of coders' rows over the same units, NaN where a coder has no
    value; None where it is undefined (fewer than two pairable values, or one value only)."""
    import krippendorff
    import numpy as np

    data = np.array(rows, dtype=float)
    pairable = (~np.isnan(data)).sum(axis=0) >= 2
    values = data[:, pairable]
    if values.size == 0 or len(np.unique(values[~np.isnan(values)])) < 2:
        return None
    return float(krippendorff.alpha(reliability_data=values, level_of_measurement="nominal"))


def verdict(value: float | None) -> str:
    if value is None:
        return "undefined"
    if value >= RELIABLE:
        return "reliable"
    return "tentative" if value >= TENTATIVE else "unreliable"


def _scores(tool: Sequence[float], human: Sequence[float]) -> dict:
    pairs = [(t, h) for t, h in zip(tool, human) if not (math.isnan(t) or math.isnan(h))]
    both = sum(1 for t, h in pairs if t and h)
    tool_positive = sum(1 for t, _ in pairs if t)
    human_positive = sum(1 for _, h in pairs if h)
    precision = both / tool_positive if tool_positive else None
    recall = both / human_positive if human_positive else None
    if precision is None or recall is None:
        f1 = None
    else:
        f1 = 2 * precision * recall / (precision + recall) if both else 0.0
    return {
        "units": len(pairs),
        "precision": precision,
        "recall": recall,
        "f1": f1,
        "tool_positive": tool_positive,
        "human_positive": human_positive,
    }


def majority(values: Sequence[float]) -> float:
    present = [v for v in values if not math.isnan(v)]
    ones = sum(present)
    if not present or ones * 2 == len(present):
        return math.nan
    return 1.0 if ones * 2 > len(present) else 0.0


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


def agreement_rows(
    tool: Mapping[str, set[str]], codings: Sequence[Coding], frames: Sequence[str], functions: Sequence[str]
) -> list[dict]:
    """Rows of agreement.csv. ``tool``: unit -> the codes the tool gives it."""
    units = sorted({unit for coding in codings for unit in coding.codes})
    nan = math.nan
    rows: list[dict] = []
    for kind, codes in (("frame", frames), ("function", functions)):
        for code in codes:
            tool_row = [1.0 if code in tool.get(unit, ()) else 0.0 for unit in units]
            human = {
                coding.coder: [
                    float(coding.codes[unit][code]) if code in coding.codes.get(unit, {}) else nan for unit in units
                ]
                for coding in codings
            }
            comparisons = [(f"{TOOL}–{coder}", [tool_row, row], row) for coder, row in human.items()]
            if len(human) > 1:
                coders_majority = [majority(values) for values in zip(*human.values())]
                comparisons.append((f"{TOOL}–{MAJORITY}", [tool_row, coders_majority], coders_majority))
                comparisons.append((CODERS, list(human.values()), None))
            for comparison, data, against in comparisons:
                value = alpha(data)
                row = {
                    "code": code,
                    "kind": kind,
                    "comparison": comparison,
                    "alpha": _round(value),
                    "verdict": verdict(value),
                }
                if against is not None:
                    scores = _scores(tool_row, against)
                    row.update({key: _round(v) if isinstance(v, float) else v for key, v in scores.items()})
                else:
                    row["units"] = sum(1 for values in zip(*data) if sum(not math.isnan(v) for v in values) >= 2)
                rows.append(row)
    # The mean α over the frames, per comparison: the figure a study reports first.
    for comparison in dict.fromkeys(row["comparison"] for row in rows):
        values = [row["alpha"] for row in rows if row["comparison"] == comparison and row["kind"] == "frame"]
        defined = [value for value in values if value is not None]
        mean = sum(defined) / len(defined) if defined else None
        rows.append(
            {
                "code": MEAN_OF_FRAMES,
                "kind": "frame",
                "comparison": comparison,
                "alpha": _round(mean),
                "verdict": verdict(mean),
            }
        )
    return rows


@dataclass
class AgreementSummary:
    out: Path
    coders: list[str] = field(default_factory=list)
    units: int = 0
    rows: list[dict] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)

    def describe(self) -> str:
        lines = [
            f"agreement: {len(self.coders)} coder(s) ({', '.join(self.coders)}), {self.units} sentences -> {self.out}"
        ]
        for row in self.rows:
            if row["code"] == MEAN_OF_FRAMES:
                shown = "undefined" if row["alpha"] is None else f"{row['alpha']:.3f}"
                lines.append(f"  mean α over the frames, {row['comparison']}: {shown} ({row['verdict']})")
        lines += [f"  skipped {source}: {reason}" for source, reason in self.failed]
        if self.problems:
            lines.append(f"  {len(self.problems)} entries could not be used, listed in {self.out / 'problems.csv'}:")
            lines += [f"    {p.file}, row {p.row}, column {p.column or '-'}: {p.problem}" for p in self.problems[:20]]
        return "\n".join(lines)


def tool_codes(
    frames_of: FramesMap, failed: list[tuple[str, str]] | None = None
) -> tuple[dict[str, set[str]], SentenceIndex]:
    """Unit -> the frames and framing functions the tool finds in that sentence, and the index
    of the corpus's sentences; a document that fails is added to ``failed``."""
    codes, texts, sources, ranges = {}, {}, {}, {}
    for entry, found in frames_of.documents(failed if failed is not None else []):
        doc_id = str(entry.metadata.get("doc_id", ""))
        sources[doc_id] = str(entry.metadata.get("source", ""))
        for sentence in found.sentences:
            unit = f"{doc_id}:{sentence.sentence_id}"
            codes[unit] = set(sentence.frames) | set(sentence.functions)
            texts[unit] = sentence.text
            ranges[unit] = (sentence.start_char, sentence.end_char)
    return codes, SentenceIndex(texts, sources, ranges)


def run_agreement(layout: Layout, params: dict, coded: Sequence[Path]) -> AgreementSummary:
    """Score the coded sheets against the tool's coding of the annotated corpus under ``layout``."""
    frames_of = FramesMap(layout, params)
    lexicon = frames_of.lexicon
    summary = AgreementSummary(layout.validation_dir)
    tool, index = tool_codes(frames_of, summary.failed)
    codings = []
    for path in coded:
        coding, problems = read_coding(path, [*lexicon.frame_names, *lexicon.function_names], index)
        if coding.coder in summary.coders:
            coding.coder = f"{coding.coder} ({path})"
        codings.append(coding)
        summary.coders.append(coding.coder)
        summary.problems += problems
    summary.units = len({unit for coding in codings for unit in coding.codes})
    summary.rows = agreement_rows(tool, codings, lexicon.frame_names, lexicon.function_names)
    write_csv(layout.validation_dir / "agreement.csv", AGREEMENT_COLUMNS, summary.rows)
    write_csv(layout.validation_dir / "problems.csv", PROBLEM_COLUMNS, (p.row_dict() for p in summary.problems))
    return summary


CODED_SUFFIXES = (".xlsx", ".xlsm", ".csv", ".qdpx")


def coded_files(folder: Path) -> list[Path]:
    """The coded sheets in ``folder`` (none when it does not exist); Excel's lock files left out."""
    if not folder.is_dir():
        return []
    return sorted(
        path
        for path in folder.iterdir()
        if path.is_file() and path.suffix.lower() in CODED_SUFFIXES and not path.name.startswith(("~$", "."))
    )


def run_validation(layout: Layout, params: dict) -> AgreementSummary:
    """The validation stage: every coded sheet in ``validation.coded`` scored, into reports/validation/."""
    return run_agreement(layout, params, coded_files(Path(section(params, "validation")["coded"])))
