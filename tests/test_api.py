"""The Python API as a notebook uses it: nothing but ``import diskurs``."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import diskurs

SAMPLE = Path(__file__).resolve().parents[1] / "corpus" / "raw"


@pytest.fixture(scope="module")
def results(tmp_path_factory):
    folder = tmp_path_factory.mktemp("notebook")
    documents = folder / "artikler"
    shutil.copytree(SAMPLE, documents)
    # A parameter changed from Python, as a researcher would in a notebook.
    out = diskurs.run(documents, folder / "resultater", params={"report": {"top_n": 5}})
    return diskurs.load(out)


def test_every_table_loads_as_a_dataframe(results):
    assert {"manifest", "entities", "mentions", "people", "themes", "document_frames", "quotes"} <= set(results)
    entities = results["entities"]
    assert list(entities.columns[:4]) == ["canonical", "label", "type", "aliases"]
    # Counts are numbers, not text, whichever file format the table has.
    assert entities["mentions"].dtype.kind == "i"
    assert results["document_frames"].select_dtypes("number").shape[1] > 0
    # The mentions name the actors of the entities table, and the manifest lists every file.
    assert set(results["mentions"]["canonical"]) == set(entities["canonical"])
    assert len(results["manifest"]) == sum(1 for p in SAMPLE.rglob("*") if p.is_file())
    # The comparisons, with the shares as numbers.
    frames = results["compare/frames_by_period"]
    assert frames["share"].dtype.kind == "f" and frames["sentences"].dtype.kind == "i"


def test_metrics_and_figures_of_the_run(results):
    metrics = results.metrics
    assert metrics["documents"] == len(results["documents"])
    assert metrics["params"]["report"]["top_n"] == 5
    assert metrics["params"]["corpus"]["input"].endswith("artikler")
    figures = {p.name for p in (results.root / "reports" / "figures").glob("*.png")}
    assert {"frame_documents.png", "actor_network.png"} <= figures
    # A figure is a real PNG image, not an empty file.
    assert (results.root / "reports" / "figures" / "frame_documents.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_an_unknown_table_and_a_bad_parameter_say_what_to_do(results, tmp_path):
    with pytest.raises(KeyError, match="there are manifest"):
        results["entitites"]
    with pytest.raises(diskurs.SettingsProblem, match="k_range"):
        diskurs.run(SAMPLE, tmp_path / "out", params={"themes": {"k_rnage": [3, 5]}})
    assert not (tmp_path / "out").exists()
    with pytest.raises(FileNotFoundError, match="no diskurs results"):
        diskurs.load(tmp_path)
