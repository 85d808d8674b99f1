"""The report: swapped in whole, the same bytes every run, true provenance, one actor set."""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from diskurs.cli import main
from diskurs.io import read_csv
from diskurs.params import load_params
from diskurs.report import stage as report_stage

REPO = Path(__file__).resolve().parents[1]
SHARED_CORPUS = REPO.parent / "shared" / "corpus"
PARAMS = REPO / "params.yaml"


@pytest.fixture(scope="module")
def sample_run(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("rapport") / "ut"
    result = CliRunner().invoke(main, ["run", str(REPO / "corpus" / "raw"), "--out", str(out), "--params", str(PARAMS)])
    assert result.exit_code == 0, result.output
    return out


def _report_files(out: Path) -> dict[str, bytes]:
    reports = out / "reports"
    names = ["index.html", "report.md", "metrics.json"]
    names += [f"documents/{p.name}" for p in (reports / "documents").iterdir()]
    names += [f"figures/{p.name}" for p in (reports / "figures").iterdir()]
    return {name: (reports / name).read_bytes() for name in sorted(names)}


def test_a_report_stopped_midway_leaves_the_previous_report_whole(sample_run, tmp_path, monkeypatch):
    out = tmp_path / "ut"
    shutil.copytree(sample_run, out)
    before = _report_files(out)
    calls = []

    def dies_on_the_second_page(*args):
        calls.append(1)
        if len(calls) == 2:
            raise KeyboardInterrupt("killed while writing the document pages")
        return ""

    monkeypatch.setattr(report_stage, "entity_html", dies_on_the_second_page)
    params = load_params(PARAMS)
    params["report"]["top_n"] = 5  # a report that differs from the previous one
    with pytest.raises(KeyboardInterrupt):
        report_stage.run_report(report_stage.Layout(out), params)
    assert _report_files(out) == before
    index = (out / "reports" / "index.html").read_text(encoding="utf-8")
    for page in re.findall(r'href="(documents/[^"]+)"', index):
        assert (out / "reports" / page).is_file(), page
    assert not list((out / "reports").glob(".report-*")), "the staging folder is cleared"


def test_two_report_runs_give_the_same_bytes_figures_included(sample_run, tmp_path):
    runs = []
    for seed in ("1", "2"):
        out = tmp_path / f"ut{seed}"
        shutil.copytree(sample_run, out)
        subprocess.run(
            [str(Path(sys.executable).parent / "diskurs"), "report", "--root", str(out), "--params", str(PARAMS)],
            check=True,
            capture_output=True,
            env=dict(os.environ, PYTHONHASHSEED=seed),
        )
        runs.append(_report_files(out))
    assert runs[0].keys() == runs[1].keys()
    assert [name for name in runs[0] if runs[0][name] != runs[1][name]] == []
    assert any(name == "figures/actor_network.png" for name in runs[0])


def test_methods_and_metrics_record_the_run_s_own_corpus_and_its_checksum(sample_run):
    metrics = json.loads((sample_run / "reports" / "metrics.json").read_text(encoding="utf-8"))
    given = str(REPO / "corpus" / "raw")
    assert metrics["params"]["corpus"]["input"] == given
    manifest = list(read_csv(sample_run / "reports" / "manifest.csv"))
    lines = sorted(f"{row['source']}\t{row['sha256']}" for row in manifest if row["sha256"])
    assert len(lines) == len(manifest)
    assert metrics["input_sha256"] == hashlib.sha256("\n".join(lines).encode("utf-8")).hexdigest()
    index = (sample_run / "reports" / "index.html").read_text(encoding="utf-8")
    assert f"<code>{given}</code>" in index and metrics["input_sha256"] in index
    assert metrics["input_sha256"] in (sample_run / "reports" / "report.md").read_text(encoding="utf-8")


def test_counts_of_one_are_singular(sample_run):
    index = (sample_run / "reports" / "index.html").read_text(encoding="utf-8")
    assert not re.search(r"\b1 (documents|mentions|sentences|quotes)\b", index)


@pytest.mark.skipif(not SHARED_CORPUS.is_dir(), reason="../shared/corpus is absent: the real-corpus check is skipped")
def test_document_pages_mark_only_the_actors_of_the_entities_tables(tmp_path):
    out = tmp_path / "ut"
    result = CliRunner().invoke(main, ["run", str(SHARED_CORPUS), "--out", str(out), "--params", str(PARAMS)])
    assert result.exit_code == 0, result.output
    labels = set(load_params(PARAMS)["entities"]["labels"])
    kept = [
        row
        for row in read_csv(out / "reports" / "entities" / "mentions.csv")
        if row["start_char"].isdigit() and row["label"] in labels
    ]
    marked = []
    for page in (out / "reports" / "documents").glob("*.html"):
        marked += re.findall(r'<mark class="entity"[^>]*>\s*(.*?)\s*<span', page.read_text(encoding="utf-8"), re.S)
    assert sorted(marked) == sorted(row["text"] for row in kept)
    assert "Innovasjon" not in marked and "Partnerskapet" not in marked
