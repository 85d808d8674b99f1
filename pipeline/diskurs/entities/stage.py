"""The ``entities`` stage: the annotated corpus (corpus/processed/annotated/) -> reports/entities/ tables."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from diskurs.annotated import annotated_entries
from diskurs.entities.actors import SHIPPED_ACTORS, load_actors
from diskurs.entities.aggregate import (
    COOCCURRENCE_COLUMNS,
    DOCUMENT_COLUMNS,
    ENTITY_COLUMNS,
    cooccurrence_rows,
    document_row,
    entity_rows,
    relabel,
)
from diskurs.entities.cache import EntitiesCache
from diskurs.entities.canonical import Canonicaliser, CorpusNames
from diskurs.entities.mentions import (
    MENTION_COLUMNS,
    PEOPLE_COLUMNS,
    Mention,
    document_entities,
    ensure_sentences,
    names_extract,
)
from diskurs.entities.people import RoleFinder
from diskurs.entities.references import BackReferences
from diskurs.layout import Layout
from diskurs.params import section
from diskurs.tables import Table, write_tables

WORKBOOK = "entities.xlsx"
# The mentions (one row per mention, tens of thousands in a large corpus) are in mentions.csv
# and .parquet; as a sheet they took most of the stage's re-run time.
SHEETS = ["entities", "people", "documents"]


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


def build_tables(docs, actors, labels: frozenset[str], cooccurrence_labels: frozenset[str]) -> list[Table]:
    """All entity tables from a re-iterable source of annotated documents (two passes)."""

    def extracts():
        for doc in docs():
            ensure_sentences(doc)
            yield names_extract(doc, labels)

    def documents(names, canon, roles, references):
        for doc in docs():
            ensure_sentences(doc)
            yield doc.user_data, document_entities(doc, labels, names, canon, roles, references)

    return list(tables_from(extracts, documents, actors, cooccurrence_labels))


def tables_from(extracts, documents, actors, cooccurrence_labels: frozenset[str]) -> Iterator[Table]:
    """All entity tables from the two passes: ``extracts()`` yields each document's names extract,
    ``documents(names, canon, roles, references)`` each document's metadata and :class:`DocumentEntities`.

    The mentions come first, and each further table is computed only when asked for, so that the
    writing of the mentions starts while the others are computed.
    """
    names = CorpusNames()
    for extract in extracts():
        names.learn(extract)
    canon = Canonicaliser(actors, names)
    roles = RoleFinder(actors.role_words)
    references = BackReferences(actors)
    mentions: list[Mention] = []
    people: set[tuple] = set()
    infos: list[dict] = []
    for metadata, found in documents(names, canon, roles, references):
        mentions.extend(found.mentions)
        people.update(tuple(row[column] for column in PEOPLE_COLUMNS) for row in found.people)
        infos.append(
            {
                "doc_id": str(metadata.get("doc_id", "")),
                "source": str(metadata.get("source", "")),
                "title": metadata.get("title") or "",
                "published": metadata.get("published"),
                "authors": "|".join(metadata.get("authors") or []),
                "sentences": found.sentences,
            }
        )
    labels = relabel(mentions)
    mentions.sort(key=lambda m: (m.source, m.doc_id, -1 if m.start_char is None else m.start_char, m.text))
    yield Table(
        "mentions", MENTION_COLUMNS, [m.row() for m in mentions], frozenset({"sentence_id", "start_char", "end_char"})
    )
    published = {info["doc_id"]: info["published"] for info in infos}
    yield Table(
        "entities",
        ENTITY_COLUMNS,
        entity_rows(mentions, labels, published, actors.type_of),
        frozenset({"mentions", "documents"}),
    )
    yield Table("people", PEOPLE_COLUMNS, [dict(zip(PEOPLE_COLUMNS, row)) for row in sorted(people)])
    yield Table(
        "cooccurrence",
        COOCCURRENCE_COLUMNS,
        cooccurrence_rows(mentions, cooccurrence_labels),
        frozenset({"sentences", "documents"}),
    )
    by_doc: dict[str, list[Mention]] = defaultdict(list)
    for mention in mentions:
        by_doc[mention.doc_id].append(mention)
    documents = sorted(
        (document_row(info, by_doc[info["doc_id"]]) for info in infos), key=lambda r: (r["source"], r["doc_id"])
    )
    yield Table(
        "documents", DOCUMENT_COLUMNS, documents, frozenset({"sentences", "mentions", "people", "organisations"})
    )


def run_entities(layout: Layout, params: dict) -> EntitiesSummary:
    settings = section(params, "entities")
    actors = load_actors(settings["actors"])
    labels = frozenset(settings["labels"])
    cooccurrence_labels = frozenset(settings["cooccurrence_labels"])
    cache = EntitiesCache(layout.cache("entities"), labels, settings["actors"] or SHIPPED_ACTORS)
    # The entries hold metadata only; Docs are built only for documents the cache cannot answer for.
    entries = list(annotated_entries(layout.annotated))
    tables = tables_from(
        lambda: cache.extracts(entries),
        lambda names, canon, roles, references: cache.documents(entries, names, canon, roles, references),
        actors,
        cooccurrence_labels,
    )
    tables = write_tables(layout.entities_dir, tables, WORKBOOK, SHEETS)
    cache.prune()
    by_name = {table.name: table for table in tables}
    return EntitiesSummary(
        folder=layout.entities_dir,
        documents=len(by_name["documents"].rows),
        mentions=len(by_name["mentions"].rows),
        entities=len(by_name["entities"].rows),
        people=len(by_name["people"].rows),
        pairs=len(by_name["cooccurrence"].rows),
    )
