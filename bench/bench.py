"""Benchmark: the whole pipeline on a NorNE-built corpus, next to bare ``nlp.pipe``.

    .venv/bin/python bench/bench.py [--words 1000000] [--model PATH] [--note TEXT]

Every stage runs as its own ``diskurs`` process, as ``dvc repro`` runs them, so each stage's
wall time and peak memory (the process's maximum resident set, from ``wait4``; C allocations
included) are measured apart. The results go to bench/results/<words>.json, and
bench/RESULTS.md is rebuilt from every results file there.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import yaml

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
sys.path.insert(0, str(BENCH))

from norne_corpus import build_corpus, extra_document  # noqa: E402

STAGES = ("ingest", "clean", "annotate", "entities", "themes", "frames")
RESULTS_DIR = BENCH / "results"
RESULTS_MD = BENCH / "RESULTS.md"
# Targets of the issue: throughput ratio, memory, speed-up of two processes, incremental re-run.
MIN_THROUGHPUT_RATIO = 0.7
MAX_PEAK_MB = 2048
MIN_SPEEDUP = 1.6
MAX_INCREMENTAL_RATIO = 0.1
# A Dask LocalCluster of two workers against one process, end to end; memory of any one process.
MIN_DASK_SPEEDUP = 1.7
MAX_DASK_WORKER_MB = 1536


def _watch_children(pid: int, peak: list[float], done: threading.Event) -> None:
    """The largest resident set of any process below ``pid`` (the Dask workers a stage starts),
    sampled four times a second into ``peak[0]``: wait4 counts only processes the stage reaps."""
    import psutil

    try:
        parent = psutil.Process(pid)
    except psutil.NoSuchProcess:
        return
    while not done.wait(0.25):
        try:
            children = parent.children(recursive=True)
        except psutil.NoSuchProcess:
            return
        for child in children:
            try:
                peak[0] = max(peak[0], child.memory_info().rss / 2**20)
            except psutil.NoSuchProcess:
                continue


def measure(command: list[str], log: Path) -> dict:
    """Run ``command``; its wall seconds, peak RSS in MB (its own, and the largest of the
    processes it started) and standard output."""
    with open(log, "ab") as err, tempfile.TemporaryFile() as out:
        start = time.perf_counter()
        process = subprocess.Popen(command, cwd=REPO, stdout=out, stderr=err)
        peak, done = [0.0], threading.Event()
        watcher = threading.Thread(target=_watch_children, args=(process.pid, peak, done))
        watcher.start()
        _, status, usage = os.wait4(process.pid, 0)
        done.set()
        watcher.join()
        seconds = time.perf_counter() - start
        process.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        stdout = out.read().decode("utf-8")
    if process.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed (exit {process.returncode}); see {log}")
    # Linux reports ru_maxrss in KiB.
    return {
        "seconds": round(seconds, 2),
        "peak_mb": round(usage.ru_maxrss / 1024, 1),
        "children_peak_mb": round(peak[0], 1),
        "stdout": stdout,
    }


def diskurs_command(stage: str, params: Path, root: Path, corpus: Path) -> list[str]:
    command = [str(Path(sys.executable).parent / "diskurs"), stage, "--params", str(params), "--root", str(root)]
    return command + ["--input", str(corpus)] if stage == "ingest" else command


def run_stages(params: Path, root: Path, corpus: Path, log: Path) -> list[dict]:
    rows = []
    for stage in STAGES:
        result = measure(diskurs_command(stage, params, root, corpus), log)
        rows.append(
            {
                "stage": stage,
                "seconds": result["seconds"],
                "peak_mb": result["peak_mb"],
                "children_peak_mb": result["children_peak_mb"],
            }
        )
        print(f"  {stage}: {result['seconds']} s, {result['peak_mb']} MB", flush=True)
    return rows


def bare_pipe(model: str, texts: Path, batch_size: int, n_process: int, log: Path) -> dict:
    command = [
        sys.executable,
        str(BENCH / "bare_pipe.py"),
        "--model",
        model,
        "--texts",
        str(texts),
        "--batch-size",
        str(batch_size),
        "--n-process",
        str(n_process),
    ]
    result = measure(command, log)
    report = json.loads(result["stdout"])
    report["peak_mb"] = result["peak_mb"]
    report["words_per_second"] = round(report["words"] / report["pipe_seconds"])
    print(f"  bare nlp.pipe n_process={n_process}: {report['pipe_seconds']:.1f} s", flush=True)
    return report


def write_params(model: str, n_process: int, path: Path, engine: str = "local", address: str | None = None) -> dict:
    params = yaml.safe_load((REPO / "params.yaml").read_text(encoding="utf-8"))
    params["nlp"]["model"] = model
    params["nlp"]["n_process"] = n_process
    params["compute"] = {"engine": engine, "address": address, "workers": 2}
    path.write_text(yaml.safe_dump(params, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return params


def _peak_rss_mb() -> float:
    """The calling process's largest resident set so far, in MB (run on each Dask worker)."""
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run_on_one_cluster(model: str, params: Path, root: Path, corpus: Path, log: Path) -> dict:
    """Every stage against one 2-worker LocalCluster started for the whole run, its address in
    ``compute.address``, as stages use a cluster that is already running: the workers load the
    model and the maps once for the run, not once per stage. The cluster's start counts in."""
    from diskurs.compute import Engine, dask_client

    start = time.perf_counter()
    # The LocalCluster a stage would start itself, started here once.
    with dask_client(Engine("dask", None, 2)) as client:
        started = round(time.perf_counter() - start, 2)
        write_params(model, 1, params, engine="dask", address=client.scheduler.address)
        print(f"  cluster started: {started} s", flush=True)
        stages = run_stages(params, root, corpus, log)
        worker_peak = max(client.run(_peak_rss_mb).values())
    print(f"  largest worker: {worker_peak:.1f} MB", flush=True)
    return {"start_seconds": started, "stages": stages, "worker_peak_mb": round(worker_peak, 1)}


def count_words(path: Path) -> int:
    return sum(len(line.split()) for line in path.read_text(encoding="utf-8").splitlines())


def benchmark(words: int, model: str, work: Path, note: str) -> dict:
    corpus, root, log = work / "input", work / "out", work / "bench.log"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    print(f"building a {words}-word corpus from NorNE in {corpus}", flush=True)
    norne = REPO.parent / "shared" / "norne" / "nob"
    if not norne.is_dir():
        raise SystemExit(f"{norne} is absent: the benchmark builds its corpus from NorNE there.")
    documents, built_words = build_corpus(norne, corpus, words)
    one, two, dask = work / "params-1.yaml", work / "params-2.yaml", work / "params-dask.yaml"
    batch_size = int(write_params(model, 1, one)["nlp"]["batch_size"])
    write_params(model, 2, two)
    write_params(model, 1, dask, engine="dask")
    load_start = os.getloadavg()

    print("whole pipeline, one process:", flush=True)
    stages = run_stages(one, root, corpus, log)
    texts = root / "corpus" / "processed" / "clean.jsonl"
    clean_words = sum(len(json.loads(line)["text"].split()) for line in texts.open(encoding="utf-8"))
    print("bare nlp.pipe, right after the pipeline:", flush=True)
    # The machine's speed drifts over minutes; the throughput ratio compares the pipeline with a
    # bare run next to it, not with one taken a quarter of an hour later.
    bare_next = bare_pipe(model, texts, batch_size, 1, log)

    print("annotate with nlp.n_process=2:", flush=True)
    two_root = work / "out-2"
    # Without the annotation cache and the annotated corpus the one-process run wrote, so both
    # runs annotate and write everything.
    shutil.copytree(root / "corpus", two_root / "corpus", ignore=shutil.ignore_patterns("cache", "annotated"))
    annotate_two = measure(diskurs_command("annotate", two, two_root, corpus), log)
    annotate_two.pop("stdout")
    shutil.rmtree(two_root)

    print("whole pipeline, engine dask (a LocalCluster of two workers started by each stage):", flush=True)
    # Its own results folder and caches, so that every stage computes everything again.
    dask_stages = run_stages(dask, work / "out-dask", corpus, log)
    shutil.rmtree(work / "out-dask")

    print("whole pipeline, engine dask (one LocalCluster of two workers for the whole run):", flush=True)
    one_cluster = run_on_one_cluster(model, work / "params-dask-address.yaml", work / "out-dask", corpus, log)
    shutil.rmtree(work / "out-dask")

    print("bare nlp.pipe:", flush=True)
    bare = {str(n): bare_pipe(model, texts, batch_size, n, log) for n in (1, 2)}

    print("incremental: one document added, every stage again:", flush=True)
    added = corpus / "zz_added.txt"
    added.write_text(extra_document(norne), encoding="utf-8")
    rerun = run_stages(one, root, corpus, log)

    return {
        "target_words": words,
        "documents": documents,
        "words": built_words,
        "clean_words": clean_words,
        "added_words": count_words(added),
        "model": model,
        "batch_size": batch_size,
        "machine": {
            "cpus": os.cpu_count(),
            "processor": _processor(),
            "python": platform.python_version(),
            "load_average_at_start": [round(x, 2) for x in load_start],
            "load_average_at_end": [round(x, 2) for x in os.getloadavg()],
        },
        "note": note,
        "stages": stages,
        "annotate_two_processes": annotate_two,
        "dask": dask_stages,
        "dask_one_cluster": one_cluster,
        "bare_pipe": bare,
        "bare_pipe_next": bare_next,
        "incremental": rerun,
    }


def _processor() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor()


def summary(result: dict) -> list[tuple[str, str, str, str]]:
    """(measure, value, target, met) rows for one results file."""
    total = sum(row["seconds"] for row in result["stages"])
    annotate = next(row["seconds"] for row in result["stages"] if row["stage"] == "annotate")
    peak = max(row["peak_mb"] for row in result["stages"])
    e2e = result["words"] / total
    bare1, bare2 = result["bare_pipe"]["1"], result["bare_pipe"]["2"]
    # Results of runs before the bare run next to the pipeline was added compare with the one at the end.
    bare_next = result.get("bare_pipe_next", bare1)
    when = "run right after the pipeline" if "bare_pipe_next" in result else "run at the end"
    ratio = e2e / bare_next["words_per_second"]
    speedup_stage = annotate / result["annotate_two_processes"]["seconds"]
    speedup_bare = bare1["pipe_seconds"] / bare2["pipe_seconds"]
    rerun = sum(row["seconds"] for row in result["incremental"]) / total
    met = lambda ok: "met" if ok else "**missed**"  # noqa: E731
    at_million = result["words"] >= 1_000_000
    rows = [
        ("end-to-end words/s (all six stages, process start and model load included)", f"{e2e:,.0f}", "", ""),
        (
            f"bare `nlp.pipe` words/s, one process (model load excluded), {when}",
            f"{bare_next['words_per_second']:,}",
            "",
            "",
        ),
        (
            f"end-to-end / bare `nlp.pipe` {when}",
            f"{ratio:.2f}",
            f"≥ {MIN_THROUGHPUT_RATIO}",
            met(ratio >= MIN_THROUGHPUT_RATIO),
        ),
        (
            "peak memory of any stage (MB)",
            f"{peak:,.0f}",
            f"< {MAX_PEAK_MB:,} at 1M words",
            met(peak < MAX_PEAK_MB) if at_million else "(not 1M words)",
        ),
        (
            "annotate stage, 1 vs 2 processes: speed-up",
            f"{speedup_stage:.2f}×",
            f"≥ {MIN_SPEEDUP}×",
            met(speedup_stage >= MIN_SPEEDUP),
        ),
        (
            "bare `nlp.pipe`, 1 vs 2 processes: speed-up",
            f"{speedup_bare:.2f}×",
            f"≥ {MIN_SPEEDUP}×",
            met(speedup_bare >= MIN_SPEEDUP),
        ),
        (
            f"re-run after adding one document ({result['added_words']} words) / first run",
            f"{rerun:.2f}",
            f"< {MAX_INCREMENTAL_RATIO}",
            met(rerun < MAX_INCREMENTAL_RATIO),
        ),
    ]
    if "dask" in result:
        dask_total = sum(row["seconds"] for row in result["dask"])
        dask_peak = max(max(row["peak_mb"], row.get("children_peak_mb", 0)) for row in result["dask"])
        rows += [
            (
                "engine dask, 2-worker LocalCluster vs engine local, one process: speed-up end to end",
                f"{total / dask_total:.2f}×",
                f"≥ {MIN_DASK_SPEEDUP}×",
                met(total / dask_total >= MIN_DASK_SPEEDUP),
            ),
            (
                "engine dask: peak memory of any one process, stage or worker (MB)",
                f"{dask_peak:,.0f}",
                f"< {MAX_DASK_WORKER_MB:,}",
                met(dask_peak < MAX_DASK_WORKER_MB),
            ),
        ]
    if "dask_one_cluster" in result:
        one = result["dask_one_cluster"]
        one_total = one["start_seconds"] + sum(row["seconds"] for row in one["stages"])
        one_peak = max(one["worker_peak_mb"], *(row["peak_mb"] for row in one["stages"]))
        rows += [
            (
                "engine dask, one 2-worker LocalCluster for the whole run (`compute.address`, its start"
                " included) vs engine local, one process: speed-up end to end",
                f"{total / one_total:.2f}×",
                f"≥ {MIN_DASK_SPEEDUP}×",
                met(total / one_total >= MIN_DASK_SPEEDUP),
            ),
            (
                "engine dask, one LocalCluster: peak memory of any one process, stage or worker (MB)",
                f"{one_peak:,.0f}",
                f"< {MAX_DASK_WORKER_MB:,}",
                met(one_peak < MAX_DASK_WORKER_MB),
            ),
        ]
    return rows


def render(results: list[dict]) -> str:
    lines = [
        "# Benchmark results",
        "",
        "Written by `bench/bench.py` (see bench/README.md). Each stage ran as its own `diskurs`",
        "process; seconds are wall time, memory the peak resident set of that process.",
        "",
    ]
    for result in sorted(results, key=lambda r: r["words"]):
        machine = result["machine"]
        lines += [
            f"## {result['words']:,} words, {result['documents']:,} documents",
            "",
            f"Model `{result['model']}` (SHA-256 {result.get('model_sha256', '?')}…), batch size {result['batch_size']}; {machine['cpus']} CPUs "
            f"({machine['processor']}), Python {machine['python']}; load average "
            f"{machine['load_average_at_start'][0]} at start, {machine['load_average_at_end'][0]} at end.",
        ]
        if result["note"]:
            lines += ["", f"**Note:** {result['note']}"]
        lines += [
            "",
            "| stage | seconds | peak MB | re-run after adding one document, seconds |",
            "|---|---:|---:|---:|",
        ]
        dask = {row["stage"]: row for row in result.get("dask", [])}
        if dask:
            lines[-2:] = [
                "| stage | seconds | peak MB | re-run after adding one document, seconds | engine dask, seconds | engine dask, peak MB of the stage or a worker |",
                "|---|---:|---:|---:|---:|---:|",
            ]
        for first, again in zip(result["stages"], result["incremental"]):
            line = f"| {first['stage']} | {first['seconds']:.1f} | {first['peak_mb']:,.0f} | {again['seconds']:.1f} |"
            if dask:
                row = dask[first["stage"]]
                line += f" {row['seconds']:.1f} | {max(row['peak_mb'], row.get('children_peak_mb', 0)):,.0f} |"
            lines.append(line)
        total = sum(row["seconds"] for row in result["stages"])
        total_again = sum(row["seconds"] for row in result["incremental"])
        dask_total = f" **{sum(row['seconds'] for row in dask.values()):.1f}** | |" if dask else ""
        lines.append(f"| **total** | **{total:.1f}** | | **{total_again:.1f}** |{dask_total}")
        two = result["annotate_two_processes"]
        bare = result["bare_pipe"]
        # Runs before the bare run next to the pipeline was added have the one at the end only.
        next_to = (
            f"{result['bare_pipe_next']['pipe_seconds']:.1f} s right after the pipeline, "
            if "bare_pipe_next" in result
            else ""
        )
        one = result.get("dask_one_cluster")
        if one:
            lines += [
                "",
                f"engine dask with one LocalCluster for the whole run: started in {one['start_seconds']:.1f} s; "
                + ", ".join(f"{row['stage']} {row['seconds']:.1f} s" for row in one["stages"])
                + f"; largest worker {one['worker_peak_mb']:,.0f} MB.",
            ]
        lines += [
            "",
            f"annotate with `nlp.n_process: 2`: {two['seconds']:.1f} s (peak {two['peak_mb']:,.0f} MB in the main process).",
            f"Bare `nlp.pipe` on the {result['clean_words']:,} clean words: one process {next_to}"
            f"{bare['1']['pipe_seconds']:.1f} s at the end (peak {bare['1']['peak_mb']:,.0f} MB), two processes "
            f"{bare['2']['pipe_seconds']:.1f} s.",
            "",
            "| measure | value | target | |",
            "|---|---:|---|---|",
        ]
        lines += [f"| {name} | {value} | {target} | {met} |" for name, value, target, met in summary(result)]
        lines.append("")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--words", type=int, default=1_000_000, help="corpus size in words")
    parser.add_argument("--model", default=None, help="spaCy pipeline folder (default: nlp.model of params.yaml)")
    parser.add_argument(
        "--work",
        type=Path,
        default=Path(tempfile.gettempdir()) / "diskurs-bench",
        help="scratch folder for the corpus and outputs (emptied first)",
    )
    parser.add_argument("--note", default="", help="a remark printed with the results, e.g. other load on the machine")
    args = parser.parse_args()
    model = args.model or yaml.safe_load((REPO / "params.yaml").read_text(encoding="utf-8"))["nlp"]["model"]
    model = str((REPO / model).resolve()) if (REPO / model).is_dir() else model
    result = benchmark(args.words, model, args.work.resolve(), args.note)
    result["model"] = args.model or model
    if Path(model).is_dir():
        from diskurs.nlp.loader import checksum

        result["model_sha256"] = checksum(model)[:16]
    RESULTS_DIR.mkdir(exist_ok=True)
    (RESULTS_DIR / f"{args.words}.json").write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    results = [json.loads(path.read_text(encoding="utf-8")) for path in sorted(RESULTS_DIR.glob("*.json"))]
    RESULTS_MD.write_text(render(results), encoding="utf-8")
    print(render([result]))


if __name__ == "__main__":
    main()
