"""The researcher's document sheet (``corpus.metadata``): one row per input file, any columns.

The sheet is a CSV or an Excel workbook (first sheet). Its ``file`` column names each file by
its path relative to the input folder, as the manifest's ``source`` does. Three columns mean
something to diskurs itself: ``published`` (a date; it overrides the one found in the document),
``exclude`` (true leaves the file out, and the manifest says so) and ``file``. Every other
column (``outlet``, ``source_type``, …) is carried with the document for the comparisons.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from diskurs.ingest.metadata import parse_date

FILE, PUBLISHED, EXCLUDE = "file", "published", "exclude"
OWN_COLUMNS = (FILE, PUBLISHED, EXCLUDE)
_TRUE = {"true", "yes", "ja", "1", "x"}
_FALSE = {"", "false", "no", "nei", "0"}
# A year or a month is a date too, known less precisely: "2021", "2021-03".
_PARTIAL = re.compile(r"^(\d{4})(?:-(\d{1,2}))?$")


class SheetError(ValueError):
    """The sheet cannot be used; ``problems`` name the file, the row, the column and the fix."""

    def __init__(self, problems: list[str]):
        super().__init__("\n".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class SheetRow:
    line: int  # the row's number as a spreadsheet shows it (the header is row 1)
    published: str | None
    exclude: bool
    fields: dict[str, str]


@dataclass(frozen=True)
class DocumentSheet:
    """The sheet's rows by file; an absent sheet has none and reports nothing."""

    path: Path | None = None
    rows: dict[str, SheetRow] = field(default_factory=dict)
    columns: tuple[str, ...] = ()  # the researcher's own columns, in the sheet's order

    def __bool__(self) -> bool:
        return bool(self.rows)

    def missing(self, seen: set[str]) -> list[tuple[str, SheetRow]]:
        """Rows naming a file the input folder does not hold, in the sheet's order."""
        return [(name, row) for name, row in self.rows.items() if name not in seen]


def sheet_date(value: object) -> str | None:
    """An ISO date (or year, or year-month) for a cell; None where it is no date."""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    text = str(value).strip()
    if isinstance(value, (int, float)) and not isinstance(value, bool) and float(value).is_integer():
        text = str(int(value))
    if match := _PARTIAL.match(text):
        year, month = match[1], match[2]
        if month is None:
            return year
        return f"{year}-{int(month):02d}" if 1 <= int(month) <= 12 else None
    return parse_date(text)


def _cells(path: Path) -> list[list[object]]:
    # Read without pandas: every stage checks the sheet before it runs, and pandas would add
    # half a second and some 60 MB to stages that need it for nothing else.
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        import openpyxl
        from openpyxl.utils.exceptions import InvalidFileException

        try:
            workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
        # Not a workbook inside: a damaged file, or another format renamed.
        except (zipfile.BadZipFile, InvalidFileException, KeyError) as error:
            raise ValueError(error) from None
        try:
            rows = workbook.worksheets[0].iter_rows(values_only=True)
            return [["" if value is None else value for value in row] for row in rows]
        finally:
            workbook.close()
    if suffix == ".csv":
        text = path.read_text(encoding="utf-8-sig")
        try:
            # A spreadsheet saved as CSV in a Norwegian locale separates by semicolons; the header
            # row tells, as it holds no quoted commas.
            dialect = csv.Sniffer().sniff(text.partition("\n")[0], delimiters=",;\t")
        except csv.Error:  # one column, or too little to tell
            dialect = csv.excel
        return [row for row in csv.reader(io.StringIO(text, newline=""), dialect) if row]
    raise SheetError([f"{path}: a metadata sheet must be a .csv or .xlsx file. Save it as one of them."])


def read_sheet(path: Path | str | None) -> DocumentSheet:
    """The sheet at ``path`` (None: no sheet), every problem found at once. Raises SheetError."""
    if path is None:
        return DocumentSheet()
    path = Path(path)
    label = str(path)
    try:
        cells = _cells(path)
    except (OSError, UnicodeDecodeError, ValueError, csv.Error) as error:
        if isinstance(error, SheetError):
            raise
        raise SheetError([f"{label}: cannot be read as a sheet ({error}). Save it as CSV (UTF-8) or .xlsx."]) from None
    if not cells:
        return DocumentSheet(path)
    header = [str(cell).strip() for cell in cells[0]]
    if FILE not in header:
        raise SheetError(
            [
                f"{label}: no '{FILE}' column (found: {', '.join(h for h in header if h) or 'none'}). Name the "
                f"column of file names '{FILE}': each file's path relative to the input folder, as in reports/manifest.csv."
            ]
        )
    duplicated = sorted({h for h in header if h and header.count(h) > 1})
    if duplicated:
        raise SheetError([f"{label}: the column(s) {', '.join(duplicated)} appear twice. Give each column one name."])
    columns = tuple(h for h in header if h and h not in OWN_COLUMNS)
    problems: list[str] = []
    rows: dict[str, SheetRow] = {}
    for number, values in enumerate(cells[1:], start=2):
        cell = dict(zip(header, values))
        name = str(cell.get(FILE, "")).strip().replace("\\", "/")
        if not name:
            if any(str(value).strip() for value in values):
                problems.append(f"{label}: row {number}: no file name in '{FILE}'. Fill it in or delete the row.")
            continue
        name = str(PurePosixPath(name))
        if name in rows:
            problems.append(
                f"{label}: row {number}: {name} is listed already in row {rows[name].line}. Keep one row per file."
            )
            continue
        published = None
        raw_date = cell.get(PUBLISHED, "")
        if str(raw_date).strip():
            published = sheet_date(raw_date)
            if published is None:
                problems.append(
                    f"{label}: row {number}, {PUBLISHED}: {raw_date!r} is no date. Write it as 2021-03-15 "
                    "(or 2021-03, or 2021), or leave the cell empty to keep the date found in the document."
                )
        flag = str(cell.get(EXCLUDE, "")).strip().lower()
        if flag not in _TRUE | _FALSE:
            problems.append(
                f"{label}: row {number}, {EXCLUDE}: {cell[EXCLUDE]!r} is neither true nor false. Write true or leave it empty."
            )
        fields = {column: _text(cell.get(column, "")) for column in columns}
        rows[name] = SheetRow(number, published, flag in _TRUE, fields)
    if problems:
        raise SheetError(problems)
    return DocumentSheet(path, rows, columns)


def _text(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (dt.date, dt.datetime)):
        return sheet_date(value) or ""
    return " ".join(str(value).split())
