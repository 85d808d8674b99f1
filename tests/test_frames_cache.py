"""The frames stage's per-document cache on ../shared/corpus: a warm run writes what a fresh run writes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from analysis_corpus import PIPELINES, corpus_docs, make_nlp, write_docbin
from diskurs.cache import digest
from diskurs.frames.cache import DocumentFrames, frames_cache, lexicon_digest
from diskurs.frames.lexicon import load_lexicon
from diskurs.frames.matcher import LexiconMatcher
from diskurs.frames.stage import run_frames
from diskurs.io import write_csv
from diskurs.layout import Layout
from diskurs.params import load_params

REPO = Path(__file__).resolve().parents[1]
TABLES = ("document_frames", "frame_evidence", "sentence_functions", "quotes", "actor_frames")


@pytest.fixture(scope="module", params=PIPELINES)
def docs(request, shared_corpus):
    """The real documents with an annotation key, as the annotate stage stores them."""
    docs = corpus_docs(make_nlp(request.param), shared_corpus)
    for doc in docs:
        doc.user_data["annotation"] = f"{request.param}-{digest(doc.text)}"
    return docs


@pytest.fixture(scope="module")
def params():
    return load_params(REPO / "params.yaml")


def annotated(root: Path, docs) -> Layout:
    layout = Layout(root)
    write_docbin(docs, layout.annotated)
    return layout


def outputs(layout: Layout) -> dict[str, bytes]:
    return {name: (layout.frames_dir / f"{name}.csv").read_bytes() for name in TABLES}


def entries(layout: Layout) -> dict[str, int]:
    """Cache entry name -> modification time, over the one key folder the run keeps."""
    [folder] = layout.cache("frames").iterdir()
    return {path.name: path.stat().st_mtime_ns for path in folder.iterdir()}


def test_a_warm_run_builds_no_doc_and_writes_what_a_fresh_run_writes(docs, params, tmp_path):
    first, fresh = annotated(tmp_path / "first", docs), annotated(tmp_path / "fresh", docs)
    cold = run_frames(first, params)
    written = entries(first)
    assert cold.from_cache == 0 and len(written) == len(docs)
    warm = run_frames(first, params)
    assert warm.from_cache == warm.documents == len(docs) and not warm.failed
    assert entries(first) == written
    run_frames(fresh, params)
    assert outputs(first) == outputs(fresh)


def test_a_damaged_entry_is_a_miss_and_is_written_again(docs, params, tmp_path):
    first, fresh = annotated(tmp_path / "first", docs), annotated(tmp_path / "fresh", docs)
    run_frames(first, params)
    [folder] = first.cache("frames").iterdir()
    broken, misshapen, *_ = sorted(folder.iterdir())
    intact = broken.read_bytes()
    broken.write_bytes(intact[: len(intact) // 2])
    misshapen.write_text('{"sentences": [{"id": 1}]}', encoding="utf-8")
    summary = run_frames(first, params)
    assert summary.from_cache == len(docs) - 2 and not summary.failed
    assert broken.read_bytes() == intact and "sentence_id" in misshapen.read_text(encoding="utf-8")
    run_frames(fresh, params)
    assert outputs(first) == outputs(fresh)


def write_entities_tables(layout: Layout, docs) -> None:
    """Tables as the entities stage writes them: organisations under an upper-case canonical
    name, and the quoted speakers as the only known people, with a role."""
    mentions = [
        {
            "doc_id": doc.user_data["doc_id"],
            "source": doc.user_data["source"],
            "sentence_id": sentence_id,
            "start_char": entity.start_char,
            "text": entity.text,
            "label": entity.label_,
            "canonical": entity.text.upper() if entity.label_ != "PER" else entity.text,
        }
        for doc in docs
        for sentence_id, sentence in enumerate(doc.sents)
        for entity in sentence.ents
        if entity.label_ in {"PER", "ORG", "GPE_ORG"}
    ]
    columns = ("doc_id", "source", "sentence_id", "start_char", "text", "label", "canonical")
    write_csv(layout.entities_dir / "mentions.csv", columns, mentions)
    people = [
        {"person": name, "role": "testrolle", "organisation": ""}
        for name in ("Inger Cathrine Bryne", "Janne Dugstad", "Per Morten Sandset")
    ]
    write_csv(layout.entities_dir / "people.csv", ("person", "role", "organisation"), people)


def test_changed_entities_tables_apply_on_a_warm_run(docs, params, tmp_path):
    first, fresh = annotated(tmp_path / "first", docs), annotated(tmp_path / "fresh", docs)
    run_frames(first, params)
    before = outputs(first)
    for layout in (first, fresh):
        write_entities_tables(layout, docs)
    warm = run_frames(first, params)
    assert warm.from_cache == len(docs)
    run_frames(fresh, params)
    after = outputs(first)
    assert after == outputs(fresh)
    assert after["quotes"] != before["quotes"] and "testrolle" in after["quotes"].decode("utf-8-sig")
    if any(doc.ents for doc in docs):
        assert after["actor_frames"] != before["actor_frames"]


def test_an_entry_holds_what_the_doc_yields(docs):
    matcher = LexiconMatcher(load_lexicon(), docs[0].vocab)
    for doc in docs:
        found = DocumentFrames.from_doc(doc, matcher)
        assert DocumentFrames.from_json(json.loads(json.dumps(found.to_json()))) == found


def test_the_cache_key_follows_the_lexicon_content_and_not_the_hash_seed(tmp_path, params):
    settings = params["frames"]
    shipped = frames_cache(tmp_path, load_lexicon(), settings).folder
    lexicon = tmp_path / "frames.yaml"
    lexicon.write_text("frames:\n  demo:\n    lemmas: [anskaffelse]\n", encoding="utf-8")
    assert frames_cache(tmp_path, load_lexicon(lexicon), settings).folder != shipped
    assert frames_cache(tmp_path, load_lexicon(), {**settings, "skip_entities": False}).folder != shipped
    # A frame's description is for the report's readers: rewording it matches nothing new.
    described = tmp_path / "described.yaml"
    described.write_text(
        "frames:\n  demo:\n    description: Innkjøp som verktøy.\n    lemmas: [anskaffelse]\n", encoding="utf-8"
    )
    assert load_lexicon(described).frames[0].description == "Innkjøp som verktøy."
    assert lexicon_digest(load_lexicon(described)) == lexicon_digest(load_lexicon(lexicon))
    # The lexicon's word sets print in an order that differs between processes.
    code = (
        "from diskurs.frames.cache import lexicon_digest; from diskurs.frames.lexicon import load_lexicon; "
        "print(lexicon_digest(load_lexicon()))"
    )
    seen = {
        subprocess.run(
            [sys.executable, "-c", code],
            env={**os.environ, "PYTHONHASHSEED": seed},
            cwd=REPO,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        for seed in ("1", "2")
    }
    assert seen == {lexicon_digest(load_lexicon())}
