"""Formula-safe CSV cells that still name the files they came from."""

from __future__ import annotations

import csv
from pathlib import Path

from click.testing import CliRunner

from diskurs.cli import main
from diskurs.io import read_csv
from diskurs.layout import Layout

REPO = Path(__file__).resolve().parents[1]
TEXT = (
    "Sykehuset vil kjøpe inn nye løsninger for hjemmeoppfølging av pasienter.\n\n"
    "Kommunen har lyst ut en konkurranse om innovasjonspartnerskap med leverandørene.\n"
)


def test_a_file_name_that_looks_like_a_formula_joins_with_its_file(tmp_path):
    folder = tmp_path / "tekster"
    folder.mkdir()
    names = ["-notat.txt", "=sum.txt", "'sitat.txt"]
    for number, name in enumerate(names):
        (folder / name).write_text(f"Sak {number}\n\n{TEXT}", encoding="utf-8")
    out = tmp_path / "ut"
    params = str(REPO / "params.yaml")
    runner = CliRunner()
    assert (
        runner.invoke(main, ["ingest", "--input", str(folder), "--root", str(out), "--params", params]).exit_code == 0
    )
    assert runner.invoke(main, ["clean", "--root", str(out), "--params", params]).exit_code == 0
    manifest = Layout(out).manifest
    # The cells as a spreadsheet sees them: none starts a formula.
    with open(manifest, encoding="utf-8-sig", newline="") as handle:
        raw = [row["source"] for row in csv.DictReader(handle)]
    assert sorted(raw) == sorted(["'-notat.txt", "'=sum.txt", "''sitat.txt"])
    # Read back, each names its file exactly.
    sources = [row["source"] for row in read_csv(manifest)]
    assert sorted(sources) == sorted(names)
    assert all((folder / source).is_file() for source in sources)
