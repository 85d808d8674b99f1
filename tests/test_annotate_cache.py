"""The annotation cache: a re-run reads unchanged documents from it and writes the same bytes.

These run the annotate stage with the project's model (or DISKURS_TEST_MODEL) on the sample
corpus, cleaned, plus short snippets written for these tests.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import spacy
import yaml
from spacy.tokens import DocBin

from diskurs.annotate.cache import AnnotationCache, text_key
from diskurs.annotate.stage import run_annotate
from diskurs.annotate.workers import plan_shares
from diskurs.annotated import read_annotated
from diskurs.entities.actors import SHIPPED_ACTORS
from diskurs.io import read_jsonl, write_jsonl
from diskurs.layout import Layout
from diskurs.params import load_params
from test_robustness import ingest_and_clean

REPO = Path(__file__).resolve().parents[1]
SAMPLE = REPO / "corpus" / "raw"

NEW_DOCUMENT = {
    "doc_id": "nytt",
    "source": "nytt/innkjopsradet.txt",
    "title": "Markedsdialog i Nordvik",
    "published": "2024-03-01",
    "authors": ["Kari Nordmann"],
    "text": "Innkjøpsrådet ba om en ny markedsdialog før sommeren.\n\n"
    "Nordvik kommune vil prøve ut digital hjemmeoppfølging sammen med leverandørene.",
}


@pytest.fixture(scope="module")
def sample_records(tmp_path_factory) -> list[dict]:
    """The clean records of the sample corpus, for each test to write as its own clean.jsonl."""
    layout = ingest_and_clean(SAMPLE, tmp_path_factory.mktemp("sample"))
    return list(read_jsonl(layout.clean))


@pytest.fixture
def params(model_params) -> dict:
    return load_params(model_params)


def _layout(root: Path, records: list[dict]) -> Layout:
    layout = Layout(root)
    write_jsonl(layout.clean, records)
    return layout


def _entries(layout: Layout) -> dict[str, list[str]]:
    """Cache file names by pipeline-key folder."""
    return {
        folder.name: sorted(path.name for path in folder.iterdir())
        for folder in sorted(layout.annotate_cache.iterdir())
    }


def _docs(layout: Layout) -> list:
    return list(read_annotated(layout.annotated))


def _corpus(layout: Layout) -> dict[str, bytes]:
    """The annotated corpus folder, file by file."""
    return {path.name: path.read_bytes() for path in sorted(layout.annotated.iterdir())}


def test_a_warm_run_reads_every_document_from_the_cache_and_writes_the_same_bytes(tmp_path, sample_records, params):
    layout = _layout(tmp_path, sample_records)
    cold = run_annotate(layout, params)
    cold_bytes = _corpus(layout)
    assert cold.from_cache == 0 and cold.documents == len(sample_records)
    [entries] = _entries(layout).values()
    assert entries == sorted(f"{text_key(record['text'])}.spacy" for record in sample_records)

    files = {path.name: path.stat().st_ino for path in layout.annotated.glob("*.spacy")}
    warm = run_annotate(layout, params)
    assert warm.from_cache == warm.documents == len(sample_records)
    # Nothing but the index is written again (a file written again, atomically, gets a new inode).
    assert {path.name: path.stat().st_ino for path in layout.annotated.glob("*.spacy")} == files
    assert f"{len(sample_records)} of {len(sample_records)} documents from the annotation cache" in warm.describe()
    assert _corpus(layout) == cold_bytes


def test_adding_one_document_annotates_only_that_one(tmp_path, sample_records, params):
    layout = _layout(tmp_path / "incremental", sample_records)
    run_annotate(layout, params)
    # The same documents under new names still hit: only the text is the key.
    renamed = [{**record, "source": f"flyttet/{record['source']}"} for record in sample_records]
    write_jsonl(layout.clean, [*renamed, NEW_DOCUMENT])
    summary = run_annotate(layout, params)
    assert (summary.documents, summary.from_cache) == (len(sample_records) + 1, len(sample_records))
    [entries] = _entries(layout).values()
    assert len(entries) == len(sample_records) + 1
    docs = _docs(layout)
    assert [doc.user_data["source"] for doc in docs] == [record["source"] for record in [*renamed, NEW_DOCUMENT]]
    assert docs[-1].user_data["authors"] == ["Kari Nordmann"]

    # The incremental output is the output a full run from scratch gives.
    full = _layout(tmp_path / "full", [*renamed, NEW_DOCUMENT])
    assert run_annotate(full, params).from_cache == 0
    assert _corpus(layout) == _corpus(full)


def test_a_removed_document_leaves_the_cache_and_a_repeated_text_is_annotated_once(tmp_path, sample_records, params):
    layout = _layout(tmp_path, [*sample_records, NEW_DOCUMENT])
    run_annotate(layout, params)
    copy = {**NEW_DOCUMENT, "doc_id": "kopi", "source": "kopi.txt"}
    write_jsonl(layout.clean, [*sample_records[1:], NEW_DOCUMENT, copy])
    summary = run_annotate(layout, params)
    assert (summary.documents, summary.from_cache, summary.pruned) == (
        len(sample_records) + 1,
        len(sample_records) + 1,
        1,
    )
    [entries] = _entries(layout).values()
    assert f"{text_key(sample_records[0]['text'])}.spacy" not in entries
    assert len(entries) == len(sample_records)
    assert [doc.user_data["source"] for doc in _docs(layout)[-2:]] == ["nytt/innkjopsradet.txt", "kopi.txt"]


def test_another_actor_list_misses_the_cache_and_prunes_the_old_folder(tmp_path, params):
    layout = _layout(tmp_path, [NEW_DOCUMENT])
    run_annotate(layout, params)
    [old_key] = _entries(layout)
    listed = ("Innkjøpsrådet", "Innkjøpsrådet i Nordvik")
    assert listed not in [(ent.text, ent.ent_id_) for ent in _docs(layout)[0].ents]

    actor_list = yaml.safe_load(SHIPPED_ACTORS.read_text(encoding="utf-8"))
    actor_list["actors"].append({"name": "Innkjøpsrådet i Nordvik", "label": "ORG", "aliases": ["Innkjøpsrådet"]})
    actors = tmp_path / "aktorer.yaml"
    actors.write_text(yaml.safe_dump(actor_list, allow_unicode=True), encoding="utf-8")
    params["entities"]["actors"] = str(actors)
    summary = run_annotate(layout, params)
    assert summary.from_cache == 0 and summary.pruned == 1
    entries = _entries(layout)
    assert old_key not in entries and len(entries) == 1
    assert listed in [(ent.text, ent.ent_id_) for ent in _docs(layout)[0].ents]


def test_a_damaged_cache_entry_is_annotated_again_and_rewritten(tmp_path, sample_records, params):
    layout = _layout(tmp_path, sample_records)
    run_annotate(layout, params)
    cold_bytes = _corpus(layout)
    [key] = _entries(layout)
    folder = layout.annotate_cache / key
    truncated, garbage, other_text = (folder / f"{text_key(record['text'])}.spacy" for record in sample_records[:3])
    originals = {path: path.read_bytes() for path in (truncated, garbage, other_text)}
    truncated.write_bytes(originals[truncated][: len(originals[truncated]) // 2])
    garbage.write_bytes(b"ikke en DocBin")
    # A readable entry that holds another document's annotation is no hit either.
    other_text.write_bytes(originals[truncated])
    # The cache is read for documents the annotated corpus lacks, as after `dvc repro` removed it.
    shutil.rmtree(layout.annotated)

    summary = run_annotate(layout, params)
    assert summary.from_cache == len(sample_records) - 3
    assert _corpus(layout) == cold_bytes
    assert {path: path.read_bytes() for path in originals} == originals


def test_two_worker_processes_fill_the_cache_and_give_the_same_bytes(tmp_path, sample_records, params):
    records = [*sample_records, NEW_DOCUMENT, {**NEW_DOCUMENT, "doc_id": "kopi", "source": "kopi.txt"}]
    one = _layout(tmp_path / "one", records)
    run_annotate(one, params)
    two = _layout(tmp_path / "two", records)
    params["nlp"]["n_process"] = 2
    summary = run_annotate(two, params)
    # The repeated text is annotated once and read from the cache for its second occurrence.
    assert (summary.documents, summary.from_cache) == (len(records), 1)
    assert _corpus(two) == _corpus(one)
    [entries] = _entries(two).values()
    assert len(entries) == len(sample_records) + 1


def test_missing_texts_are_dealt_out_evenly_and_once(tmp_path, sample_records):
    records = [*sample_records, NEW_DOCUMENT, {**NEW_DOCUMENT, "doc_id": "kopi", "source": "kopi.txt"}]
    layout = _layout(tmp_path, records)
    cache = AnnotationCache(layout.annotate_cache, "k")
    cache.store(text_key(sample_records[0]["text"]), spacy.blank("nb")(sample_records[0]["text"]))
    shares = plan_shares((record["text"] for record in records), cache, 2)
    missing = {text_key(record["text"]) for record in records[1:]}
    assert shares[0] | shares[1] == missing and not shares[0] & shares[1]
    size = {text_key(record["text"]): len(record["text"]) for record in records}
    loads = [sum(size[key] for key in share) for share in shares]
    assert abs(loads[0] - loads[1]) <= max(size.values())


def test_stored_attributes_are_those_read_plus_those_the_pipeline_assigns(model_path):
    from diskurs.annotate.cache import READ_ATTRS, docbin_attrs

    shipped = spacy.load(model_path)
    # No parser and no tagger: no heads, dependencies or tags to keep, but the features.
    assert docbin_attrs(shipped) == (*READ_ATTRS, "MORPH")
    parsed = spacy.blank("nb")
    parsed.add_pipe("parser")
    parsed.add_pipe("tagger")
    assert set(docbin_attrs(parsed)) == set(READ_ATTRS) | {"HEAD", "DEP", "TAG"}
    # What the later stages read survives the narrower corpus.
    doc = shipped("Helse Bergen kjøper inn. Sykehusinnkjøp svarer raskt.")
    entry = DocBin(attrs=docbin_attrs(shipped), docs=[doc], store_user_data=True)
    [again] = entry.get_docs(shipped.vocab)
    assert [(t.text, t.lemma_, t.pos_, str(t.morph), t.is_sent_start, t.ent_iob_, t.ent_type_) for t in again] == [
        (t.text, t.lemma_, t.pos_, str(t.morph), t.is_sent_start, t.ent_iob_, t.ent_type_) for t in doc
    ]


def test_a_damaged_index_writes_the_annotated_corpus_afresh(tmp_path, sample_records, params):
    layout = _layout(tmp_path, sample_records)
    run_annotate(layout, params)
    cold = _corpus(layout)
    (layout.annotated / "index.jsonl").write_text('{"metadata": {"annotation"\n', encoding="utf-8")
    summary = run_annotate(layout, params)
    assert summary.documents == len(sample_records) and _corpus(layout) == cold
