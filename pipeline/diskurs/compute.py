"""Where the per-document work runs: in this process (``engine: local``) or on a Dask cluster.

On Dask the map half of a stage is handed to the cluster as tasks that read their documents from
the shared file system, by path and key, and write their results into the stage's per-document
cache there; nothing but a count comes back. The stage then runs as it does on one machine and
finds every result in the cache, so the outputs are the same bytes whichever engine computed
them, and a run on one machine reuses what the cluster computed, and the other way round.
Dask retries a task whose worker died; a lost scheduler stops the run before any output is
written.
"""

from __future__ import annotations

import importlib
import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import click

from diskurs.params import section
from diskurs.settings import absolute_paths

# Tasks per worker: enough that a slow or lost worker holds back little, few enough that the
# scheduler's overhead per task stays small beside a batch of documents.
TASKS_PER_WORKER = 4
# How long a scheduler that does not answer is waited for.
CONNECT_TIMEOUT = "10s"


@dataclass(frozen=True)
class Engine:
    name: str  # local or dask
    address: str | None  # a running scheduler; None starts a LocalCluster
    workers: int  # processes of the LocalCluster

    @classmethod
    def from_params(cls, params: dict) -> Engine:
        settings = section(params, "compute")
        return cls(str(settings["engine"]), settings["address"], int(settings["workers"]))

    @property
    def distributed(self) -> bool:
        return self.name == "dask"


class _Shared:
    """The LocalCluster of a :func:`shared_cluster` block, once a map has started it."""

    open = False
    cluster = None


@contextmanager
def shared_cluster() -> Iterator[None]:
    """Within the block, the LocalCluster that the first map half starts serves every later one
    too, and is closed at the end: a stage with two map halves, or a whole ``diskurs run``,
    starts one cluster and its workers load the model and the maps once. A block in which every
    result is in the cache starts none."""
    if _Shared.open:
        yield
        return
    _Shared.open = True
    try:
        yield
    finally:
        _Shared.open = False
        cluster, _Shared.cluster = _Shared.cluster, None
        if cluster is not None:
            cluster.close()


def _local_cluster(engine: Engine):
    """A LocalCluster of ``engine.workers`` processes, one thread each: spaCy's pipeline is not
    run in threads."""
    import dask
    from dask.distributed import LocalCluster

    # Dask starts workers with MALLOC_TRIM_THRESHOLD_=65536, so that glibc hands freed memory back
    # at once; spaCy allocates and frees so much that this triples the system time of annotating
    # (bench/README.md). Workers keep glibc's own threshold instead.
    with dask.config.set({"distributed.nanny.pre-spawn-environ.MALLOC_TRIM_THRESHOLD_": None}):
        return LocalCluster(n_workers=engine.workers, threads_per_worker=1, processes=True, dashboard_address=None)


@contextmanager
def dask_client(engine: Engine) -> Iterator:
    """A client of the cluster ``engine`` names, or of a LocalCluster started for the block (or
    for the :func:`shared_cluster` block around it)."""
    try:
        from dask.distributed import Client
    except ImportError:
        raise click.UsageError(
            "compute.engine is dask, and Dask is not installed: `pip install 'dask[distributed]'` "
            "(dask-jobqueue too for a Slurm or PBS cluster), or set compute.engine to local."
        ) from None
    if engine.address:
        try:
            client = Client(engine.address, timeout=CONNECT_TIMEOUT)
        except OSError as error:
            raise click.ClickException(
                f"no Dask scheduler answers at {engine.address} (compute.address): {error}. Start it, "
                "or correct the address, or leave compute.address empty for a cluster on this machine."
            ) from None
        with client:
            yield client
    elif _Shared.open:
        if _Shared.cluster is None:
            _Shared.cluster = _local_cluster(engine)
        with Client(_Shared.cluster) as client:
            yield client
    else:
        with _local_cluster(engine) as cluster, Client(cluster) as client:
            yield client


def on_cluster(engine: Engine, function, plan, failed: list[str]) -> int:
    """Run ``function`` once per argument tuple that ``plan(shares)`` gives for the number of
    shares that suits the cluster (a few per worker), and return the sum of their counts; see
    :func:`gather_counts` for ``failed``."""
    with dask_client(engine) as client:
        workers = len(client.scheduler_info().get("workers", {})) or engine.workers
        futures = [client.submit(function, *task, pure=False) for task in plan(workers * TASKS_PER_WORKER)]
        return gather_counts(client, futures, engine.address, failed)


def gather_counts(client, futures: list, address: str | None, failed: list[str]) -> int:
    """The sum of the tasks' counts. A task that failed on every retry is named in ``failed``:
    its documents are not in the cache, so the stage computes them itself and treats a bad one as
    it does on one machine. A lost scheduler stops the run, before the stage has written anything."""
    total = 0
    for future in futures:
        try:
            total += future.result()
        except Exception as error:  # the scheduler's loss, or one batch's failure
            if client.status not in ("running", "connecting"):
                where = address or "the cluster started for this run"
                raise click.ClickException(
                    f"lost the Dask scheduler at {where} ({type(error).__name__}: {error}). The previous "
                    "results are whole; the documents finished so far are in the cache. Run again once the "
                    "scheduler is up."
                ) from None
            failed.append(f"{type(error).__name__}: {error}")
    return total


# The map halves a cluster can run, by name: each is a class built from (layout, params) whose
# instances, called with an annotated document, compute its result into the stage's cache, and
# that have ``entries()``, ``cache`` and ``vocab``. Named by import path, so that workers import
# only what they run.
MAPS = {
    "entities-names": "diskurs.entities.cache:NamesMap",
    "entities": "diskurs.entities.cache:EntitiesMap",
    "frames": "diskurs.frames.cache:FramesMap",
    "themes": "diskurs.themes.stage:UnitsMap",
    "compare": "diskurs.compare.stage:CountsMap",
}


@lru_cache(maxsize=len(MAPS))
def _worker_map(name: str, root: str, params_json: str, state: str):
    """The map, built once per worker process for a run's layout, parameters and ``state``."""
    from diskurs.layout import Layout

    module, attribute = MAPS[name].split(":")
    return getattr(importlib.import_module(module), attribute)(Layout(Path(root)), json.loads(params_json))


def map_share(name: str, root: str, params_json: str, state: str, folder: str, documents: list[dict]) -> int:
    """Worker body: run the map ``name`` over ``documents`` (annotated-corpus metadata, each
    naming its file under ``folder``) into its cache; return how many."""
    from diskurs.annotated import AnnotatedEntry

    mapper = _worker_map(name, root, params_json, state)
    for metadata in documents:
        mapper(AnnotatedEntry(metadata, Path(folder), mapper.vocab))
    return len(documents)


def prefill(name: str, mapper, layout, params: dict, state: str = "") -> list[str]:
    """On a Dask engine, compute ``mapper``'s results for every document its cache lacks on the
    cluster, so that the stage then finds them all there; on the local engine, nothing. Returns
    the failures of tasks (their documents are left to the stage, which computes them itself).

    ``state`` names what the map learns from the whole corpus when a worker builds it (the
    entities' second pass: the corpus's names), so that a worker of a long-running cluster builds
    it afresh for another corpus rather than reuse the one it built before."""
    engine = Engine.from_params(params)
    if not engine.distributed:
        return []
    missing = [
        entry.metadata
        for entry in mapper.entries()
        if (key := mapper.cache_key(entry)) is not None and not mapper.cache.has(key)
    ]
    if not missing:
        return []
    failed: list[str] = []
    # Workers may run in another folder: every path they get is absolute.
    settings = json.dumps(absolute_paths(params), sort_keys=True)
    arguments = (name, str(Path(layout.root).resolve()), settings, state, str(Path(layout.annotated).resolve()))

    def plan(shares: int) -> list[tuple]:
        shares = min(len(missing), shares)
        return [(*arguments, missing[share::shares]) for share in range(shares)]

    on_cluster(engine, map_share, plan, failed)
    return failed
