"""The frames stage end to end on ../shared/corpus: tables, evidence and voices."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import pytest
import yaml

from analysis_corpus import PIPELINES, corpus_docs, make_nlp, write_docbin
from diskurs.frames.stage import run_frames
from diskurs.io import read_csv
from diskurs.layout import Layout
from diskurs.params import load_params

REPO = Path(__file__).resolve().parents[1]
GOLD = yaml.safe_load((Path(__file__).parent / "data" / "speakers_gold.yaml").read_text(encoding="utf-8"))


@pytest.fixture(scope="module", params=PIPELINES)
def frames_run(request, shared_corpus, tmp_path_factory):
    layout = Layout(tmp_path_factory.mktemp(f"frames_{request.param}"))
    write_docbin(corpus_docs(make_nlp(request.param), shared_corpus), layout.annotated)
    summary = run_frames(layout, load_params(REPO / "params.yaml"))
    tables = {
        name: list(read_csv(layout.frames_dir / f"{name}.csv"))
        for name in ("document_frames", "frame_evidence", "sentence_functions", "quotes", "actor_frames")
    }
    return summary, tables


def test_every_real_document_has_a_frame_with_evidence(frames_run):
    summary, tables = frames_run
    assert summary.documents == 5 and not summary.failed and not summary.without_frames
    evidenced = {row["source"] for row in tables["frame_evidence"]}
    assert evidenced == {source for source in GOLD if source.endswith(".txt")}


def test_every_positive_score_has_matching_evidence_rows(frames_run):
    _, tables = frames_run
    evidence = defaultdict(set)
    for row in tables["frame_evidence"]:
        assert row["cue"] and row["sentence"]
        evidence[(row["source"], row["frame"])].add(row["sentence_id"])
    for row in tables["document_frames"]:
        assert len(evidence[(row["source"], row["frame"])]) == int(row["sentences"])
        assert (float(row["score"]) > 0) == (int(row["sentences"]) > 0)


def test_compound_in_the_corpus_counts_for_its_frame(frames_run):
    _, tables = frames_run
    cues = {(row["source"], row["frame"], cue) for row in tables["frame_evidence"] for cue in row["cue"].split("|")}
    assert ("004_6c4cab7fbfa73299.txt", "competence_knowledge", "kompetansetiltak") in cues


def test_quotes_table_lists_the_gold_speakers_and_actor_frames_count_them(frames_run):
    _, tables = frames_run
    found = defaultdict(set)
    for row in tables["quotes"]:
        found[row["source"]].add(row["speaker"])
    for source, speakers in GOLD.items():
        if source.endswith(".txt"):
            assert found.get(source, set()) == set(speakers)
    spoken = {
        row["actor"] for row in tables["actor_frames"] if row["actor_type"] == "person" and int(row["spoken"]) > 0
    }
    speakers = {name for source, names in GOLD.items() if source.endswith(".txt") for name in names}
    # A quote without any frame cue ("Kjør på, men gjør det skikkelig.") gives its speaker no
    # spoken frame, so only most speakers show up here; nobody else may.
    assert spoken <= speakers and len(spoken) >= len(speakers) - 1
