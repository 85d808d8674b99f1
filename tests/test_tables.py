"""Entity tables: formula neutralisation, CSV with BOM, Parquet, and a formula-free workbook."""

from __future__ import annotations

import csv
import shutil
import subprocess

import openpyxl
import pyarrow.parquet as pq
import pytest
from hypothesis import given
from hypothesis import strategies as st

from diskurs.io import read_csv
from diskurs.spreadsheet import neutralise, restore
from diskurs.tables import Table, write_tables

TRIGGERS = ("=", "+", "@", "\t", "\r")


@pytest.mark.parametrize(
    "value, expected",
    [
        ('=HYPERLINK("http://x")', '\'=HYPERLINK("http://x")'),
        ("+47 22 00 00 00", "'+47 22 00 00 00"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tInnrykk", "'\tInnrykk"),
        ("- Kjør på, sa hun.", "'- Kjør på, sa hun."),
        ("-leading.txt", "'-leading.txt"),
        ("-2+3+cmd|' /C calc'!A0", "'-2+3+cmd|' /C calc'!A0"),
        ("'sitat'", "''sitat'"),
        ("-5", "-5"),
        ("-2,5", "-2,5"),
        ("Helse Vest RHF", "Helse Vest RHF"),
        ("– Allerede en tankestrek", "– Allerede en tankestrek"),
        ("", ""),
        (None, None),
        (7, 7),
    ],
)
def test_neutralise(value, expected):
    assert neutralise(value) == expected
    assert restore(neutralise(value)) == value


@given(st.text())
def test_restore_undoes_neutralise(value):
    assert restore(neutralise(value)) == value


def unsafe(cell: str) -> bool:
    if cell.startswith(TRIGGERS):
        return True
    return cell.startswith("-") and not cell[1:].replace(",", "").replace(".", "").isdigit()


def _write_sample(folder):
    rows = [
        {"text": "- Vi må samarbeide, sier Åse Ødegård.", "n": 3, "note": "=1+1"},
        {"text": "Bærum kommune", "n": None, "note": "@kommune"},
        {"text": "-7", "n": -7, "note": "+ekstra"},
    ]
    tables = [
        Table("mentions", ["text", "n", "note"], rows, frozenset({"n"})),
        Table("people", ["person"], [{"person": "Grete Ærø"}]),
    ]
    write_tables(folder, tables, "entities.xlsx", ["mentions", "people"])
    return folder


@pytest.fixture()
def written(tmp_path):
    return _write_sample(tmp_path)


def test_csv_has_bom_and_no_formula_cells(written):
    raw = (written / "mentions.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    with open(written / "mentions.csv", encoding="utf-8-sig", newline="") as handle:
        cells = [cell for row in csv.reader(handle) for cell in row]
    assert "'- Vi må samarbeide, sier Åse Ødegård." in cells
    assert not [cell for cell in cells if unsafe(cell)]
    rows = list(read_csv(written / "mentions.csv"))
    assert [row["text"] for row in rows] == ["- Vi må samarbeide, sier Åse Ødegård.", "Bærum kommune", "-7"]
    assert [row["note"] for row in rows] == ["=1+1", "@kommune", "+ekstra"]


def test_parquet_has_same_text_and_integer_columns(written):
    table = pq.read_table(written / "mentions.parquet")
    assert table.column("n").to_pylist() == [3, None, -7]
    # Parquet runs no formulas: it holds the text as it is.
    assert table.column("note").to_pylist() == ["=1+1", "@kommune", "+ekstra"]
    assert table.column("text").to_pylist()[0] == "- Vi må samarbeide, sier Åse Ødegård."


def test_workbook_has_no_formulas_frozen_header_and_filter(written):
    book = openpyxl.load_workbook(written / "entities.xlsx")
    assert book.sheetnames == ["mentions", "people"]
    for sheet in book.worksheets:
        assert sheet.freeze_panes == "A2"
        assert sheet.auto_filter.ref
        assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)
    sheet = book["mentions"]
    # String cells: the text as it is, and still no formula.
    assert sheet["A2"].value == "- Vi må samarbeide, sier Åse Ødegård."
    assert sheet["B2"].value == 3 and sheet["C2"].value == "=1+1" and sheet["C2"].data_type == "s"
    assert 8 <= sheet.column_dimensions["A"].width <= 62


def test_workbook_is_byte_identical_on_rewrite(written, tmp_path_factory):
    again = _write_sample(tmp_path_factory.mktemp("again"))
    assert (again / "entities.xlsx").read_bytes() == (written / "entities.xlsx").read_bytes()


def convert_with_libreoffice(workbook, out_dir):
    soffice = shutil.which("soffice")
    if soffice is None:
        pytest.skip("LibreOffice is not installed: `apt-get install -y libreoffice-calc-nogui` to run this check")
    profile = out_dir / "profile"
    subprocess.run(
        [
            soffice,
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--convert-to",
            "csv:Text - txt - csv (StarCalc):44,34,76,1",
            "--outdir",
            str(out_dir),
            str(workbook),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    return (out_dir / (workbook.stem + ".csv")).read_text(encoding="utf-8")


def test_libreoffice_converts_the_workbook_with_aeoeaa(written, tmp_path_factory):
    text = convert_with_libreoffice(written / "entities.xlsx", tmp_path_factory.mktemp("lo"))
    assert "- Vi må samarbeide, sier Åse Ødegård." in text
    assert "Bærum kommune" in text
    assert "=1+1" in text and "#NAME" not in text and "Err:" not in text


def test_a_workbook_that_cannot_be_written_stops_with_its_path_and_keeps_the_csv(tmp_path):
    (tmp_path / "entities.xlsx").mkdir()  # a folder where the workbook should go
    with pytest.raises(OSError, match="entities.xlsx"):
        _write_sample(tmp_path)
    assert (tmp_path / "mentions.csv").is_file() and (tmp_path / "entities.xlsx").is_dir()


def test_a_failure_while_the_tables_are_computed_leaves_the_old_workbook(written):
    before = (written / "entities.xlsx").read_bytes()

    def tables():
        yield Table("mentions", ["text"], [{"text": "Ny rad"}])
        raise RuntimeError("aggregation failed")

    with pytest.raises(RuntimeError, match="aggregation failed"):
        write_tables(written, tables(), "entities.xlsx", ["mentions", "people"])
    assert (written / "entities.xlsx").read_bytes() == before
