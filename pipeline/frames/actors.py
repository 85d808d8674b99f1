"""Who is named in a sentence, under the canonical names of the entities stage when it has run."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Mapping

from spacy.tokens import Doc

from pipeline.frames.quotes import PersonIndex

ORGANISATION_LABELS = frozenset({"ORG", "GPE_ORG"})


class MentionIndex:
    """Canonical names of entity mentions, keyed by document and character offset.

    Built from reports/entities/mentions.csv; a mention the table does not know keeps its text.
    """

    def __init__(self, rows: Iterable[Mapping[str, str]] = ()):
        self._canonical = {
            (row["doc_id"], int(row["start_char"])): row.get("canonical") or row["text"]
            for row in rows
            if row.get("doc_id") and str(row.get("start_char", "")).isdigit()
        }

    def canonical(self, doc_id: str, start_char: int, text: str) -> str:
        return self._canonical.get((doc_id, start_char), " ".join(text.split()))


@dataclass(frozen=True)
class NamedEntity:
    """A person or organisation the recogniser found, as much of it as naming an actor needs."""

    label: str
    start_char: int
    text: str
    sentence_id: int


def named_entities(doc: Doc) -> list[NamedEntity]:
    """The Doc's PER, ORG and GPE_ORG entities with the id of the sentence each starts in.

    This is all :func:`resolve_actors` reads from the Doc, so it can be cached per document while
    the entities tables it is resolved against change from run to run.
    """
    sentence_of = {}
    for sentence_id, sent in enumerate(doc.sents):
        for i in range(sent.start, sent.end):
            sentence_of[i] = sentence_id
    return [
        NamedEntity(ent.label_, ent.start_char, ent.text, sentence_of[ent.start])
        for ent in doc.ents
        if ent.label_ == "PER" or ent.label_ in ORGANISATION_LABELS
    ]


def resolve_actors(
    entities: Iterable[NamedEntity], doc_id: str, mentions: MentionIndex, people: PersonIndex | None = None
) -> dict[int, set[tuple[str, str]]]:
    """Sentence id -> {(actor, "person" | "organisation")} for the entities named in it.

    When the entities stage's people table is given, a PER mention counts only if it names one of
    its people, which keeps the recogniser's stray PER spans out of actor_frames.csv.
    """
    named: dict[int, set[tuple[str, str]]] = {}
    for entity in entities:
        actor = mentions.canonical(doc_id, entity.start_char, entity.text)
        if entity.label == "PER":
            kind = "person"
            if people is not None and people.known and people.resolve(actor) is None:
                continue
        else:
            kind = "organisation"
        named.setdefault(entity.sentence_id, set()).add((actor, kind))
    return named


def read_optional(path: Path, reader) -> list[dict]:
    """Rows of a table another stage writes, or none when that stage has not run."""
    return list(reader(path)) if path.is_file() else []
