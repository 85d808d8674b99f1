"""The ``annotate`` stage: corpus/processed/clean.jsonl -> the annotated corpus, corpus/processed/annotated/."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

import click
from spacy.language import Language
from spacy.tokens import DocBin
from tqdm import tqdm

from diskurs.annotate.cache import AnnotationCache, docbin_attrs, pipeline_key, text_key
from diskurs.annotate.pipeline import prepare_pipeline
from diskurs.annotate.workers import fill_cache
from diskurs.annotated import AnnotatedWriter, skip_srsly_plugin_lookups
from diskurs.compute import Engine
from diskurs.entities.actors import load_actors
from diskurs.ingest import CARRIED
from diskurs.io import read_jsonl
from diskurs.layout import Layout
from diskurs.params import section
from diskurs.settings import absolute_paths


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
    failed_tasks: list[str] = field(default_factory=list)  # on the cluster; redone here

    def describe(self) -> str:
        lines = [
            f"annotate: {self.documents} documents, {self.tokens} tokens, {self.sentences} sentences, "
            f"{self.entities} entities with {self.model}",
            f"  {self.from_cache} of {self.documents} documents from the annotation cache, "
            f"{self.documents - self.from_cache} annotated; {self.pruned} stale cache entries removed",
        ]
        lines += [f"  skipped {source}: {reason}" for source, reason in self.skipped]
        lines += [f"  a task failed on the cluster and was annotated here: {reason}" for reason in self.failed_tasks]
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
            yield text, {key: record.get(key) for key in CARRIED}
            continue
        if skipped is not None:
            skipped.append((source, reason))


@dataclass
class Annotatable:
    """A record to annotate: its text's cache key, its metadata (with ``annotation``, the pipeline
    and text key by which later stages recognise a Doc they have seen before) and whether its
    text was in the cache before this run."""

    key: str
    text: str
    metadata: dict
    cached: bool

    def entry(self, cache: AnnotationCache, nlp: Language) -> tuple[bytes, DocBin]:
        """The text's cached one-Doc DocBin; an entry damaged since the run began is annotated again."""
        entry = cache.load(self.key)
        if entry is None:
            cache.store(self.key, nlp(self.text))
            entry, self.cached = cache.load(self.key), False
        return entry


def annotate_cached(
    nlp: Language,
    records: Callable[[], Iterable[dict]],
    cache: AnnotationCache,
    batch_size: int,
    max_length: int,
    skipped: list,
) -> Iterator[Annotatable]:
    """Each annotatable record, in input order, once every text missing from ``cache`` has been
    annotated into it.

    ``records`` opens the records afresh on each call; they are streamed three times so the corpus
    is never held in memory: to find the texts missing from the cache, to run only those through
    ``nlp.pipe``, and to yield every record. A warm run thus builds no Doc at all.
    """
    # Set before any text is annotated: a damaged cache entry is re-annotated with ``nlp(text)``.
    nlp.max_length = max(nlp.max_length, max_length)
    missing = {
        key for key in (text_key(text) for text, _ in _inputs(records(), max_length, None)) if not cache.has(key)
    }

    def fresh_inputs() -> Iterator[tuple[str, str]]:
        unsent = set(missing)
        for text, _ in _inputs(records(), max_length, None):
            key = text_key(text)
            # A text that occurs twice is annotated once; its second occurrence reads the cache.
            if key in unsent:
                unsent.discard(key)
                yield text, key

    fresh = nlp.pipe(fresh_inputs(), as_tuples=True, batch_size=batch_size)
    for doc, key in tqdm(fresh, total=len(missing), desc="annotate", unit="doc"):
        cache.store(key, doc)
    for text, metadata in _inputs(records(), max_length, skipped):
        key = text_key(text)
        cached = key not in missing
        missing.discard(key)
        yield Annotatable(key, text, {**metadata, "annotation": f"{cache.folder.name}-{key}"}, cached)


def run_annotate(layout: Layout, params: dict) -> AnnotateSummary:
    from diskurs.nlp.loader import load_model

    settings = section(params, "nlp")
    if not layout.clean.is_file():
        raise click.ClickException(f"{layout.clean}: not found. Run `diskurs clean` first.")
    actors_path = section(params, "entities")["actors"]
    actors = load_actors(actors_path)
    nlp = prepare_pipeline(load_model(settings["model"]), actors)
    cache = AnnotationCache(layout.annotate_cache, pipeline_key(nlp), docbin_attrs(nlp))
    summary = AnnotateSummary(model=str(settings["model"]))
    batch_size, n_process, max_length = (int(settings[name]) for name in ("batch_size", "n_process", "max_length"))
    in_workers = 0
    engine = Engine.from_params(params)
    if n_process > 1 or engine.distributed:
        texts = (text for text, _ in _inputs(read_jsonl(layout.clean), max_length, None))
        workers = engine.workers if engine.distributed else n_process
        # Workers may run in another folder: every path they get is absolute.
        there = absolute_paths(params)
        in_workers = fill_cache(
            str(there["nlp"]["model"]),
            there["entities"]["actors"],
            cache,
            layout.clean,
            texts,
            workers,
            batch_size,
            max_length,
            engine,
            summary.failed_tasks,
        )
    skip_srsly_plugin_lookups()
    writer = AnnotatedWriter(layout.annotated)
    for item in annotate_cached(nlp, lambda: read_jsonl(layout.clean), cache, batch_size, max_length, summary.skipped):
        # The cache entry is read only for a document the annotated corpus does not hold yet.
        counts = writer.add(item.metadata, lambda item=item: item.entry(cache, nlp))
        cache.keep(item.key)
        summary.documents += 1
        summary.from_cache += item.cached
        summary.tokens += counts["tokens"]
        summary.sentences += counts["sentences"]
        summary.entities += counts["entities"]
    # Documents the workers annotated were read from the cache only to be written.
    summary.from_cache -= in_workers
    writer.close()
    summary.pruned = cache.prune()
    return summary
