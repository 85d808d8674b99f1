"""Fixtures shared by the tests: the real corpus and NorNE, found beside the repository."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import yaml

from diskurs.params import load_params

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
# The model the tests run: the shipped one, or the pipeline folder in DISKURS_TEST_MODEL (a
# training checkpoint, say).
TEST_MODEL = Path(os.environ.get("DISKURS_TEST_MODEL") or REPO / "models" / "nb_diskurs_sm")


def _shared_folder(*parts: str) -> Path:
    folder = SHARED.joinpath(*parts)
    if not folder.is_dir():
        pytest.skip(f"{folder} is absent: put the shared data folder beside the repository to run this test")
    return folder


@pytest.fixture(scope="session")
def shared_corpus() -> Path:
    """The five real documents in ../shared/corpus."""
    return _shared_folder("corpus")


@pytest.fixture(scope="session")
def norne() -> Path:
    """NorNE bokmål in ../shared/norne/nob (train/, dev/, ud-dev.conllu)."""
    return _shared_folder("norne", "nob")


@pytest.fixture(scope="session")
def norne_nno() -> Path:
    """NorNE nynorsk in ../shared/norne/nno (train/, dev/, ud-dev.conllu)."""
    return _shared_folder("norne", "nno")


@pytest.fixture(scope="session")
def model_path() -> Path:
    """The spaCy pipeline folder the tests use; tests needing it skip when it is absent."""
    if not (TEST_MODEL / "config.cfg").is_file():
        pytest.skip(f"no spaCy model at {TEST_MODEL}: set DISKURS_TEST_MODEL to a pipeline folder to run this test")
    return TEST_MODEL


@pytest.fixture(scope="session")
def model_params(model_path, tmp_path_factory) -> Path:
    """A copy of params.yaml whose nlp.model is the test model."""
    params = load_params(REPO / "params.yaml")
    params["nlp"]["model"] = str(model_path)
    path = tmp_path_factory.mktemp("params") / "params.yaml"
    path.write_text(yaml.safe_dump(params, allow_unicode=True), encoding="utf-8")
    return path
