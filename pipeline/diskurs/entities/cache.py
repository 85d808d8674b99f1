"""Entity results kept per document, so that a re-run builds the Docs of new documents only.

Each pass of the stage keeps its own entry per document, under its annotation key and bylines.
The first pass needs the document's :func:`names_extract`, which depends on the document alone.
The second pass depends on the whole corpus too (which names, acronyms and lower-case words
occur anywhere), so its result is kept with every question it asked of the corpus's names and
the answer it got; the result is reused while every answer still holds. A document added to the
corpus changes few answers, so few documents are done again.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from functools import partial
from pathlib import Path
from typing import Any

import diskurs.entities
import diskurs.labels
import diskurs.nlp.ordbank
import diskurs.views
from diskurs.annotated import AnnotatedEntry
from diskurs.cache import KeyedCache, cache_key, digest
from diskurs.entities.canonical import Canonicaliser, CorpusNames
from diskurs.entities.mentions import DocumentEntities, document_entities, ensure_sentences, names_extract
from diskurs.entities.people import RoleFinder
from diskurs.entities.references import BackReferences

# The code a cached result depends on: dvc.yaml lists its files among the stage's deps (tested).
CODE = (diskurs.entities, diskurs.labels, diskurs.nlp.ordbank, diskurs.views)

# Ordbank's tables (which common words there are) come from spacy-lookups-data, the names of
# countries from Babel.
PACKAGES = ("spacy", "spacy-lookups-data", "babel")


def _plain(answer: Any) -> Any:
    """``answer`` as it reads back from JSON, so that answers compare equal: the names' and
    canonicaliser's answers are booleans, strings, None or tuples of these."""
    return list(answer) if isinstance(answer, tuple) else answer


class Traced:
    """Stands in for ``target`` and records each method call with its answer."""

    def __init__(self, target: Any, name: str, calls: dict):
        self._target = target
        self._name = name
        self._calls = calls

    def __getattr__(self, method: str):
        function = getattr(self._target, method)

        def call(*args):
            answer = function(*args)
            self._calls.setdefault(json.dumps([self._name, method, args], ensure_ascii=False), _plain(answer))
            return answer

        return call


def still_holds(trace: list, targets: dict[str, Any], answers: dict | None = None) -> bool:
    """Whether every recorded call gives the recorded answer again.

    ``answers`` keeps the current answer to each call across documents: the corpus's names do not
    change during the second pass, and most documents ask the same few thousand questions.
    """
    answers = {} if answers is None else answers
    for (name, method, args), answer in trace:
        call = (name, method, *args)
        if call not in answers:
            answers[call] = _plain(getattr(targets[name], method)(*args))
        if answers[call] != answer:
            return False
    return True


class EntitiesCache:
    """The per-document entries of both passes (see the module documentation)."""

    def __init__(self, root: Path, labels: frozenset[str], actors_file: Path):
        settings = {"labels": sorted(labels), "actors": digest(Path(actors_file).read_bytes())}
        key = cache_key(CODE, settings, PACKAGES)
        # One folder per pass, so that each reads only its own entries.
        self.names = KeyedCache(Path(root) / "names", key, ".json")
        self.results = KeyedCache(Path(root) / "results", key, ".json")
        self.labels = labels

    @staticmethod
    def entry_key(entry: AnnotatedEntry) -> str | None:
        # Bylines are metadata, not annotated text, and they are names too.
        if not entry.key:
            return None
        return digest(json.dumps([entry.key, list(entry.metadata.get("authors") or [])], ensure_ascii=False))

    @staticmethod
    def _doc(entry: AnnotatedEntry):
        doc = entry.doc()
        ensure_sentences(doc)
        return doc

    def extracts(self, entries: Iterable[AnnotatedEntry]) -> Iterator[dict]:
        """First pass: each document's names extract, from its entry or its Doc."""
        for entry in entries:
            yield self.names.fetch(self.entry_key(entry), partial(self._extract, entry))[0]

    def _extract(self, entry: AnnotatedEntry) -> dict:
        return names_extract(self._doc(entry), self.labels)

    def documents(
        self,
        entries: Iterable[AnnotatedEntry],
        names: CorpusNames,
        canon: Canonicaliser,
        roles: RoleFinder,
        references: BackReferences,
    ) -> Iterator[tuple[dict, DocumentEntities]]:
        """Second pass: each document's metadata and entities, reused while the trace holds."""
        targets = {"names": names, "canon": canon}
        answers: dict = {}
        for entry in entries:
            yield entry.metadata, self._entities(entry, targets, answers, roles, references)

    def _entities(
        self, entry: AnnotatedEntry, targets: dict, answers: dict, roles: RoleFinder, references: BackReferences
    ) -> DocumentEntities:
        doc_id, source = str(entry.metadata.get("doc_id", "")), str(entry.metadata.get("source", ""))
        calls: dict = {}

        def load(stored: dict) -> DocumentEntities:
            if not still_holds(stored["trace"], targets, answers):
                raise ValueError("the corpus's names have changed")
            return DocumentEntities.from_json(stored["result"], doc_id, source)

        def compute() -> DocumentEntities:
            traced = (Traced(targets[name], name, calls) for name in ("names", "canon"))
            return document_entities(self._doc(entry), self.labels, *traced, roles, references)

        def dump(found: DocumentEntities) -> dict:
            trace = [[json.loads(call), answer] for call, answer in calls.items()]
            return {"trace": trace, "result": found.to_json()}

        return self.results.fetch(self.entry_key(entry), compute, load=load, dump=dump)[0]

    def prune(self) -> None:
        self.names.prune()
        self.results.prune()
