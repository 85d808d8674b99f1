"""The frames stage's per-document cache: what each Doc yields before the entities tables apply.

An entry holds one document's sentence frames and its quotes with the speakers as the text names
them, under the document's annotation key. Speakers and actors are resolved against
reports/entities on every run, since that stage may have run again in between. The folder key covers the frames code, the loaded lexicon, the matcher settings and
spaCy's version (see pipeline/diskurs/cache.py).
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from dataclasses import asdict, dataclass
from pathlib import Path

from spacy.tokens import Doc

import diskurs.frames
import diskurs.labels
import diskurs.views
from diskurs.annotated import AnnotatedEntry, DocumentMap
from diskurs.cache import KeyedCache, cache_key, digest
from diskurs.entities.actors import load_actors
from diskurs.frames.lexicon import Lexicon, load_lexicon
from diskurs.frames.matcher import LexiconMatcher, SentenceFrames
from diskurs.frames.quotes import Person, Quote, find_quotes
from diskurs.layout import Layout
from diskurs.params import section
from diskurs.views import Sentences

# The code a cached result depends on: dvc.yaml lists its files among the stage's deps (tested).
CODE = (diskurs.frames, diskurs.labels, diskurs.views)


@dataclass
class DocumentFrames:
    """What the frames stage reads from one Doc; none of it depends on another stage's tables."""

    sentences: list[SentenceFrames]
    quotes: list[Quote]  # speakers as written, before resolve_speaker

    @classmethod
    def from_doc(cls, doc: Doc, matcher: LexiconMatcher) -> DocumentFrames:
        view = Sentences.of(doc)
        return cls(matcher.sentences(doc, view), find_quotes(doc, matcher.titles, view))

    def to_json(self) -> dict:
        # Flat records: their own dicts serve, where asdict's deep copies add a second to a cold run.
        return {
            "sentences": [vars(sentence) for sentence in self.sentences],
            "quotes": [{**vars(quote), "speaker": vars(quote.speaker)} for quote in self.quotes],
        }

    @classmethod
    def from_json(cls, data: dict) -> DocumentFrames:
        """Rebuild an entry; a value of the wrong shape raises KeyError or TypeError."""
        return cls(
            [SentenceFrames(**sentence) for sentence in data["sentences"]],
            [
                Quote(Person(**quote["speaker"]), quote["text"], quote["sentence_ids"], quote["kind"])
                for quote in data["quotes"]
            ],
        )


def lexicon_digest(lexicon: Lexicon) -> str:
    """The loaded lexicon's content, shipped or the user's: edits to it change the matches.

    Sets are sorted, as their printed order changes with Python's hash seed from run to run.
    Descriptions are left out: they change what the report says, not what matches.
    """
    described = asdict(lexicon)
    for entry in described["frames"] + described["functions"]:
        del entry["description"]
    return digest(json.dumps(described, sort_keys=True, ensure_ascii=False, default=sorted))


def frames_cache(root: Path, lexicon: Lexicon, settings: Mapping, titles: frozenset[str] = frozenset()) -> KeyedCache:
    """Each document's :class:`DocumentFrames`, kept under its annotation key."""
    described = {
        "lexicon": lexicon_digest(lexicon),
        "titles": sorted(titles),
        "compound_min_stem": int(settings["compound_min_stem"]),
        "compound_min_rest": int(settings["compound_min_rest"]),
        "skip_entities": bool(settings["skip_entities"]),
    }
    # spaCy's version stands for its tokenizer (lexicon patterns), sentence spans and stop words.
    return KeyedCache(root, cache_key(CODE, described, ["spacy"]), ".json")


class FramesMap(DocumentMap):
    """The map half of the frames stage: each annotated document's :class:`DocumentFrames`,
    through the per-document cache. Anything that needs the tool's frames per sentence (the
    stage's tables, a coding sheet) reads them here."""

    def __init__(self, layout: Layout, params: Mapping):
        settings = section(params, "frames")
        self.lexicon = load_lexicon(settings["lexicon"], int(settings["compound_min_stem"]))
        # The actor list's role words: a compound ending in one is a post ("innovasjonsansvarlig").
        titles = frozenset(load_actors(section(params, "entities")["actors"]).role_words)
        super().__init__(layout.annotated, frames_cache(layout.cache("frames"), self.lexicon, settings, titles))
        self.matcher = LexiconMatcher(
            self.lexicon, self.vocab, int(settings["compound_min_rest"]), bool(settings["skip_entities"]), titles
        )

    def documents(self, failed: list[tuple[str, str]]) -> Iterator[tuple[AnnotatedEntry, DocumentFrames]]:
        """Each document with its frames; one that fails is added to ``failed`` (its source and
        the reason) and never stops the others."""
        for entry in self.entries():
            try:
                found, _ = self(entry)
            except Exception as error:  # one bad document is reported and never stops the run
                failed.append((str(entry.metadata.get("source") or entry.key), f"{type(error).__name__}: {error}"))
                continue
            yield entry, found

    def __call__(self, entry: AnnotatedEntry) -> tuple[DocumentFrames, bool]:
        """The document's frames and whether they came from the cache; a miss builds the Doc,
        and the result is kept for the next run."""
        return self.cache.fetch(
            self.cache_key(entry),
            lambda: DocumentFrames.from_doc(entry.doc(), self.matcher),
            load=DocumentFrames.from_json,
            dump=DocumentFrames.to_json,
        )
