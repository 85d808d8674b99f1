"""The ``annotate`` stage: corpus/processed/clean.jsonl -> corpus/processed/annotated.spacy."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Iterable, Iterator

import click
from spacy.language import Language
from spacy.tokens import Doc, DocBin
from tqdm import tqdm

from pipeline.annotate.cache import AnnotationCache, pipeline_key, text_key
from pipeline.annotate.pipeline import prepare_pipeline
from pipeline.annotate.workers import fill_cache
from pipeline.entities.actors import load_actors
from pipeline.io import atomic_path, read_jsonl
from pipeline.layout import Layout
from pipeline.params import section

# What the entities stage needs from each clean record besides the text.
METADATA = ("doc_id", "source", "title", "published", "authors")


@dataclass
class AnnotateSummary:
    model: str
    documents: int = 0
    tokens: int = 0
    sentences: int = 0
    entities: int = 0
    from_cache: int = 0
    pruned: int = 0
    skipped: list[tuple[str, str]] = field(default_factory=list)

    def describe(self) -> str:
        lines = [
            f"annotate: {self.documents} documents, {self.tokens} tokens, {self.sentences} sentences, "
            f"{self.entities} entities with {self.model}",
            f"  {self.from_cache} of {self.documents} documents from the annotation cache, "
            f"{self.documents - self.from_cache} annotated; {self.pruned} stale cache entries removed",
        ]
        lines += [f"  skipped {source}: {reason}" for source, reason in self.skipped]
        return "\n".join(lines)


def _inputs(records: Iterable[dict], max_length: int, skipped: list | None) -> Iterator[tuple[str, dict]]:
    """Text and metadata of each record that can be annotated; the others go to ``skipped`` if given."""
    for record in records:
        source = str(record.get("source", record.get("doc_id", "?")))
        text = record.get("text")
        if not isinstance(text, str):
            reason = "no text field in the clean record"
        elif len(text) > max_length:
            reason = f"{len(text)} characters, more than nlp.max_length={max_length}; raise it in params.yaml"
        else:
            yield text, {key: record.get(key) for key in METADATA}
            continue
        if skipped is not None:
            skipped.append((source, reason))


def annotate(nlp: Language, records: Iterable[dict], batch_size: int, max_length: int, skipped: list) -> Iterator[Doc]:
    """Docs in input order, each with doc_id, source, title, published and authors in user_data."""
    nlp.max_length = max(nlp.max_length, max_length)
    stream = _inputs(records, max_length, skipped)
    for doc, metadata in nlp.pipe(stream, as_tuples=True, batch_size=batch_size):
        doc.user_data.update(metadata)
        yield doc


def annotate_cached(
    nlp: Language,
    records: Callable[[], Iterable[dict]],
    cache: AnnotationCache,
    batch_size: int,
    max_length: int,
    skipped: list,
) -> Iterator[tuple[Doc, bool]]:
    """Like :func:`annotate`, but a text already in ``cache`` is read from it instead of annotated.

    Yields each Doc with whether it came from the cache. ``records`` opens the records afresh on
    each call; they are streamed three times so the corpus is never held in memory: to find the
    texts missing from the cache, to run only those through ``nlp.pipe``, and to yield every Doc in input order.
    """
    # Set before any text is annotated: a damaged cache entry is re-annotated with ``nlp(text)``.
    nlp.max_length = max(nlp.max_length, max_length)
    missing = {
        key for key in (text_key(text) for text, _ in _inputs(records(), max_length, None)) if not cache.has(key)
    }

    def fresh_inputs() -> Iterator[dict]:
        unsent = set(missing)
        for text, metadata in _inputs(records(), max_length, None):
            key = text_key(text)
            # A text that occurs twice is annotated once; its second occurrence reads the cache.
            if key in unsent:
                unsent.discard(key)
                yield {"text": text, **metadata}

    fresh = annotate(nlp, fresh_inputs(), batch_size, max_length, [])
    pending = set(missing)
    for text, metadata in _inputs(records(), max_length, skipped):
        key = text_key(text)
        if key in pending:
            pending.discard(key)
            doc, cached = next(fresh), False
            cache.store(key, doc)
        else:
            doc, cached = cache.load(key, text, nlp.vocab), True
            if doc is None:
                doc, cached = nlp(text), False
                cache.store(key, doc)
        doc.user_data.update(metadata)
        yield doc, cached


def run_annotate(layout: Layout, params: dict) -> AnnotateSummary:
    from pipeline.nlp.loader import load_model

    settings = section(params, "nlp")
    if not layout.clean.is_file():
        raise click.ClickException(f"{layout.clean}: not found. Run `diskurs clean` first.")
    actors_path = section(params, "entities")["actors"]
    actors = load_actors(actors_path)
    nlp = prepare_pipeline(load_model(settings["model"]), actors)
    cache = AnnotationCache(layout.annotate_cache, pipeline_key(nlp, actors))
    summary = AnnotateSummary(model=str(settings["model"]))
    batch_size, n_process, max_length = (int(settings[name]) for name in ("batch_size", "n_process", "max_length"))
    in_workers = 0
    if n_process > 1:
        texts = (text for text, _ in _inputs(read_jsonl(layout.clean), max_length, None))
        in_workers = fill_cache(
            str(settings["model"]), actors_path, cache, layout.clean, texts, n_process, batch_size, max_length
        )
    docbin = DocBin(store_user_data=True)
    docs = annotate_cached(nlp, lambda: read_jsonl(layout.clean), cache, batch_size, max_length, summary.skipped)
    for doc, cached in tqdm(docs, desc="annotate", unit="doc"):
        docbin.add(doc)
        summary.documents += 1
        summary.from_cache += cached
        summary.tokens += len(doc)
        summary.sentences += sum(1 for _ in doc.sents) if len(doc) else 0
        summary.entities += len(doc.ents)
    # Documents the workers annotated were read from the cache only to be assembled.
    summary.from_cache -= in_workers
    with atomic_path(layout.annotated) as tmp:
        docbin.to_disk(tmp)
    summary.pruned = cache.prune()
    return summary
