"""The ``entities`` stage: corpus/processed/annotated.spacy -> reports/entities/ tables."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

import click
from spacy.tokens import Doc

from pipeline.annotated import read_annotated
from pipeline.entities.actors import load_actors
from pipeline.entities.aggregate import (
    COOCCURRENCE_COLUMNS,
    DOCUMENT_COLUMNS,
    ENTITY_COLUMNS,
    cooccurrence_rows,
    document_row,
    entity_rows,
    relabel,
)
from pipeline.entities.canonical import Canonicaliser, CorpusNames
from pipeline.entities.mentions import (
    MENTION_COLUMNS,
    PEOPLE_COLUMNS,
    Mention,
    collect_names,
    document_mentions,
    document_people,
    ensure_sentences,
    entity_spans,
    meta,
)
from pipeline.entities.people import RoleFinder
from pipeline.entities.tables import Table, write_tables
from pipeline.layout import Layout
from pipeline.params import section

WORKBOOK = "entities.xlsx"
SHEETS = ["entities", "mentions", "people", "documents"]


@dataclass
class EntitiesSummary:
    folder: Path
    documents: int
    mentions: int
    entities: int
    people: int
    pairs: int

    def describe(self) -> str:
        return (
            f"entities: {self.documents} documents, {self.mentions} mentions of {self.entities} actors, "
            f"{self.people} people rows, {self.pairs} co-occurring pairs -> {self.folder}"
        )


def read_docs(path: Path) -> Iterator[Doc]:
    """Stream the annotated documents, each with sentence boundaries."""
    for doc in read_annotated(path):
        ensure_sentences(doc)
        yield doc


def build_tables(docs, actors, labels: frozenset[str], cooccurrence_labels: frozenset[str]) -> list[Table]:
    """All entity tables from a re-iterable source of annotated documents (two passes)."""
    names = CorpusNames()
    for doc in docs():
        collect_names(doc, labels, names)
    canon = Canonicaliser(actors, names)
    roles = RoleFinder(actors.role_words)
    mentions: list[Mention] = []
    people: set[tuple] = set()
    infos: list[dict] = []
    for doc in docs():
        spans = [span for span in entity_spans(doc, labels, names) if not roles.is_role_phrase(span)]
        found, by_start = document_mentions(doc, spans, canon, labels)
        mentions.extend(found)
        for row in document_people(doc, spans, by_start, roles, canon):
            people.add(tuple(row[column] for column in PEOPLE_COLUMNS))
        infos.append(
            {
                "doc_id": str(meta(doc, "doc_id", "")),
                "source": str(meta(doc, "source", "")),
                "title": meta(doc, "title") or "",
                "published": meta(doc, "published"),
                "authors": "|".join(meta(doc, "authors") or []),
                "sentences": sum(1 for _ in doc.sents) if len(doc) else 0,
            }
        )
    relabel(mentions)
    mentions.sort(key=lambda m: (m.source, m.doc_id, -1 if m.start_char is None else m.start_char, m.text))
    by_doc: dict[str, list[Mention]] = defaultdict(list)
    for mention in mentions:
        by_doc[mention.doc_id].append(mention)
    published = {info["doc_id"]: info["published"] for info in infos}
    documents = sorted((document_row(info, by_doc[info["doc_id"]]) for info in infos), key=lambda r: (r["source"], r["doc_id"]))
    return [
        Table("mentions", MENTION_COLUMNS, [m.row() for m in mentions], frozenset({"sentence_id", "start_char", "end_char"})),
        Table("entities", ENTITY_COLUMNS, entity_rows(mentions, published), frozenset({"mentions", "documents"})),
        Table("people", PEOPLE_COLUMNS, [dict(zip(PEOPLE_COLUMNS, row)) for row in sorted(people)]),
        Table("cooccurrence", COOCCURRENCE_COLUMNS, cooccurrence_rows(mentions, cooccurrence_labels), frozenset({"sentences", "documents"})),
        Table("documents", DOCUMENT_COLUMNS, documents, frozenset({"sentences", "mentions", "people", "organisations"})),
    ]


def run_entities(layout: Layout, params: dict) -> EntitiesSummary:
    settings = section(params, "entities")
    actors = load_actors(settings["actors"])
    labels = frozenset(settings["labels"])
    cooccurrence_labels = frozenset(settings["cooccurrence_labels"])
    if not layout.annotated.is_file():
        raise click.ClickException(f"{layout.annotated}: not found. Run `diskurs annotate` first.")
    tables = build_tables(lambda: read_docs(layout.annotated), actors, labels, cooccurrence_labels)
    write_tables(layout.entities_dir, tables, WORKBOOK, SHEETS)
    by_name = {table.name: table for table in tables}
    return EntitiesSummary(
        folder=layout.entities_dir,
        documents=len(by_name["documents"].rows),
        mentions=len(by_name["mentions"].rows),
        entities=len(by_name["entities"].rows),
        people=len(by_name["people"].rows),
        pairs=len(by_name["cooccurrence"].rows),
    )
