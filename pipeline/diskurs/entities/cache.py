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
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from spacy.vocab import Vocab

import diskurs.entities
import diskurs.labels
import diskurs.nlp.ordbank
import diskurs.views
from diskurs.annotated import AnnotatedEntry, DocumentMap
from diskurs.cache import KeyedCache, cache_key, digest
from diskurs.entities.actors import SHIPPED_ACTORS, load_actors
from diskurs.entities.canonical import Canonicaliser, CorpusNames
from diskurs.entities.mentions import DocumentEntities, document_entities, ensure_sentences, names_extract
from diskurs.entities.people import RoleFinder
from diskurs.entities.references import BackReferences
from diskurs.layout import Layout
from diskurs.params import section

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


def entities_cache_key(labels: frozenset[str], actors_file: str | Path) -> str:
    settings = {"labels": sorted(labels), "actors": digest(Path(actors_file).read_bytes())}
    return cache_key(CODE, settings, PACKAGES)


class _EntitiesPass(DocumentMap):
    """What both passes share: their settings, the entry key and the Doc with its sentences."""

    FOLDER = ""

    def __init__(self, layout: Layout, params: Mapping, vocab: Vocab | None = None):
        settings = section(params, "entities")
        self.labels = frozenset(settings["labels"])
        self.actors_file = settings["actors"] or SHIPPED_ACTORS
        # One folder per pass, so that each reads only its own entries.
        cache = KeyedCache(
            layout.cache("entities") / self.FOLDER, entities_cache_key(self.labels, self.actors_file), ".json"
        )
        super().__init__(layout.annotated, cache, vocab)

    def cache_key(self, entry: AnnotatedEntry) -> str | None:
        # Bylines are metadata, not annotated text, and they are names too.
        if not entry.key:
            return None
        return digest(json.dumps([entry.key, list(entry.metadata.get("authors") or [])], ensure_ascii=False))

    @staticmethod
    def _doc(entry: AnnotatedEntry):
        doc = entry.doc()
        ensure_sentences(doc)
        return doc


class NamesMap(_EntitiesPass):
    """First pass: each document's :func:`names_extract`, from its entry or its Doc."""

    FOLDER = "names"

    def __call__(self, entry: AnnotatedEntry) -> dict:
        return self.cache.fetch(self.cache_key(entry), lambda: names_extract(self._doc(entry), self.labels))[0]

    def corpus_names(self) -> CorpusNames:
        return CorpusNames.from_extracts(self(entry) for entry in self.entries())

    def corpus_key(self) -> str:
        """What :meth:`corpus_names` is learnt from: this pass's entries, in corpus order."""
        keys = [self.cache.folder.name, *(self.cache_key(entry) for entry in self.entries())]
        return digest(json.dumps(keys))


class EntitiesMap(_EntitiesPass):
    """Second pass: each document's :class:`DocumentEntities` given the corpus's names, reused
    while its trace holds. On a cluster's worker, the corpus's names are learnt again from the
    first pass's entries, which the stage has all computed before it hands this pass out."""

    FOLDER = "results"

    def __init__(self, layout: Layout, params: Mapping, names: CorpusNames | None = None, vocab: Vocab | None = None):
        super().__init__(layout, params, vocab)
        self.actors = load_actors(section(params, "entities")["actors"])
        self.names = names if names is not None else NamesMap(layout, params, self.vocab).corpus_names()
        self.canon = Canonicaliser(self.actors, self.names)
        self.roles = RoleFinder(self.actors.role_words)
        self.references = BackReferences(self.actors)
        self._targets = {"names": self.names, "canon": self.canon}
        # The current answer to each recorded call: the corpus's names do not change during the
        # pass, and most documents ask the same few thousand questions.
        self._answers: dict = {}

    def __call__(self, entry: AnnotatedEntry) -> DocumentEntities:
        doc_id, source = str(entry.metadata.get("doc_id", "")), str(entry.metadata.get("source", ""))
        calls: dict = {}

        def load(stored: dict) -> DocumentEntities:
            if not still_holds(stored["trace"], self._targets, self._answers):
                raise ValueError("the corpus's names have changed")
            return DocumentEntities.from_json(stored["result"], doc_id, source)

        def compute() -> DocumentEntities:
            traced = (Traced(self._targets[name], name, calls) for name in ("names", "canon"))
            return document_entities(self._doc(entry), self.labels, *traced, self.roles, self.references)

        def dump(found: DocumentEntities) -> dict:
            trace = [[json.loads(call), answer] for call, answer in calls.items()]
            return {"trace": trace, "result": found.to_json()}

        return self.cache.fetch(self.cache_key(entry), compute, load=load, dump=dump)[0]
