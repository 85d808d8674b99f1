"""The actors of the frame tables: the entities stage's, under its canonical names.

reports/entities/mentions.csv says who is named in which sentence; frames counts exactly those
mentions, so actor_frames.csv knows the actors of entities.csv and no others, and a name the
entities stage rejected ("Innovasjon" opening a heading) is never counted. Speakers found by the
quote patterns are looked up among the same actors.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from pathlib import Path

from diskurs.entities.actors import name_key
from diskurs.frames.quotes import Person, Quote
from diskurs.labels import ORGANISATION_LABELS

KINDS = {"PER": "person", **{label: "organisation" for label in ORGANISATION_LABELS}}
# "Universitetet i Sørøst-Norge (USN)": the bracketed acronym after a name the text spells out.
_ACRONYM_AFTER = re.compile(r"\s*\([^()]*\)\s*$")


def _sentence_id(value) -> int | None:
    text = str(value if value is not None else "").strip()
    return int(text) if text.isdigit() else None


class ActorIndex:
    """The entities stage's mentions: who is named in each sentence, and which actor a name is.

    Built from rows shaped like reports/entities/mentions.csv (doc_id, sentence_id, text, label,
    canonical); byline mentions have no sentence and name nobody in one.
    """

    def __init__(self, rows: Iterable[Mapping[str, str]] = ()):
        self._named: dict[str, dict[int, set[tuple[str, str]]]] = {}
        self._names: dict[tuple[str, str], str] = {}
        self._in_document: dict[tuple[str, str, str], str] = {}
        self._people: dict[str, set[str]] = {}
        self.known = False
        for row in rows:
            kind = KINDS.get(row.get("label") or "")
            canonical = (row.get("canonical") or "").strip()
            doc_id = row.get("doc_id") or ""
            self.known = True
            if kind is None or not canonical:
                continue
            for name in (canonical, row.get("text") or ""):
                if name_key(name):
                    self._names.setdefault((kind, name_key(name)), canonical)
                    self._in_document.setdefault((doc_id, kind, name_key(name)), canonical)
            if kind == "person":
                self._people.setdefault(doc_id, set()).add(canonical)
            sentence_id = _sentence_id(row.get("sentence_id"))
            if sentence_id is not None:
                self._named.setdefault(doc_id, {}).setdefault(sentence_id, set()).add((canonical, kind))

    def named(self, doc_id: str) -> dict[int, set[tuple[str, str]]]:
        """Sentence id -> {(actor, "person" | "organisation")} named in it."""
        return self._named.get(doc_id, {})

    def actor(self, name: str, kind: str, doc_id: str) -> str | None:
        """The canonical actor ``name`` stands for: as the document writes it, as the corpus does,
        or, for a one-word person's name, the only person of the document with that surname."""
        name = _ACRONYM_AFTER.sub("", name) if kind == "organisation" else name
        key = name_key(name)
        if not key:
            return None
        found = self._in_document.get((doc_id, kind, key)) or self._names.get((kind, key))
        if found is None and kind == "person" and " " not in key:
            matches = {person for person in self._people.get(doc_id, ()) if name_key(person).split()[-1] == key}
            found = next(iter(matches)) if len(matches) == 1 else None
        return found

    def speaker(self, found: Person, doc_id: str) -> Person:
        """``found`` under the canonical names of its person and organisation, where they are actors."""
        name = self.actor(found.name, "person", doc_id) or found.name
        organisation = found.organisation and (
            self.actor(found.organisation, "organisation", doc_id) or found.organisation
        )
        return Person(name, found.role, organisation)

    def voices(self, quote: Quote, doc_id: str) -> set[tuple[str, str]]:
        """The actors a quote gives voice to: its speaker and the speaker's organisation, those of
        them that are actors of the entities stage (all of them, as written, when it has not run)."""
        voices = {(quote.speaker.name, "person")}
        if quote.speaker.organisation:
            voices.add((quote.speaker.organisation, "organisation"))
        if not self.known:
            return voices
        return {(name, kind) for name, kind in voices if self.actor(name, kind, doc_id) == name}


def read_optional(path: Path, reader) -> list[dict]:
    """Rows of a table another stage writes, or none when that stage has not run."""
    return list(reader(path)) if path.is_file() else []
