"""Writing the entity tables as CSV (UTF-8 with BOM), Parquet and one Excel workbook.

Every text cell goes through :func:`pipeline.spreadsheet.neutralise` before it is written to any
format, so the three copies hold the same text. The workbook is written cell by cell as strings
and numbers, so it holds no formula at all.
"""

from __future__ import annotations

import datetime as dt
import multiprocessing
import sys
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterator

import pyarrow as pa
import pyarrow.parquet as pq
import xlsxwriter

from pipeline.io import atomic_path, write_csv
from pipeline.spreadsheet import neutralise
# Fixed workbook metadata: the same tables give a byte-identical file on every run.
WORKBOOK_DATE = dt.datetime(2000, 1, 1)
MIN_WIDTH, MAX_WIDTH = 8, 60


@dataclass
class Table:
    """A named table; ``integers`` are the columns written as numbers (may hold None)."""

    name: str
    columns: list[str]
    rows: list[dict]
    integers: frozenset[str] = field(default_factory=frozenset)

    safe_rows: list[dict] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        # The rows as written, neutralised once for all three formats (and before the workbook's
        # process forks, so both share them).
        self.safe_rows = [{column: neutralise(row.get(column)) for column in self.columns} for row in self.rows]


def write_table_csv(path: Path, table: Table) -> int:
    rows = ({k: ("" if v is None else v) for k, v in row.items()} for row in table.safe_rows)
    return write_csv(path, table.columns, rows)


def write_table_parquet(path: Path, table: Table) -> None:
    schema = pa.schema(
        [(column, pa.int64() if column in table.integers else pa.string()) for column in table.columns]
    )
    rows = table.safe_rows
    arrays = {column: [row[column] for row in rows] for column in table.columns}
    with atomic_path(path) as tmp:
        pq.write_table(pa.Table.from_pydict(arrays, schema=schema), tmp)


def _width(table: Table, column: str, rows: list[dict]) -> int:
    longest = max([len(column)] + [len(str(row[column])) for row in rows[:2000] if row[column] is not None])
    return max(MIN_WIDTH, min(MAX_WIDTH, longest + 2))


def write_workbook(path: Path, tables: list[Table]) -> None:
    """One sheet per table: bold frozen header row, autofilter, widths from the content."""
    with atomic_path(path) as tmp:
        workbook = xlsxwriter.Workbook(
            str(tmp),
            {"strings_to_formulas": False, "strings_to_numbers": False, "strings_to_urls": False},
        )
        workbook.set_properties({"created": WORKBOOK_DATE})
        header = workbook.add_format({"bold": True})
        for table in tables:
            sheet = workbook.add_worksheet(table.name[:31])
            rows = table.safe_rows
            for c, column in enumerate(table.columns):
                sheet.write_string(0, c, column, header)
                sheet.set_column(c, c, _width(table, column, rows))
            for r, row in enumerate(rows, start=1):
                for c, column in enumerate(table.columns):
                    value = row[column]
                    if value is None or value == "":
                        continue
                    if column in table.integers:
                        sheet.write_number(r, c, value)
                    else:
                        sheet.write_string(r, c, str(value))
            sheet.freeze_panes(1, 0)
            sheet.autofilter(0, 0, max(len(rows), 1), len(table.columns) - 1)
        workbook.close()


@contextmanager
def _alongside(function: Callable[..., None], *args) -> Iterator[None]:
    """Run ``function(*args)`` in a forked process while the body runs.

    Writing the workbook is pure Python and the slowest part of the stage's writing; in a forked
    process (the tables are shared, not copied) it takes the second core. Where processes cannot
    be forked safely (only Linux is assumed to), it runs first, in this process.
    """
    if not sys.platform.startswith("linux"):
        function(*args)
        yield
        return
    process = multiprocessing.get_context("fork").Process(target=function, args=args)
    process.start()
    try:
        yield
    finally:
        process.join()
    if process.exitcode != 0:
        raise RuntimeError(
            f"{args[0]}: writing failed in its worker process (exit code {process.exitcode}); "
            "its error is printed above. Fix that and run the stage again."
        )


def write_tables(folder: Path, tables: list[Table], workbook: str, sheets: list[str]) -> None:
    """Each table as CSV and Parquet in ``folder``; the named ones as sheets of one workbook."""
    by_name = {table.name: table for table in tables}
    with _alongside(write_workbook, folder / workbook, [by_name[name] for name in sheets]):
        for table in tables:
            write_table_csv(folder / f"{table.name}.csv", table)
            write_table_parquet(folder / f"{table.name}.parquet", table)
