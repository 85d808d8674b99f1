"""Streaming readers and atomic writers shared by every stage."""

from __future__ import annotations

import csv
import datetime as dt
import json
import os
import tempfile
import time
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path

from diskurs.spreadsheet import neutralise, restore


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


# mkstemp makes files only their owner may read; results are shared with colleagues, so they get
# the modes the user's umask gives any new file (0644 under umask 022), as `dvc checkout` does.
FILE_MODE = 0o666 & ~_umask()
FOLDER_MODE = 0o777 & ~_umask()


@contextmanager
def atomic_path(path: Path | str, sweep: bool = True) -> Iterator[Path]:
    """Yield a temporary path next to ``path``; rename it over ``path`` only on success.

    A run that dies midway leaves the previous output intact instead of a half-written file.
    ``sweep`` then removes what killed earlier writes of ``path`` left behind; a caller writing
    many files into one folder that it sweeps itself turns it off, as each sweep lists the folder.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    started = time.time()
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    tmp_path = Path(tmp)
    try:
        yield tmp_path
        if tmp_path.is_file():
            os.chmod(tmp_path, FILE_MODE)
        os.replace(tmp_path, path)
        if sweep:
            _remove_leftovers(path, started)
    finally:
        tmp_path.unlink(missing_ok=True)


def _remove_leftovers(path: Path, before: float) -> None:
    """Delete temporary copies of ``path`` that a killed earlier write left behind.

    A process killed outright (SIGKILL, power loss) cannot clean up; once ``path`` has been
    written whole again, its older temporary copies are of no use to anyone.
    """
    prefix = f".{path.name}."
    with os.scandir(path.parent) as entries:
        for entry in entries:
            if entry.name.startswith(prefix) and entry.name.endswith(".tmp"):
                try:
                    if entry.stat().st_mtime < before:
                        os.unlink(entry.path)
                except FileNotFoundError:  # another process finished with it meanwhile
                    pass


@contextmanager
def atomic_open(path: Path | str, encoding: str = "utf-8", newline: str | None = None):
    """Open a text file for writing that appears at ``path`` only when closed without error."""
    with atomic_path(path) as tmp:
        with open(tmp, "w", encoding=encoding, newline=newline) as handle:
            yield handle


# Fixed workbook metadata: the same content gives a byte-identical file on every run.
WORKBOOK_DATE = dt.datetime(2000, 1, 1)


@contextmanager
def atomic_workbook(path: Path | str):
    """An xlsxwriter Workbook that replaces ``path`` whole when the block ends. Cells written as
    strings stay strings (never formulas, numbers or links)."""
    import xlsxwriter  # only the commands that write a workbook pay for it

    with atomic_path(path) as tmp:
        workbook = xlsxwriter.Workbook(
            str(tmp), {"strings_to_formulas": False, "strings_to_numbers": False, "strings_to_urls": False}
        )
        workbook.set_properties({"created": WORKBOOK_DATE})
        yield workbook
        workbook.close()


def read_jsonl(path: Path | str) -> Iterator[dict]:
    """Stream the records of a JSON Lines file."""
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                yield json.loads(line)


def write_jsonl(path: Path | str, records: Iterable[Mapping]) -> int:
    """Write records as JSON Lines (UTF-8, keys in the order given); return how many."""
    count = 0
    with atomic_open(path) as handle:
        for record in records:
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")
            count += 1
    return count


class SpreadsheetWriter(csv.DictWriter):
    """A CSV writer whose text cells spreadsheets show as text, never run as formulas."""

    def writerow(self, row: Mapping):
        return super().writerow({key: neutralise(value) for key, value in row.items()})


def write_csv(path: Path | str, columns: Sequence[str], rows: Iterable[Mapping]) -> int:
    """Write a CSV that spreadsheets open safely with æøå intact (UTF-8 with BOM); return the row count."""
    count = 0
    with atomic_open(path, encoding="utf-8-sig", newline="") as handle:
        writer = SpreadsheetWriter(handle, fieldnames=list(columns), extrasaction="raise")
        writer.writeheader()
        for row in rows:
            writer.writerow(row)
            count += 1
    return count


def read_csv(path: Path | str) -> Iterator[dict]:
    """Stream the rows of a CSV written by :func:`write_csv`, each cell as it was before it was made safe."""
    with open(path, encoding="utf-8-sig", newline="") as handle:
        for row in csv.DictReader(handle):
            yield {key: restore(value) for key, value in row.items()}
