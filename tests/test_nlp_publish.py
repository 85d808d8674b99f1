"""Publishing a trained pipeline: only a better NER score replaces the shipped model."""

from __future__ import annotations

import json

import pytest
import spacy
from click.testing import CliRunner

from diskurs.cli import main
from diskurs.nlp.loader import checksum
from diskurs.nlp.publish import PublishRefused, publish


def _trained(tmp_path, name, ents_f):
    folder = tmp_path / name
    nlp = spacy.blank("nb")
    nlp.add_pipe("sentencizer")
    nlp.config["paths"]["train"] = "corpus/train.spacy"
    nlp.to_disk(folder)
    metrics = tmp_path / f"{name}.json"
    metrics.write_text(json.dumps({"ents_f": ents_f, "pos_acc": 0.9, "ents_per_type": {}}), encoding="utf-8")
    return folder, metrics


def test_first_publish_stamps_name_version_and_metrics(tmp_path):
    source, metrics = _trained(tmp_path, "cand", 0.7)
    target = tmp_path / "shipped"
    meta = publish(source, metrics, target)
    assert meta["version"] == "1.0.0"
    written = json.loads((target / "meta.json").read_text(encoding="utf-8"))
    assert written["name"] == "diskurs_sm" and written["lang"] == "nb"
    assert "CC0" in written["license"]
    assert written["performance"]["ents_f"] == 0.7
    shipped = json.loads((target / "metrics.json").read_text(encoding="utf-8"))
    assert shipped["ents_f"] == 0.7
    # The copied scores name the shipped folder itself, whose meta differs from the candidate's.
    assert shipped["model"]["name"] == "nb_diskurs_sm"
    assert shipped["model"]["sha256"] == checksum(target) != checksum(source)
    assert spacy.load(target).pipe_names == ["sentencizer"]
    assert spacy.load(target).config["paths"]["train"] is None
    assert spacy.load(source).config["paths"]["train"] == "corpus/train.spacy"


def test_worse_or_equal_model_is_refused_unless_forced(tmp_path):
    target = tmp_path / "shipped"
    publish(*_trained(tmp_path, "first", 0.7), target)
    worse = _trained(tmp_path, "worse", 0.7)
    with pytest.raises(PublishRefused, match="does not beat"):
        publish(*worse, target)
    assert json.loads((target / "metrics.json").read_text(encoding="utf-8"))["ents_f"] == 0.7

    meta = publish(*_trained(tmp_path, "better", 0.75), target)
    assert meta["version"] == "1.1.0"
    meta = publish(*worse, target, force=True)
    assert meta["version"] == "1.2.0"
    assert not any(p.name.startswith(".") for p in tmp_path.iterdir())


def test_command_reports_a_refusal_without_a_traceback(tmp_path):
    target = tmp_path / "shipped"
    publish(*_trained(tmp_path, "first", 0.8), target)
    source, metrics = _trained(tmp_path, "worse", 0.5)
    result = CliRunner().invoke(
        main, ["publish-model", "--from", str(source), "--metrics", str(metrics), "--to", str(target)]
    )
    assert result.exit_code == 1
    assert "does not beat" in result.output and "--force" in result.output


def test_a_model_over_the_size_limit_is_refused_even_when_forced(tmp_path):
    source, metrics = _trained(tmp_path, "big", 0.9)
    # Sparse: 61 MB of apparent size without writing them.
    with open(source / "vocab" / "vectors", "wb") as handle:
        handle.truncate(61 * 2**20)
    target = tmp_path / "shipped"
    with pytest.raises(PublishRefused, match="exceeds the 60 MB limit"):
        publish(source, metrics, target, force=True)
    assert not target.exists()
