"""One actor set: actor_frames.csv names the actors of entities.csv, under the same names and
labels, and counts the sentences mentions.csv places them in."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import pytest

from analysis_corpus import run_through
from diskurs.io import read_csv

REPO = Path(__file__).resolve().parents[1]
KIND = {"PER": "person", "ORG": "organisation", "GPE_ORG": "organisation"}


def run_through_frames(folder: Path, model_path: Path, root: Path) -> dict[str, list[dict]]:
    layout = run_through(folder, model_path, root, "entities", "frames")
    tables = {name: list(read_csv(layout.entities_dir / f"{name}.csv")) for name in ("mentions", "entities")}
    for name in ("actor_frames", "frame_evidence"):
        tables[name] = list(read_csv(layout.frames_dir / f"{name}.csv"))
    return tables


@pytest.fixture(scope="module")
def corpus_tables(shared_corpus, model_path, tmp_path_factory):
    return run_through_frames(shared_corpus, model_path, tmp_path_factory.mktemp("actors_corpus"))


def test_every_actor_of_actor_frames_is_an_entity_with_its_label(corpus_tables):
    kinds = {row["canonical"]: KIND.get(row["label"]) for row in corpus_tables["entities"]}
    wrong = {
        (row["actor"], row["actor_type"])
        for row in corpus_tables["actor_frames"]
        if kinds.get(row["actor"]) != row["actor_type"]
    }
    assert corpus_tables["actor_frames"] and not wrong, f"not actors of entities.csv as such: {sorted(wrong)}"


def test_actor_frames_count_the_sentences_mentions_name_the_actor_in(corpus_tables):
    frames = defaultdict(set)
    for row in corpus_tables["frame_evidence"]:
        frames[(row["doc_id"], row["sentence_id"])].add(row["frame"])
    named = defaultdict(set)
    for row in corpus_tables["mentions"]:
        if row["label"] in KIND and row["sentence_id"]:
            for frame in frames[(row["doc_id"], row["sentence_id"])]:
                named[(row["canonical"], KIND[row["label"]], frame)].add((row["doc_id"], row["sentence_id"]))
    rows = {(row["actor"], row["actor_type"], row["frame"]): row for row in corpus_tables["actor_frames"]}
    assert set(named) <= set(rows)
    for key, row in rows.items():
        # Sentences an actor is named in, plus those its quotes fill and that do not name it.
        assert len(named[key]) <= int(row["sentences"]) <= len(named[key]) + int(row["spoken"]), key


def test_the_council_is_counted_where_the_text_calls_it_rådet(corpus_tables):
    entities = {row["canonical"]: row for row in corpus_tables["entities"]}
    assert int(entities["HelseOmsorg21-rådet"]["mentions"]) == 26
    assert not {"Rådet", "Rådets", "Innovasjon", "Partnerskapet"} & set(entities)
    council = {row["actor"] for row in corpus_tables["actor_frames"]} & {"Rådet", "Rådets"}
    assert not council


def test_a_capitalised_common_word_entities_rejects_is_no_actor_of_the_frames(model_path, tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "agder.txt").write_text(
        "Innovasjon og anskaffelser i kommunene\n\n"
        "Kommunene i Agder vil bruke innkjøpene sine til å fremme innovasjon. Partnerskapet med "
        "leverandørene skal styrke kompetansen i kommunene.\n\n"
        "Partnerskapet ble etablert i fjor, og partnerskapet har gitt kommunene nye løsninger.\n",
        encoding="utf-8",
    )
    tables = run_through_frames(folder, model_path, tmp_path / "run")
    assert "Partnerskapet" not in {row["canonical"] for row in tables["entities"]}
    actors = {row["actor"] for row in tables["actor_frames"]}
    assert "Partnerskapet" not in actors
    assert actors <= {row["canonical"] for row in tables["entities"]}
