"""Same inputs and params give byte-identical CSV and JSONL outputs, run after run.

The second run reads a copy of the input from another place and writes to another folder, so
neither absolute paths nor the order a folder lists its files in may leak into the outputs.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from diskurs.cli import main
from test_robustness import build_bad_folder, ingest_and_clean

REPO = Path(__file__).resolve().parents[1]
SAMPLE = REPO / "corpus" / "raw"
TABLES = ("*.csv", "*.jsonl")


def outputs(root: Path) -> dict[str, bytes]:
    """Every CSV and JSON Lines file under ``root``, by relative path."""
    return {
        path.relative_to(root).as_posix(): path.read_bytes()
        for pattern in TABLES
        for path in sorted(root.rglob(pattern))
    }


def assert_identical(first: Path, second: Path) -> None:
    a, b = outputs(first), outputs(second)
    assert sorted(a) == sorted(b)
    changed = [name for name in a if a[name] != b[name]]
    assert not changed, f"outputs differ between runs: {changed}"


def _two_places(tmp_path: Path, source: Path) -> tuple[Path, Path]:
    first = tmp_path / "a" / "input"
    second = tmp_path / "b" / "et annet sted"
    shutil.copytree(source, first, symlinks=True)
    shutil.copytree(source, second, symlinks=True)
    return first, second


def test_ingest_and_clean_are_byte_identical_on_the_sample_corpus(tmp_path):
    first, second = _two_places(tmp_path, SAMPLE)
    ingest_and_clean(first, tmp_path / "out1")
    ingest_and_clean(second, tmp_path / "out2")
    assert len(outputs(tmp_path / "out1")) == 5
    assert_identical(tmp_path / "out1", tmp_path / "out2")


def test_ingest_and_clean_are_byte_identical_on_bad_input(tmp_path):
    folder = tmp_path / "bad"
    folder.mkdir()
    build_bad_folder(folder, with_megabyte_line=False)
    ingest_and_clean(folder, tmp_path / "out1")
    # Built again elsewhere: its symbolic links point into the new folder.
    other = tmp_path / "et annet sted"
    other.mkdir()
    build_bad_folder(other, with_megabyte_line=False)
    ingest_and_clean(other, tmp_path / "out2")
    assert_identical(tmp_path / "out1", tmp_path / "out2")


def test_rerun_over_previous_outputs_is_byte_identical(tmp_path):
    out = tmp_path / "out"
    ingest_and_clean(SAMPLE, out)
    before = outputs(out)
    ingest_and_clean(SAMPLE, out)
    assert outputs(out) == before


def test_ingest_and_clean_are_byte_identical_on_the_shared_corpus(tmp_path, shared_corpus):
    first, second = _two_places(tmp_path, shared_corpus)
    ingest_and_clean(first, tmp_path / "out1")
    ingest_and_clean(second, tmp_path / "out2")
    assert_identical(tmp_path / "out1", tmp_path / "out2")


def test_whole_run_is_byte_identical(tmp_path, model_params):
    first, second = _two_places(tmp_path, SAMPLE)
    for folder, out in ((first, "out1"), (second, "out2")):
        result = CliRunner().invoke(
            main, ["run", str(folder), "--out", str(tmp_path / out), "--params", str(model_params)]
        )
        assert result.exit_code == 0, result.output
    tables = outputs(tmp_path / "out1")
    for stage in ("entities", "themes", "frames"):
        assert any(name.startswith(f"reports/{stage}/") for name in tables), stage
    assert_identical(tmp_path / "out1", tmp_path / "out2")
    metrics = [json.loads((tmp_path / out / "reports" / "metrics.json").read_bytes()) for out in ("out1", "out2")]
    # The same texts in two folders: the same results, each recorded with the folder it came from.
    assert [m["params"]["corpus"].pop("input") for m in metrics] == [str(first), str(second)]
    assert metrics[0] == metrics[1]
    # Timings live in files of their own, one per stage.
    timings = {
        path.stem: json.loads(path.read_text()) for path in (tmp_path / "out1" / "reports" / "timings").glob("*.json")
    }
    assert sorted(timings) == sorted(
        ["ingest", "clean", "annotate", "entities", "themes", "frames", "validation", "compare", "report"]
    )
    assert all(t["seconds"] > 0 and t["cpu_seconds"] > 0 and t["peak_memory_mb"] > 20 for t in timings.values()), (
        timings
    )


@pytest.fixture(autouse=True)
def _quiet_progress(monkeypatch):
    # tqdm bars go to stderr; CliRunner mixes them into the output otherwise.
    monkeypatch.setenv("TQDM_DISABLE", "1")
