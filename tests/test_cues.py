"""Cues suggested by a coded sample: the words typical of the sentences people coded with a code."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from analysis_corpus import run_through
from diskurs.cli import main
from diskurs.io import read_csv
from diskurs.validation.cues import log_odds_z

REPO = Path(__file__).resolve().parents[1]
DEV = REPO / "tests" / "data" / "frame_coding" / "dev"


def test_a_word_of_the_coded_sentences_scores_high_and_an_even_one_near_zero():
    # 40 of 100 sentences coded: a word in 10 coded and no other sentence is typical of the code,
    # one spread as the sentences are is not, and one only outside the code is typical against it.
    typical = log_odds_z(10, 0, 40, 60, 10 / 100)
    even = log_odds_z(4, 6, 40, 60, 10 / 100)
    against = log_odds_z(0, 10, 40, 60, 10 / 100)
    assert typical > 1.96
    assert abs(even) < 0.5
    assert against < -1.5
    # The prior shrinks a word seen twice below one seen ten times at the same share.
    assert log_odds_z(2, 0, 40, 60, 2 / 100) < typical


@pytest.fixture(scope="module")
def dev_layout(model_path, tmp_path_factory):
    return run_through(DEV / "texts", model_path, tmp_path_factory.mktemp("cues_dev"), "frames")


def test_the_dev_set_s_two_codings_suggest_their_codes_typical_words(dev_layout, tmp_path):
    out = tmp_path / "cues.csv"
    coded = [str(DEV / "dev_coder2.csv"), str(DEV / "dev_coder4.csv")]
    result = CliRunner().invoke(
        main, ["suggest-cues", "--root", str(dev_layout.root), "--out", str(out), *coded], catch_exceptions=False
    )
    assert result.exit_code == 0, result.output
    rows = list(read_csv(out))
    assert rows and all(float(row["z"]) >= 1.96 and int(row["coded_with"]) >= 3 for row in rows)
    found = {(row["code"], row["lemma"]): row for row in rows}
    # Patients and users are what the coders' users_patients sentences share, and the lexicon has them.
    assert found["users_patients", "pasient"]["in_lexicon"] == "yes"
    # A word the lexicon lacks comes with a sentence the tool missed, for the reader to judge.
    new = [row for row in rows if row["in_lexicon"] == "no" and int(row["missed_by_tool"])]
    assert new and all(row["example"] for row in new)
    assert "not in the lexicon" in result.output
