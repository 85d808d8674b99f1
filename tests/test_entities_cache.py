"""The entities stage's per-document cache: reused while the corpus's names still give the same
answers, redone for a document whose answers changed, and the same tables either way."""

from __future__ import annotations

from pathlib import Path

from analysis_corpus import write_docbin
from diskurs.cache import digest
from diskurs.entities.stage import run_entities
from diskurs.io import read_csv
from diskurs.layout import Layout
from diskurs.params import load_params
from entity_docs import make_doc

REPO = Path(__file__).resolve().parents[1]
TABLES = ("mentions", "entities", "people", "cooccurrence", "documents")


def _doc(text: str, entities, doc_id: str, **metadata):
    doc = make_doc(text, entities, doc_id=doc_id, source=f"{doc_id}.txt", **metadata)
    doc.user_data["annotation"] = f"test-{digest(text)}"
    return doc


def _first():
    return _doc(
        "Avtalen med SPT ble signert i går. Rådsleder Siri Haugland i Helse Vest var fornøyd.",
        [("Siri Haugland", "PER")],
        "a",
        authors=["TORE ØDEGÅRD"],
    )


def _defines_spt():
    return _doc(
        "Senter for pasientnær teknologi (SPT) skal lede arbeidet, sier Tore Ødegård.",
        [("Senter for pasientnær teknologi", "ORG"), ("Tore Ødegård", "PER")],
        "b",
    )


def _run(layout: Layout, docs) -> dict[str, bytes]:
    write_docbin(docs, layout.annotated)
    run_entities(layout, load_params(REPO / "params.yaml"))
    return {name: (layout.entities_dir / f"{name}.csv").read_bytes() for name in TABLES}


def _entries(layout: Layout, folder: str = "results") -> dict[str, int]:
    """Inode of each entry of one pass's cache: an entry written again (atomically) gets a new one."""
    return {path.name: path.stat().st_ino for path in (layout.cache("entities") / folder).rglob("*.json")}


def test_a_rerun_reads_every_document_from_the_cache_and_writes_the_same_tables(tmp_path):
    layout = Layout(tmp_path / "run")
    first = _run(layout, [_first(), _defines_spt()])
    entries, names = _entries(layout), _entries(layout, "names")
    assert len(entries) == 2
    assert _run(layout, [_first(), _defines_spt()]) == first
    assert _entries(layout) == entries and _entries(layout, "names") == names


def test_a_new_document_that_defines_an_acronym_redoes_the_documents_using_it(tmp_path):
    warm, fresh = Layout(tmp_path / "warm"), Layout(tmp_path / "fresh")
    before = _run(warm, [_first()])
    assert b"SPT" not in before["mentions"]
    [first_entry] = _entries(warm).items()

    tables = _run(warm, [_first(), _defines_spt()])
    assert tables == _run(fresh, [_first(), _defines_spt()])
    spt = [row for row in read_csv(warm.entities_dir / "mentions.csv") if row["doc_id"] == "a" and row["text"] == "SPT"]
    assert [row["canonical"] for row in spt] == ["Senter for pasientnær teknologi"]
    # The first document's answers changed ("SPT" is now a known acronym): its entry was redone.
    assert _entries(warm)[first_entry[0]] != first_entry[1]


def test_a_renamed_file_reuses_its_entry_under_its_new_name(tmp_path):
    layout = Layout(tmp_path / "run")
    _run(layout, [_first(), _defines_spt()])
    entries = _entries(layout)
    renamed = _first()
    renamed.user_data.update({"doc_id": "a2", "source": "mappe/a2.txt"})
    _run(layout, [renamed, _defines_spt()])
    assert _entries(layout) == entries
    sources = {
        row["source"] for row in read_csv(layout.entities_dir / "mentions.csv") if row["text"] == "Siri Haugland"
    }
    assert sources == {"mappe/a2.txt"}
