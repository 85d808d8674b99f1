"""Annotating with several processes that write the annotation cache themselves.

spaCy's own ``n_process`` sends every Doc back to the main process through a pipe, where it is
deserialised and then serialised again into the cache and the output: on two cores that work
competes with the workers it waits for. Here each worker process loads the pipeline once, reads
the clean records itself, annotates its share of the texts missing from the cache and stores
them there; nothing but a count comes back. The main process then writes the annotated corpus
from the cache, which is the path of a warm re-run. The main process deals the missing texts out
by size, so the workers finish together, and a text that occurs twice is annotated once.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from diskurs.annotate.cache import AnnotationCache, docbin_attrs, pipeline_key, text_key
from diskurs.annotate.pipeline import prepare_pipeline
from diskurs.entities.actors import load_actors
from diskurs.io import read_jsonl


def plan_shares(texts: Iterable[str], cache: AnnotationCache, n_workers: int) -> list[set[str]]:
    """The cache keys each worker annotates: every text missing from the cache once, dealt in
    input order to the worker with the fewest characters so far, so that all finish together."""
    shares: list[set[str]] = [set() for _ in range(n_workers)]
    load = [0] * n_workers
    planned: set[str] = set()
    for text in texts:
        key = text_key(text)
        if key in planned or cache.has(key):
            continue
        planned.add(key)
        worker = load.index(min(load))
        shares[worker].add(key)
        load[worker] += len(text)
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


def annotate_share(
    model: str,
    actors: str | None,
    expected_key: str,
    cache_root: Path,
    clean: Path,
    worker: int,
    share: set[str],
    batch_size: int,
    max_length: int,
) -> int:
    """Worker body: annotate the texts of ``share`` (cache keys) into the cache; return how many."""
    from diskurs.nlp.loader import load_model

    actor_list = load_actors(actors)
    nlp = prepare_pipeline(load_model(model), actor_list)
    key = pipeline_key(nlp)
    if key != expected_key:
        raise RuntimeError(
            f"worker {worker} loaded {model} as pipeline {key}, the main process as {expected_key}: "
            "the model or actor list changed during the run. Run the stage again."
        )
    nlp.max_length = max(nlp.max_length, max_length)
    cache = AnnotationCache(cache_root, key, docbin_attrs(nlp))
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
) -> int:
    """Annotate every one of ``texts`` (those of ``clean`` that can be annotated) missing from
    ``cache`` in ``n_workers`` processes; return how many."""
    shares = [share for share in plan_shares(texts, cache, n_workers) if share]
    if not shares:
        return 0
    # spawn, not fork: a forked copy of a loaded model is not safe on every platform (macOS).
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=len(shares), mp_context=context) as pool:
        futures = [
            pool.submit(
                annotate_share,
                model,
                actors,
                cache.folder.name,
                cache.root,
                clean,
                worker,
                share,
                batch_size,
                max_length,
            )
            for worker, share in enumerate(shares)
        ]
        return sum(future.result() for future in futures)
