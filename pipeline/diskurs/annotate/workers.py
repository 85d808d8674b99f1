"""Annotating with several processes that write the annotation cache themselves.

spaCy's own ``n_process`` sends every Doc back to the main process through a pipe, where it is
deserialised and then serialised again into the cache and the output: on two cores that work
competes with the workers it waits for. Here each worker process loads the pipeline once, reads
the clean records itself, annotates its share of the texts missing from the cache and stores
them there; nothing but a count comes back. The main process then writes the annotated corpus
from the cache, which is the path of a warm re-run. The main process deals the missing texts out
by size, so the workers finish together, and a text that occurs twice is annotated once.

The same tasks run on a Dask cluster (``compute.engine: dask``, see :mod:`diskurs.compute`):
more of them than workers, each a share of keys that its worker reads from the clean corpus on
the shared file system, with the pipeline loaded once per worker process.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from functools import lru_cache
from pathlib import Path

from spacy.language import Language

from diskurs.annotate.cache import AnnotationCache, docbin_attrs, pipeline_key, text_key
from diskurs.annotate.pipeline import prepare_pipeline
from diskurs.compute import Engine, on_cluster
from diskurs.entities.actors import load_actors
from diskurs.io import read_jsonl


def plan_shares(texts: Iterable[str | tuple[str, int]], cache: AnnotationCache, n_workers: int) -> list[set[str]]:
    """The cache keys each worker annotates: every text (or (key, length) of one) missing from
    the cache once, dealt in input order to the worker with the fewest characters so far, so
    that all finish together."""
    shares: list[set[str]] = [set() for _ in range(n_workers)]
    load = [0] * n_workers
    planned: set[str] = set()
    for text in texts:
        key, length = text if isinstance(text, tuple) else (text_key(text), len(text))
        if key in planned or cache.has(key):
            continue
        planned.add(key)
        worker = load.index(min(load))
        shares[worker].add(key)
        load[worker] += length
    return shares


def _share_texts(clean: Path, share: set[str]) -> Iterator[tuple[str, str]]:
    pending = set(share)
    for record in read_jsonl(clean):
        text = record.get("text")
        if isinstance(text, str) and pending:
            key = text_key(text)
            if key in pending:
                pending.discard(key)
                yield text, key


@lru_cache(maxsize=1)
def _worker_pipeline(model: str, actors: str | None, expected_key: str, max_length: int) -> Language:
    """The pipeline, loaded once per worker process however many shares it annotates."""
    from diskurs.nlp.loader import load_model

    nlp = prepare_pipeline(load_model(model), load_actors(actors))
    key = pipeline_key(nlp)
    if key != expected_key:
        raise RuntimeError(
            f"a worker loaded {model} as pipeline {key}, the main process as {expected_key}: the model "
            "or actor list differs between them (changed during the run, or another copy on this "
            "worker's machine). Run the stage again, with the same files on every machine."
        )
    nlp.max_length = max(nlp.max_length, max_length)
    return nlp


def annotate_share(
    model: str,
    actors: str | None,
    expected_key: str,
    cache_root: Path,
    clean: Path,
    share: set[str],
    batch_size: int,
    max_length: int,
) -> int:
    """Worker body: annotate the texts of ``share`` (cache keys) into the cache; return how many."""
    nlp = _worker_pipeline(model, actors, expected_key, max_length)
    cache = AnnotationCache(cache_root, expected_key, docbin_attrs(nlp))
    count = 0
    for doc, text_id in nlp.pipe(_share_texts(clean, share), as_tuples=True, batch_size=batch_size):
        cache.store(text_id, doc)
        count += 1
    return count


def fill_cache(
    model: str,
    actors: str | None,
    cache: AnnotationCache,
    clean: Path,
    texts: Iterable[str],
    n_workers: int,
    batch_size: int,
    max_length: int,
    engine: Engine | None = None,
    failed: list[str] | None = None,
) -> int:
    """Annotate every one of ``texts`` (those of ``clean`` that can be annotated) missing from
    ``cache`` in ``n_workers`` processes, or on the Dask cluster of ``engine``; return how many.
    Shares that failed on the cluster are named in ``failed`` and left to the caller."""
    if engine is not None and engine.distributed:
        # Keys and lengths of the missing texts only, so that a warm run starts no cluster.
        keyed = ((text_key(text), len(text)) for text in texts)
        missing = [(key, length) for key, length in keyed if not cache.has(key)]
        if not missing:
            return 0

        def plan(shares: int) -> list[tuple]:
            return _tasks(model, actors, cache, clean, missing, shares, batch_size, max_length)

        return on_cluster(engine, annotate_share, plan, failed if failed is not None else [])
    tasks = _tasks(model, actors, cache, clean, texts, n_workers, batch_size, max_length)
    if not tasks:
        return 0
    # spawn, not fork: a forked copy of a loaded model is not safe on every platform (macOS).
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=len(tasks), mp_context=context) as pool:
        return sum(future.result() for future in [pool.submit(annotate_share, *task) for task in tasks])


def _tasks(model, actors, cache: AnnotationCache, clean: Path, texts, shares: int, batch_size: int, max_length: int):
    """The arguments of each worker task: one per non-empty share of the missing texts."""
    return [
        (
            model,
            actors,
            cache.folder.name,
            Path(cache.root).resolve(),
            Path(clean).resolve(),
            share,
            batch_size,
            max_length,
        )
        for share in plan_shares(texts, cache, shares)
        if share
    ]
