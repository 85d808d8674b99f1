"""Writing a stage's tables as CSV (UTF-8 with BOM), Parquet and, where asked, one Excel workbook.

The CSV writer makes every text cell formula-safe (:mod:`diskurs.spreadsheet`), reversibly;
Parquet and the workbook hold the text as it is. The workbook is written cell by cell as strings
and numbers, so it holds no formula at all.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from diskurs.io import atomic_path, atomic_workbook, write_csv

MIN_WIDTH, MAX_WIDTH = 8, 60


@dataclass
class Table:
    """A named table; ``integers`` and ``floats`` are the columns written as numbers (may hold None)."""

    name: str
    columns: list[str]
    rows: list[dict]
    integers: frozenset[str] = field(default_factory=frozenset)
    floats: frozenset[str] = field(default_factory=frozenset)

    @cached_property
    def cells(self) -> list[dict]:
        """The rows as written, every column present: the CSV writer makes them formula-safe,
        Parquet and the workbook (string cells only) keep the text as it is."""
        return [{column: row.get(column) for column in self.columns} for row in self.rows]


def write_table_csv(path: Path, table: Table) -> int:
    rows = ({k: ("" if v is None else v) for k, v in row.items()} for row in table.cells)
    return write_csv(path, table.columns, rows)


def _arrow_type(table: Table, column: str) -> pa.DataType:
    if column in table.integers:
        return pa.int64()
    return pa.float64() if column in table.floats else pa.string()


def write_table_parquet(path: Path, table: Table) -> None:
    schema = pa.schema([(column, _arrow_type(table, column)) for column in table.columns])
    rows = table.cells
    arrays = {column: [row[column] for row in rows] for column in table.columns}
    with atomic_path(path) as tmp:
        pq.write_table(pa.Table.from_pydict(arrays, schema=schema), tmp)


def _width(table: Table, column: str, rows: list[dict]) -> int:
    longest = max([len(column)] + [len(str(row[column])) for row in rows[:2000] if row[column] is not None])
    return max(MIN_WIDTH, min(MAX_WIDTH, longest + 2))


def _fill(sheet, table: Table, header) -> None:
    rows = table.cells
    for c, column in enumerate(table.columns):
        sheet.write_string(0, c, column, header)
        sheet.set_column(c, c, _width(table, column, rows))
    for r, row in enumerate(rows, start=1):
        for c, column in enumerate(table.columns):
            value = row[column]
            if value is None or value == "":
                continue
            if column in table.integers or column in table.floats:
                sheet.write_number(r, c, value)
            else:
                sheet.write_string(r, c, str(value))
    sheet.freeze_panes(1, 0)
    sheet.autofilter(0, 0, max(len(rows), 1), len(table.columns) - 1)


def write_workbook(path: Path, sheets: list[str], tables: Iterable[Table]) -> None:
    """One sheet per name in ``sheets``, in that order, each filled from the table of that name as
    ``tables`` yields it (others are passed over): bold frozen header row, autofilter, widths from
    the content."""
    with atomic_workbook(path) as workbook:
        header = workbook.add_format({"bold": True})
        worksheets = {name: workbook.add_worksheet(name[:31]) for name in sheets}
        missing = set(sheets)
        for table in tables:
            if table.name in missing:
                _fill(worksheets[table.name], table, header)
                missing.discard(table.name)
        if missing:
            raise ValueError(f"{path}: no table for the sheet(s) {', '.join(sorted(missing))}")


def write_tables(
    folder: Path, tables: Iterable[Table], workbook: str | None = None, sheets: Sequence[str] = ()
) -> list[Table]:
    """Each table as CSV and Parquet in ``folder``, then the named ones as sheets of one workbook
    (none without a ``workbook`` name).

    ``tables`` may compute each table only when asked for it. Returns the tables.
    """
    written = []
    for table in tables:
        write_table_csv(folder / f"{table.name}.csv", table)
        write_table_parquet(folder / f"{table.name}.parquet", table)
        written.append(table)
    if workbook is not None:
        write_workbook(folder / workbook, list(sheets), written)
    return written
