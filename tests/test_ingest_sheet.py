"""The document sheet reads the same from a CSV (comma or semicolon) and from an Excel workbook."""

from __future__ import annotations

import datetime as dt

import openpyxl
import pytest

from diskurs.ingest.sheet import SheetError, read_sheet

HEADER = ["file", "published", "exclude", "outlet", "utgave"]
ROWS = [
    ["kommuner/fjellberg.txt", "2021-03-15", "", "Fjellberg kommune", "12"],
    ["kronikk.txt", "2022", "ja", "Dagens Medisin, nett", ""],
    ["notat.txt", "", "", "Helse Vest", "3"],
]


def _csv(rows: list[list[str]], separator: str) -> str:
    def cell(value: str) -> str:
        return f'"{value}"' if separator in value else value

    return "".join(separator.join(cell(value) for value in row) + "\n" for row in rows)


def _expect(sheet) -> None:
    assert sheet.columns == ("outlet", "utgave")
    first, second, third = (sheet.rows[row[0]] for row in ROWS)
    assert (first.line, first.published, first.exclude) == (2, "2021-03-15", False)
    assert first.fields == {"outlet": "Fjellberg kommune", "utgave": "12"}
    assert (second.published, second.exclude, second.fields["outlet"]) == ("2022", True, "Dagens Medisin, nett")
    assert (third.published, third.fields["utgave"]) == (None, "3")


def test_a_comma_csv_a_semicolon_csv_from_a_norwegian_excel_and_a_workbook_read_alike(tmp_path):
    comma = tmp_path / "dokumenter.csv"
    comma.write_text(_csv([HEADER, *ROWS], ","), encoding="utf-8")
    _expect(read_sheet(comma))

    semicolon = tmp_path / "dokumenter_excel.csv"
    semicolon.write_text("\ufeff" + _csv([HEADER, *ROWS], ";"), encoding="utf-8")
    _expect(read_sheet(semicolon))

    # In a workbook dates and numbers are typed cells, and an empty cell is no value at all.
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(HEADER)
    sheet.append(["kommuner/fjellberg.txt", dt.datetime(2021, 3, 15), None, "Fjellberg kommune", 12])
    sheet.append(["kronikk.txt", 2022, "ja", "Dagens Medisin, nett", None])
    sheet.append(["notat.txt", None, None, "Helse Vest", 3.0])
    sheet.append([None] * len(HEADER))
    workbook.save(tmp_path / "dokumenter.xlsx")
    _expect(read_sheet(tmp_path / "dokumenter.xlsx"))


def test_a_sheet_of_file_names_alone_reads(tmp_path):
    path = tmp_path / "filer.csv"
    path.write_text("file\na.txt\nundermappe/b.txt\n", encoding="utf-8")
    sheet = read_sheet(path)
    assert sorted(sheet.rows) == ["a.txt", "undermappe/b.txt"]
    assert sheet.columns == ()


def test_a_damaged_workbook_is_refused_with_the_file_and_the_fix(tmp_path):
    path = tmp_path / "dokumenter.xlsx"
    path.write_bytes(b"PK\x03\x04 no workbook inside")
    with pytest.raises(SheetError) as raised:
        read_sheet(path)
    assert str(path) in str(raised.value)
    assert "Save it as CSV (UTF-8) or .xlsx" in str(raised.value)
