"""Boilerplate-line precision and recall on the labelled set in tests/data/boilerplate/."""

from __future__ import annotations

from pathlib import Path

from diskurs.clean.evaluate import LABELLED_SET, evaluate_folder, format_scores, load_labelled_set, read_labelled
from diskurs.normalise import normalise
from diskurs.params import load_params

REPO = Path(__file__).resolve().parents[1]


def test_labelled_set_is_clean_stage_input():
    documents = load_labelled_set(LABELLED_SET)
    assert len(documents) >= 5
    for document in documents:
        assert normalise(document.text) == document.text, f"{document.name} is not normalised text"
        assert document.title and document.boilerplate, f"{document.name} lacks a title or labels"


def test_reader_strips_markers(tmp_path):
    path = tmp_path / "x.txt"
    path.write_text("# comment\n[B] Meny\n[T] Tittel\n\nBrødtekst.\n[B] © 2024 X\n", encoding="utf-8")
    document = read_labelled(path)
    assert document.text == "Meny\nTittel\n\nBrødtekst.\n© 2024 X"
    assert document.boilerplate == {1, 5} and (document.title, document.title_line) == ("Tittel", 2)


def test_precision_and_recall_at_least_95_percent():
    scores = evaluate_folder(LABELLED_SET, load_params(REPO / "params.yaml"))
    overall = scores["overall"]
    assert overall.gold >= 100
    assert overall.precision >= 0.95 and overall.recall >= 0.95, format_scores(scores)
    # Every layer that removes lines must be precise on its own.
    for layer in ("patterns", "classifier"):
        assert scores[layer].removed > 0 and scores[layer].precision >= 0.95, format_scores(scores)
