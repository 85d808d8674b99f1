"""Fixtures shared by the tests: the real corpus and NorNE, found beside the repository."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"


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
