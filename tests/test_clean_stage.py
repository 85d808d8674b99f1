"""``run_clean`` end to end on small invented documents: outputs, audit trail, manifest."""

from __future__ import annotations

import copy
from pathlib import Path

import click
import pytest

from diskurs.clean.stage import NO_CONTENT_REASON, run_clean
from diskurs.ingest import MANIFEST_COLUMNS
from diskurs.io import read_csv, read_jsonl, write_csv, write_jsonl
from diskurs.layout import Layout
from diskurs.normalise import normalise
from diskurs.params import load_params

REPO = Path(__file__).resolve().parents[1]
TAGLINE = "Eksempelposten – nettavisen for innkjøp i helse og omsorg"
BODIES = {
    "a.txt": "Kommunen har gjennomført en markedsdialog med mange leverandører, og flere av dem kan levere en løsning for hjemmetjenesten.",
    "b.txt": "Sykehuset vil prøve ut sensorer i sengene, og de ansatte skal være med på å bestemme hvordan varslene skal se ut.",
    "c.txt": "Fylkeskommunen har fått midler til et innovasjonspartnerskap om tannhelse, og konkurransen lyses ut til høsten.",
}


def _document(source: str, title: str, lines: list[str]) -> dict:
    text = normalise("\n\n".join([title, *lines]))
    return {
        "doc_id": source.removesuffix(".txt"),
        "source": source,
        "format": "txt",
        "encoding": "utf-8",
        "title": title,
        "published": None,
        "authors": [],
        "urls": [],
        "printed_at": None,
        "text": text,
    }


@pytest.fixture()
def params() -> dict:
    return copy.deepcopy(load_params(REPO / "params.yaml"))


@pytest.fixture()
def layout(tmp_path) -> Layout:
    layout = Layout(tmp_path)
    documents = [
        _document(source, f"Sak {source[0]}", ["Hopp til hovedinnhold", body, "Del på Facebook", TAGLINE])
        for source, body in BODIES.items()
    ]
    # Repeats a.txt: counted once for the repeated lines, cleaned like any other document.
    documents.append(_document("d.txt", "Sak d", [BODIES["a.txt"], TAGLINE]))
    documents.append(_document("e.txt", "Bare støy", ["Godta alle", "Meny", "© 2024 Eksempelposten AS"]))
    write_jsonl(layout.documents, documents)
    rows = [
        {
            "source": d["source"],
            "doc_id": d["doc_id"],
            "format": "txt",
            "encoding": "utf-8",
            "status": "near_duplicate" if d["source"] == "d.txt" else "ok",
            "reason": "near-duplicate of a.txt" if d["source"] == "d.txt" else "",
            "chars_in": len(d["text"]),
            "chars_out": len(d["text"]),
        }
        for d in documents
    ]
    rows.append(
        {
            "source": "0_bilde.png",
            "doc_id": "",
            "format": "",
            "encoding": "",
            "status": "unsupported",
            "reason": "not a supported format",
            "chars_in": 0,
            "chars_out": 0,
        }
    )
    write_csv(layout.ingest_manifest, MANIFEST_COLUMNS, reversed(rows))
    return layout


def test_outputs_and_audit_trail(layout, params):
    summary = run_clean(layout, params)
    records = list(read_jsonl(layout.clean))
    audit = list(read_csv(layout.boilerplate))
    assert [r["source"] for r in records] == ["a.txt", "b.txt", "c.txt", "d.txt", "e.txt"]
    assert list(records[0]) == ["doc_id", "source", "title", "published", "authors", "fields", "text", "paragraphs"]
    for record in records[:4]:
        assert record["paragraphs"] == [BODIES.get(record["source"], BODIES["a.txt"])]
        assert record["text"] == "\n\n".join(record["paragraphs"])
    assert records[4]["paragraphs"] == [] and records[4]["text"] == ""

    # Nothing removed without a row: kept paragraphs plus audited lines are every line.
    originals = {d["doc_id"]: d["text"].split("\n") for d in read_jsonl(layout.documents)}
    for record in records:
        rows = [row for row in audit if row["doc_id"] == record["doc_id"]]
        removed = {int(row["line"]): row["text"] for row in rows}
        lines = originals[record["doc_id"]]
        kept = [line for number, line in enumerate(lines, 1) if line.strip() and number not in removed]
        assert kept == record["paragraphs"]
        assert all(lines[number - 1] == text for number, text in removed.items())

    rules = {(row["source"], row["text"]): row["rule"] for row in audit}
    assert rules[("a.txt", "Sak a")] == "metadata:title"
    assert rules[("a.txt", "Hopp til hovedinnhold")] == "pattern:skip_link"
    assert rules[("b.txt", "Del på Facebook")] == "pattern:share_buttons"
    assert rules[("c.txt", TAGLINE)] == "repeated"
    assert rules[("d.txt", TAGLINE)] == "repeated"
    assert summary.documents == 5 and summary.emptied == 1
    assert summary.removed["repeated"] == 4
    assert "5 documents" in summary.describe() and "1 left without content" in summary.describe()


def test_manifest_gets_clean_lengths_and_no_content(layout, params):
    run_clean(layout, params)
    rows = list(read_csv(layout.manifest))
    assert [row["source"] for row in rows] == ["0_bilde.png", "a.txt", "b.txt", "c.txt", "d.txt", "e.txt"]
    by_source = {row["source"]: row for row in rows}
    assert by_source["a.txt"]["chars_out"] == str(len(BODIES["a.txt"]))
    assert by_source["d.txt"]["status"] == "near_duplicate"
    assert by_source["e.txt"]["status"] == "no_content"
    assert by_source["e.txt"]["reason"] == NO_CONTENT_REASON
    assert by_source["0_bilde.png"]["status"] == "unsupported"


def test_near_duplicates_do_not_make_lines_repeated(layout, params):
    # Without c.txt the tagline is in a.txt, b.txt and the near-duplicate d.txt: two counted.
    documents = [d for d in read_jsonl(layout.documents) if d["source"] != "c.txt"]
    write_jsonl(layout.documents, documents)
    params["clean"]["repeated_min_share"] = 0.0
    summary = run_clean(layout, params)
    assert summary.removed["repeated"] == 0


def test_layers_switch_off(layout, params):
    params["clean"].update(patterns=False, repeated=False, classifier=False)
    summary = run_clean(layout, params)
    assert sum(summary.removed.values()) == 0
    assert list(read_csv(layout.boilerplate)) == []
    params["clean"].update(repeated=True)
    assert set(run_clean(layout, params).removed) == {"repeated"}


def test_missing_input_names_the_fix(tmp_path, params):
    with pytest.raises(click.UsageError, match="diskurs ingest"):
        run_clean(Layout(tmp_path), params)


def test_missing_setting_names_the_key(layout, params):
    del params["clean"]["repeated_min_share"]
    with pytest.raises(click.UsageError, match="clean.repeated_min_share"):
        run_clean(layout, params)
