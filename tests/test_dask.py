"""The per-document work on a Dask cluster: the same bytes as on one machine, and faults survived."""

from __future__ import annotations

import hashlib
import os
import shutil
import signal
import threading
import time
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from diskurs.cli import main

distributed = pytest.importorskip("distributed")

REPO = Path(__file__).resolve().parents[1]
SAMPLE = REPO / "corpus" / "raw"
# Outputs that say where and how long the work ran, not what it found.
NOT_RESULTS = ("reports/timings/", "corpus/cache/")


@pytest.fixture(scope="module")
def cluster():
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as local:
        yield local


def _params(folder: Path, model_path: Path, **compute) -> Path:
    params = yaml.safe_load((REPO / "params.yaml").read_text(encoding="utf-8"))
    params["nlp"]["model"] = str(model_path)
    params["compute"] = {**params["compute"], **compute}
    path = folder / f"params-{compute.get('engine', 'local')}.yaml"
    path.write_text(yaml.safe_dump(params, allow_unicode=True), encoding="utf-8")
    return path


def _run(corpus: Path, out: Path, params: Path, *extra: str):
    result = CliRunner().invoke(main, ["run", str(corpus), "--out", str(out), "--params", str(params), *extra])
    return result


def _results(out: Path) -> dict[str, str]:
    return {
        path.relative_to(out).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(out.rglob("*"))
        if path.is_file() and not path.relative_to(out).as_posix().startswith(NOT_RESULTS)
    }


def _compare(corpus: Path, model_path: Path, tmp_path: Path, *extra: str, **compute) -> tuple[dict, dict, str]:
    local = _run(corpus, tmp_path / "local", _params(tmp_path, model_path), *extra)
    assert local.exit_code == 0, local.output
    dask = _run(corpus, tmp_path / "dask", _params(tmp_path, model_path, engine="dask", **compute), *extra)
    assert dask.exit_code == 0, dask.output
    return _results(tmp_path / "local"), _results(tmp_path / "dask"), dask.output


def test_sample_corpus_on_a_local_cluster_gives_the_same_bytes(model_path, tmp_path):
    local, dask, output = _compare(
        SAMPLE, model_path, tmp_path, "--metadata", str(REPO / "corpus" / "metadata.csv"), workers=2
    )
    assert local == dask and len(local) > 50
    # The reading of the files, the annotation and both passes of the entities were done on the
    # cluster, not here.
    assert "8 files read from the ingest cache" in output
    assert "0 of 8 documents from the annotation cache, 8 annotated" in output
    assert "8 of 8 documents from the entities cache" in output


def test_shared_corpus_on_a_running_cluster_gives_the_same_bytes(shared_corpus, model_path, cluster, tmp_path):
    local, dask, _ = _compare(shared_corpus, model_path, tmp_path, address=cluster.scheduler_address)
    assert local == dask and any(name.startswith("reports/compare/") for name in local)


def test_workers_started_in_another_folder_get_every_path_absolute(model_path, tmp_path, monkeypatch):
    # The workers of a cluster on other nodes start wherever their job does; the command here runs
    # in the project folder with a relative input folder and results folder.
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    with distributed.LocalCluster(n_workers=1, threads_per_worker=1, processes=True, dashboard_address=None) as other:
        monkeypatch.chdir(REPO)
        params = _params(tmp_path, model_path, engine="dask", address=other.scheduler_address)
        out = os.path.relpath(tmp_path / "out", REPO)
        result = _run(Path("corpus") / "raw", Path(out), params, "--metadata", str(Path("corpus") / "metadata.csv"))
    assert result.exit_code == 0, result.output
    assert "a task failed on the cluster" not in result.output
    assert "8 files read from the ingest cache" in result.output
    assert "8 of 8 documents from the entities cache" in result.output


def test_a_stage_with_two_map_halves_starts_one_cluster_for_both(model_path, tmp_path, monkeypatch):
    import diskurs.compute as compute

    local = _run(
        SAMPLE, tmp_path / "out", _params(tmp_path, model_path), "--metadata", str(REPO / "corpus" / "metadata.csv")
    )
    assert local.exit_code == 0, local.output
    shutil.rmtree(tmp_path / "out" / "corpus" / "cache" / "entities")
    started = []
    real = compute._local_cluster
    monkeypatch.setattr(compute, "_local_cluster", lambda engine: started.append(engine) or real(engine))
    params = _params(tmp_path, model_path, engine="dask", workers=2)
    entities = CliRunner().invoke(main, ["entities", "--params", str(params), "--root", str(tmp_path / "out")])
    assert entities.exit_code == 0, entities.output
    # Both passes ran on the cluster, which the stage started once.
    assert len(started) == 1
    assert "8 of 8 documents from the entities cache" in entities.output


def test_a_worker_killed_during_annotate_is_replaced_and_the_results_are_the_same(model_path, cluster, tmp_path):
    corpus = tmp_path / "texts"
    shutil.copytree(SAMPLE, corpus)
    client = distributed.Client(cluster)
    killed: list[int] = []

    def kill_a_busy_worker():
        # As soon as a worker holds an annotate task (it is loading the model or annotating),
        # kill its process outright, as a node lost from a cluster would be.
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and not killed:
            busy = [address for address, tasks in client.processing().items() if tasks]
            if busy:
                pid = client.run(os.getpid, workers=[busy[0]])[busy[0]]
                os.kill(pid, signal.SIGKILL)
                killed.append(pid)
            time.sleep(0.05)

    killer = threading.Thread(target=kill_a_busy_worker)
    killer.start()
    try:
        dask = _run(
            corpus, tmp_path / "dask", _params(tmp_path, model_path, engine="dask", address=cluster.scheduler_address)
        )
    finally:
        killer.join()
        client.close()
    assert dask.exit_code == 0, dask.output
    assert killed, "no worker was busy to be killed"
    assert "a task failed on the cluster" not in dask.output
    local = _run(corpus, tmp_path / "local", _params(tmp_path, model_path))
    assert local.exit_code == 0, local.output
    assert _results(tmp_path / "local") == _results(tmp_path / "dask")


def test_the_local_cluster_s_workers_keep_glibc_s_own_trim_threshold(monkeypatch):
    from diskurs.compute import Engine, dask_client

    # A Dask cluster started earlier in this process (the fixture's) put Dask's setting into the
    # process's environment, which workers inherit; a diskurs process starts no other cluster.
    monkeypatch.delenv("MALLOC_TRIM_THRESHOLD_", raising=False)
    with dask_client(Engine("dask", None, 1)) as client:
        # Dask's default, 65536, costs spaCy several times the system time (README, "Scale").
        assert client.submit(os.getenv, "MALLOC_TRIM_THRESHOLD_").result() is None
        assert client.submit(os.getenv, "OMP_NUM_THREADS").result() == "1"


def test_no_scheduler_stops_the_run_and_leaves_the_previous_results_whole(model_path, tmp_path):
    out = tmp_path / "out"
    first = _run(SAMPLE, out, _params(tmp_path, model_path), "--metadata", str(REPO / "corpus" / "metadata.csv"))
    assert first.exit_code == 0, first.output
    before = _results(out)
    # Nothing in the annotation cache, so the documents must go to the cluster; and a port nothing
    # listens on: the scheduler is gone.
    shutil.rmtree(out / "corpus" / "cache" / "annotate")
    failed = _run(
        SAMPLE,
        out,
        _params(tmp_path, model_path, engine="dask", address="tcp://127.0.0.1:9"),
        "--metadata",
        str(REPO / "corpus" / "metadata.csv"),
    )
    assert failed.exit_code != 0
    assert "no Dask scheduler answers at tcp://127.0.0.1:9" in failed.output
    assert _results(out) == before


def test_the_readmes_slurm_recipe_builds_a_job_for_each_worker(tmp_path):
    """The recipe as far as a machine without Slurm can take it: the README's cluster builds the
    batch script each worker job would be submitted with."""
    jobqueue = pytest.importorskip("dask_jobqueue")
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    recipe = readme.split("# cluster.py:")[1].split("```")[0]
    assert "SLURMCluster(" in recipe and "cluster.scale(jobs=32)" in recipe
    arguments = recipe.split("SLURMCluster(")[1].split(")\n")[0]
    # The port of the recipe may be taken on a test machine; any free one shows the same script.
    options = eval(f"dict({arguments.replace('8786', '0')})")  # noqa: S307 - the README's own text
    with jobqueue.SLURMCluster(**options, log_directory=str(tmp_path)) as cluster:
        script, address = cluster.job_script(), cluster.scheduler_address
    assert "#SBATCH" in script and "--mem=" in script and "-t 04:00:00" in script
    assert "distributed.cli.dask_worker" in script and address.startswith("tcp://")
