"""Who is named in a sentence, under the canonical names of the entities stage when it has run."""

from __future__ import annotations

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


def named_actors(doc: Doc, doc_id: str, mentions: MentionIndex, people: PersonIndex | None = None) -> dict[int, set[tuple[str, str]]]:
    """Sentence id -> {(actor, "person" | "organisation")} for the entities named in it.

    When the entities stage's people table is given, a PER mention counts only if it names one of
    its people, which keeps the recogniser's stray PER spans out of actor_frames.csv.
    """
    sentence_of = {}
    for sentence_id, sent in enumerate(doc.sents):
        for i in range(sent.start, sent.end):
            sentence_of[i] = sentence_id
    named: dict[int, set[tuple[str, str]]] = {}
    for ent in doc.ents:
        if ent.label_ == "PER":
            kind = "person"
            if people is not None and people.known and people.resolve(mentions.canonical(doc_id, ent.start_char, ent.text)) is None:
                continue
        elif ent.label_ in ORGANISATION_LABELS:
            kind = "organisation"
        else:
            continue
        actor = mentions.canonical(doc_id, ent.start_char, ent.text)
        named.setdefault(sentence_of[ent.start], set()).add((actor, kind))
    return named


def read_optional(path: Path, reader) -> list[dict]:
    """Rows of a table another stage writes, or none when that stage has not run."""
    return list(reader(path)) if path.is_file() else []
