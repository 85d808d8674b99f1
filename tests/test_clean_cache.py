"""The clean cache: a warm run writes the bytes a run without cache writes, and cleans again only
the documents whose outcome can have changed.

The corpora are the sample files in corpus/raw, ingested, and short snippets written for these
tests.
"""

from __future__ import annotations

import copy
import shutil
from pathlib import Path

import pytest

from diskurs.clean.cache import entry_key
from diskurs.clean.patterns import PACKAGED_LIBRARY
from diskurs.clean.stage import run_clean
from diskurs.ingest import MANIFEST_COLUMNS
from diskurs.io import read_csv, write_csv, write_jsonl
from diskurs.layout import Layout
from diskurs.params import load_params
from test_robustness import ingest_and_clean

REPO = Path(__file__).resolve().parents[1]
SAMPLE = REPO / "corpus" / "raw"
FOOTER = "Eksempelposten er medlem av Fagpressen"
CAPTION = "Sykepleier Kari Nordmann viser fram den nye sensoren"
BODIES = {
    "a": "Kommunen har gjennomført en markedsdialog med mange leverandører, og flere av dem kan levere en løsning for hjemmetjenesten.",
    "b": "Sykehuset vil prøve ut sensorer i sengene, og de ansatte skal være med på å bestemme hvordan varslene skal se ut.",
    "c": "Fylkeskommunen har fått midler til et innovasjonspartnerskap om tannhelse, og konkurransen lyses ut til høsten.",
    "d": "Helseforetaket skal kjøpe en ny løsning for legemiddelhåndtering, og leverandørene får svare på et utkast til krav.",
    "e": "Bydelen vil teste digitalt tilsyn om natten, og de pårørende blir spurt om hva de synes før anskaffelsen starter.",
}


def _record(doc_id: str, title: str, lines: list[str]) -> dict:
    return {
        "doc_id": doc_id,
        "source": f"{doc_id}.txt",
        "title": title,
        "published": None,
        "authors": [],
        "text": "\n\n".join(lines),
    }


def _write_corpus(root: Path, records: list[dict]) -> Layout:
    """documents.jsonl and the ingest manifest of ``records``, as ingest writes them."""
    layout = Layout(root)
    write_jsonl(layout.documents, records)
    rows = [
        {
            "source": r["source"],
            "doc_id": r["doc_id"],
            "format": "txt",
            "encoding": "utf-8",
            "status": "ok",
            "reason": "",
            "chars_in": len(r["text"]),
            "chars_out": len(r["text"]),
        }
        for r in records
    ]
    write_csv(layout.ingest_manifest, MANIFEST_COLUMNS, rows)
    return layout


def _outputs(layout: Layout) -> list[bytes]:
    return [path.read_bytes() for path in (layout.clean, layout.boilerplate, layout.manifest)]


def _entries(layout: Layout) -> dict[str, tuple[int, int]]:
    """Each cache entry's key with its inode and modification time, which change when it is
    written again (atomically, as a new file); the cache has one key folder."""
    [folder] = layout.cache("clean").iterdir()
    return {path.stem: (path.stat().st_ino, path.stat().st_mtime_ns) for path in folder.iterdir()}


def _key(record: dict) -> str:
    return entry_key(record["text"], record["title"])


def _without_cache(records: list[dict], root: Path, params: dict) -> list[bytes]:
    layout = _write_corpus(root, records)
    assert run_clean(layout, params).from_cache == 0
    return _outputs(layout)


def _audit(layout: Layout) -> dict[tuple[str, str], str]:
    return {(row["doc_id"], row["text"]): row["rule"] for row in read_csv(layout.boilerplate)}


@pytest.fixture()
def params() -> dict:
    return copy.deepcopy(load_params(REPO / "params.yaml"))


def test_a_warm_run_on_the_sample_corpus_writes_the_same_bytes(tmp_path, params):
    layout = ingest_and_clean(SAMPLE, tmp_path / "out", params)
    cold = _outputs(layout)
    entries = _entries(layout)

    warm = run_clean(layout, params)
    assert warm.from_cache == warm.documents == len(entries) > 0
    assert _outputs(layout) == cold
    # Nothing written again, nothing removed.
    assert _entries(layout) == entries and warm.pruned == 0
    assert f"{warm.documents} of {warm.documents} documents from the clean cache" in warm.describe()


def test_a_line_that_becomes_repeated_cleans_the_earlier_documents_again(tmp_path, params):
    # The footer is in two documents, short of repeated_min_documents (3): not repeated yet.
    records = [_record(d, f"Sak {d}", [BODIES[d], FOOTER]) for d in "ab"] + [_record("c", "Sak c", [BODIES["c"]])]
    layout = _write_corpus(tmp_path / "run", records)
    run_clean(layout, params)
    assert _audit(layout).get(("a", FOOTER)) != "repeated"
    entries = _entries(layout)

    # A third document with the footer makes it repeated in a and b; c is unchanged.
    records.append(_record("d", "Sak d", [BODIES["d"], FOOTER]))
    _write_corpus(layout.root, records)
    summary = run_clean(layout, params)
    assert (summary.documents, summary.from_cache) == (4, 1)
    assert _audit(layout)[("a", FOOTER)] == _audit(layout)[("b", FOOTER)] == "repeated"
    assert _outputs(layout) == _without_cache(records, tmp_path / "fresh", params)
    # c's entry is left as it was; a's and b's are written again under the same keys; d's is new.
    after = _entries(layout)
    assert sorted(after) == sorted(map(_key, records))
    assert [key for key in entries if after[key] == entries[key]] == [_key(records[2])]


def test_a_caption_behind_the_title_that_becomes_repeated_is_cleaned_again(tmp_path, params):
    # "Site: <title> <caption>": the title is cut off and layer 2 tests the caption alone,
    # which is no line of its own in this document.
    title = "Kommunen kjøper sensorer til sykehjemmet"
    cut = _record("x", title, [f"Eksempelposten: {title} {CAPTION}", BODIES["a"]])
    records = (
        [cut] + [_record(d, f"Sak {d}", [BODIES[d], CAPTION]) for d in "bc"] + [_record("d", "Sak d", [BODIES["d"]])]
    )
    layout = _write_corpus(tmp_path / "run", records)
    run_clean(layout, params)
    assert _audit(layout)[("x", f"Eksempelposten: {title}")] == "metadata:title"
    assert _audit(layout).get(("x", CAPTION)) != "repeated"

    records.append(_record("e", "Sak e", [BODIES["e"], CAPTION]))
    _write_corpus(layout.root, records)
    summary = run_clean(layout, params)
    assert _audit(layout)[("x", CAPTION)] == "repeated"
    assert summary.from_cache == 1  # d
    assert _outputs(layout) == _without_cache(records, tmp_path / "fresh", params)


def test_a_damaged_entry_is_cleaned_again_and_a_removed_document_pruned(tmp_path, params):
    records = [_record(d, f"Sak {d}", [BODIES[d]]) for d in "abc"]
    layout = _write_corpus(tmp_path, records)
    run_clean(layout, params)
    cold = _outputs(layout)
    [folder] = layout.cache("clean").iterdir()
    path = folder / f"{_key(records[0])}.json"
    whole = path.read_bytes()
    path.write_bytes(whole[:20])

    summary = run_clean(layout, params)
    assert (summary.from_cache, summary.pruned) == (2, 0)
    assert _outputs(layout) == cold
    assert path.read_bytes() == whole

    _write_corpus(layout.root, records[:2])
    summary = run_clean(layout, params)
    assert (summary.documents, summary.from_cache, summary.pruned) == (2, 2, 1)


def test_an_edited_pattern_file_starts_a_new_cache(tmp_path, params):
    library = tmp_path / "monster.yaml"
    shutil.copy(PACKAGED_LIBRARY, library)
    params["clean"]["pattern_file"] = str(library)
    records = [_record(d, f"Sak {d}", [BODIES[d], FOOTER]) for d in "ab"]
    layout = _write_corpus(tmp_path / "run", records)
    run_clean(layout, params)
    [old] = layout.cache("clean").iterdir()

    library.write_text(
        library.read_text(encoding="utf-8")
        + "\n  - name: member\n    description: test\n    regex: '.{0,30} er medlem av fagpressen'\n",
        encoding="utf-8",
    )
    summary = run_clean(layout, params)
    assert summary.from_cache == 0 and summary.pruned == 2
    assert not old.exists()
    assert _audit(layout)[("a", FOOTER)] == "pattern:member"
    assert _outputs(layout) == _without_cache(records, tmp_path / "fresh", params)
