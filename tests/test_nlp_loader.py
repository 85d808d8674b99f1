"""Loading the configured model, the error a user gets when it is missing, and its description."""

from __future__ import annotations

import shutil

import pytest
import spacy

from diskurs.nlp.loader import ModelNotFoundError, checksum, load_model, model_info


def test_missing_model_names_the_install_command_and_the_parameter():
    with pytest.raises(ModelNotFoundError) as raised:
        load_model("nb_no_such_model_sm")
    message = raised.value.format_message()
    assert "nb_no_such_model_sm" in message
    assert "pip install nb_no_such_model_sm" in message
    assert "nlp.model" in message and "params.yaml" in message


def test_folder_without_a_pipeline_is_refused(tmp_path):
    with pytest.raises(ModelNotFoundError, match="config.cfg is missing"):
        load_model(tmp_path)


def test_folder_pipeline_loads_and_is_described(tmp_path):
    folder = tmp_path / "model"
    nlp = spacy.blank("nb")
    nlp.add_pipe("sentencizer")
    nlp.meta["name"] = "probe_sm"
    nlp.meta["version"] = "2.3.0"
    nlp.to_disk(folder)

    loaded = load_model(folder)
    info = model_info(loaded)
    assert info["name"] == "nb_probe_sm"
    assert info["version"] == "2.3.0"
    assert info["pipeline"] == ["sentencizer"]
    assert info["sha256"] == checksum(folder) and len(info["sha256"]) == 64

    # The checksum follows the weights and config, not the metrics written beside them.
    (folder / "metrics.json").write_text("{}", encoding="utf-8")
    assert checksum(folder) == info["sha256"]
    copy = tmp_path / "copy"
    shutil.copytree(folder, copy)
    assert checksum(copy) == info["sha256"]
    with open(copy / "config.cfg", "a", encoding="utf-8") as handle:
        handle.write("\n")
    assert checksum(copy) != info["sha256"]


def test_missing_model_folder_says_how_to_restore_it(tmp_path):
    missing = tmp_path / "models" / "nb_diskurs_sm"
    with pytest.raises(ModelNotFoundError) as error:
        load_model(missing)
    message = str(error.value.message)
    assert str(missing) in message and "models/README.md" in message and "nlp.model" in message
