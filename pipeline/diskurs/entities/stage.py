"""The ``entities`` stage: the annotated corpus (corpus/processed/annotated/) -> reports/entities/ tables."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from diskurs.compute import prefill
from diskurs.entities.aggregate import (
    COOCCURRENCE_COLUMNS,
    DOCUMENT_COLUMNS,
    ENTITY_COLUMNS,
    cooccurrence_rows,
    document_row,
    entity_rows,
    relabel,
)
from diskurs.entities.cache import EntitiesMap, NamesMap
from diskurs.entities.canonical import Canonicaliser, CorpusNames
from diskurs.entities.mentions import (
    MENTION_COLUMNS,
    PEOPLE_COLUMNS,
    DocumentEntities,
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
    from_cache: int = 0
    failed_tasks: list[str] = field(default_factory=list)  # on the cluster; redone here

    def describe(self) -> str:
        lines = [
            f"entities: {self.documents} documents, {self.mentions} mentions of {self.entities} actors, "
            f"{self.people} people rows, {self.pairs} co-occurring pairs -> {self.folder}",
            f"  {self.from_cache} of {self.documents} documents from the entities cache",
        ]
        lines += [f"  a task failed on the cluster and was computed here: {reason}" for reason in self.failed_tasks]
        return "\n".join(lines)


def build_tables(docs, actors, labels: frozenset[str], cooccurrence_labels: frozenset[str]) -> list[Table]:
    """All entity tables from a re-iterable source of annotated documents (two passes)."""

    def with_sentences():
        for doc in docs():
            ensure_sentences(doc)
            yield doc

    names = CorpusNames.from_extracts(names_extract(doc, labels) for doc in with_sentences())
    canon, roles, references = Canonicaliser(actors, names), RoleFinder(actors.role_words), BackReferences(actors)
    documents = (
        (doc.user_data, document_entities(doc, labels, names, canon, roles, references)) for doc in with_sentences()
    )
    return list(tables_from(documents, actors, cooccurrence_labels))


def tables_from(
    documents: Iterable[tuple[dict, DocumentEntities]], actors, cooccurrence_labels: frozenset[str]
) -> Iterator[Table]:
    """All entity tables from each document's metadata and :class:`DocumentEntities`.

    The mentions come first, and each further table is computed only when asked for, so that the
    writing of the mentions starts while the others are computed.
    """
    mentions: list[Mention] = []
    people: set[tuple] = set()
    infos: list[dict] = []
    for metadata, found in documents:
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
    # Docs are built only for documents the caches cannot answer for; on a Dask engine, each pass
    # first has the cluster compute what its cache lacks.
    names_of = NamesMap(layout, params)
    failed_tasks = prefill("entities-names", names_of, layout, params)
    entities_of = EntitiesMap(layout, params, names_of.corpus_names(), names_of.vocab)
    failed_tasks += prefill("entities", entities_of, layout, params, state=names_of.corpus_key())
    documents = ((entry.metadata, entities_of(entry)) for entry in entities_of.entries())
    tables = tables_from(documents, entities_of.actors, frozenset(settings["cooccurrence_labels"]))
    tables = write_tables(layout.entities_dir, tables, WORKBOOK, SHEETS)
    names_of.cache.prune()
    entities_of.cache.prune()
    by_name = {table.name: table for table in tables}
    return EntitiesSummary(
        folder=layout.entities_dir,
        from_cache=entities_of.cache.hits,
        failed_tasks=failed_tasks,
        documents=len(by_name["documents"].rows),
        mentions=len(by_name["mentions"].rows),
        entities=len(by_name["entities"].rows),
        people=len(by_name["people"].rows),
        pairs=len(by_name["cooccurrence"].rows),
    )
