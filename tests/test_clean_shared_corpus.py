"""The clean stage on the five real documents in ../shared/corpus (skipped when absent).

Anchors are the first words of each body paragraph, read off the files: the clean body must be
exactly those paragraphs, in order, so no body sentence is lost and no debris is left.
"""

from __future__ import annotations

import copy
from pathlib import Path

import pytest

from diskurs.clean.stage import run_clean
from diskurs.ingest.stage import run_ingest
from diskurs.io import read_csv, read_jsonl
from diskurs.layout import Layout
from diskurs.params import load_params

REPO = Path(__file__).resolve().parents[1]

ANCHORS = {
    "000_214d778db5e47e38.txt": [
        "Nylig arrangerte HelseOmsorg21-rådet et",
        "Innledningene tok for seg",
        "Den påfølgende diskusjonen",
        "Rådet jobber med innspillene",
        "Innovasjon og anskaffelser",
        "Møtet ble ledet av",
        "Jon Bingen Sande",
        "Lars Johan Frøyland",
        "Deretter fikk møtedeltagerne",
        "1) Oslo Universitetssykehus",
        "2) Sykehuset Østfold",
        "3) Stavanger Universitetssykehus",
        "4) Universitetssykehuset Nord-Norge",
        "Rådet tar sikte på",
    ],
    "001_b761725451472289.txt": [
        "Ingrid Stenstadvold Ross i Kreftforeningen",
        "HelseOmsorg21 har satt",
        "HelseOmsorg21-rådet, oppnevnt av",
        "Innovative offentlige anskaffelser",
        "Rådet har vedtatt",
        "HelseOmsorg21-rådet tar også",
        "Samlet inn innspill",
        "Rådet har gjennomført møter",
        "Planen er å gjennomføre",
    ],
    "002_b66a37d123b4e08b.txt": [
        "Nylig arrangerte HelseOmsorg21-rådet dialogmøte",
        "Om lag 50 personer",
        '"Kjør på, men gjør',
        "Deretter ble tre ulike",
        "Til slutt inviterte",
        "Avslutningsvis var det",
        "Bildet: Ingrid Stenstadvold Ross",
    ],
    "003_91790467cfe525a4.txt": [
        "Innkjøp og anskaffelser er viktig",
        "Dialogmøtene i 2021",
        "Virkemidler og insentiver",
        "Kunnskap om insentiver",
        "Strategisk bruk av",
        "Offentlig-privat samarbeid",
        "Rådet og de ulike",
        "HelseOmsorg21-rådet er et tverrsektorielt",
    ],
    "004_6c4cab7fbfa73299.txt": [
        "Partnerskapet med Nasjonalt",
        "Fremtidens helsetjenester bør",
        "Et strategisk partnerskap",
        "Partnerskapet med Leverandørutviklingsprogrammet",
        "Formålet med partnerskapet",
        "Offentlig sektor står",
        "For LUP betyr",
        "At Helse Vest nå",
    ],
}
# Debris that must not be left in any body: print footers, comment forms, URLs, bylines.
DEBRIS = [
    "utskriftstidspunkt",
    "globale meldinger",
    "skrevet ut",
    "Skriv ut",
    "kommentere",
    "Legg inn kommentar",
    "Epostadressen",
    "Akismet",
    "http",
    "www.",
    "PUBLISERT",
    "Schedell Flattum",
    "Anbud365",
]


@pytest.fixture(scope="module")
def cleaned(shared_corpus, tmp_path_factory):
    params = copy.deepcopy(load_params(REPO / "params.yaml"))
    layout = Layout(tmp_path_factory.mktemp("shared"))
    run_ingest(shared_corpus, layout, params)
    run_clean(layout, params)
    return layout


def _records(layout: Layout) -> dict[str, dict]:
    return {record["source"]: record for record in read_jsonl(layout.clean)}


@pytest.mark.parametrize("source", sorted(ANCHORS))
def test_body_is_exactly_the_article_paragraphs(cleaned, source):
    paragraphs = _records(cleaned)[source]["paragraphs"]
    starts = [paragraph.lstrip("•–- ") for paragraph in paragraphs]
    assert len(starts) == len(ANCHORS[source]), "\n".join(paragraph[:60] for paragraph in paragraphs)
    for start, anchor in zip(starts, ANCHORS[source]):
        assert start.startswith(anchor), f"expected a paragraph starting {anchor!r}, found {start[:60]!r}"


@pytest.mark.parametrize("source", sorted(ANCHORS))
def test_debris_is_gone(cleaned, source):
    body = _records(cleaned)[source]["text"]
    for debris in DEBRIS:
        assert debris not in body, f"{debris!r} left in the body of {source}"
    assert "\n*\n" not in f"\n{body}\n"


def test_every_removal_is_audited(cleaned):
    audit = list(read_csv(cleaned.boilerplate))
    documents = {record["doc_id"]: record["text"].split("\n") for record in read_jsonl(cleaned.documents)}
    for record in read_jsonl(cleaned.clean):
        lines = documents[record["doc_id"]]
        rows = [row for row in audit if row["doc_id"] == record["doc_id"]]
        assert rows, f"nothing removed from {record['source']}"
        for row in rows:
            assert row["text"] and row["text"] in lines[int(row["line"]) - 1]
        non_blank = sum(1 for line in lines if line.strip())
        whole_lines = {int(row["line"]) for row in rows if row["text"] == lines[int(row["line"]) - 1].strip()}
        assert non_blank == len(whole_lines) + len(record["paragraphs"])
    rules = {row["rule"] for row in audit}
    assert {"metadata:url", "metadata:byline", "metadata:printed_at", "metadata:title"} <= rules
    assert {"pattern:comment_invitation", "pattern:spam_notice", "pattern:print_link"} <= rules


def test_title_prefix_is_cut_and_caption_kept(cleaned):
    audit = [row for row in read_csv(cleaned.boilerplate) if row["source"].startswith("001_")]
    prefix = [row for row in audit if row["line"] == "3"]
    assert len(prefix) == 1 and prefix[0]["rule"] == "metadata:title"
    assert prefix[0]["text"].startswith("Anbud365: Skal bidra") and prefix[0]["text"].endswith("anskaffelser")


def test_manifest_has_clean_lengths(cleaned):
    rows = list(read_csv(cleaned.manifest))
    records = _records(cleaned)
    assert [row["source"] for row in rows] == sorted(ANCHORS)
    for row in rows:
        assert row["status"] == "ok"
        assert int(row["chars_out"]) == len(records[row["source"]]["text"])
