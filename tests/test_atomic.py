"""A run killed midway leaves the previous outputs intact: never a half-written file.

`diskurs run` is started as a real process on a corpus big enough to take a few seconds, and
killed with SIGKILL (no clean-up handler can run) while it is writing an output. Every output
that existed before must still hold exactly its old bytes, and no file may appear under an
output's name. The next run then completes as if nothing had happened and removes the
killed write's temporary file.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from diskurs.layout import Layout
from test_robustness import ANSKAFFELSE, HELSE, KLINIKK, KOMMUNE, LEVERANDØR, SYKEHUS, ingest_and_clean

REPO = Path(__file__).resolve().parents[1]
DISKURS = Path(sys.executable).parent / "diskurs"
WORDS = sorted(
    {word.strip(".,") for text in (SYKEHUS, KOMMUNE, HELSE, LEVERANDØR, KLINIKK, ANSKAFFELSE) for word in text.split()}
)
DOCUMENTS = 700
KILL_TIMEOUT = 60


def _document(rng: random.Random, number: int) -> str:
    """A headline and four paragraphs of random words: distinct documents, no near-duplicates."""
    paragraphs = [f"Sak nummer {number}"]
    for _ in range(4):
        sentences = [" ".join(rng.choices(WORDS, k=12)).capitalize() + "." for _ in range(6)]
        paragraphs.append(" ".join(sentences))
    return "\n\n".join(paragraphs) + "\n"


def _corpus(folder: Path, documents: int, seed: int) -> Path:
    rng = random.Random(seed)
    for number in range(documents):
        sub = folder / f"mappe {number % 7}"
        sub.mkdir(parents=True, exist_ok=True)
        (sub / f"sak {number:04d}.txt").write_text(_document(rng, number), encoding="utf-8")
    return folder


def _files(root: Path) -> dict[str, bytes]:
    """Every file a run leaves, but the lock it held while writing (see diskurs.cli.writing)."""
    lock = Layout(root).lock
    return {
        path.relative_to(root).as_posix(): path.read_bytes()
        for path in sorted(root.rglob("*"))
        if path.is_file() and path != lock
    }


def _writing(folder: Path, output: str) -> bool:
    """Whether the temporary copy of ``output`` in ``folder`` already holds data."""
    for entry in os.scandir(folder):
        if entry.name.startswith(f".{output}.") and entry.name.endswith(".tmp"):
            try:
                if entry.stat().st_size > 0:
                    return True
            except FileNotFoundError:  # renamed into place between listing and looking
                pass
    return False


def _kill_while_writing(command: list[str], folder: Path, output: str) -> None:
    """Start ``command``; SIGKILL it as soon as its temporary copy of ``output`` holds data."""
    env = {**os.environ, "TQDM_DISABLE": "1"}
    process = subprocess.Popen(command, cwd=REPO, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + KILL_TIMEOUT
    try:
        while time.monotonic() < deadline:
            if process.poll() is not None:
                pytest.fail(
                    f"the run ended (exit {process.returncode}) before it was caught writing {output}: "
                    f"{process.stderr.read().decode()[-2000:]}"
                )
            if folder.is_dir() and _writing(folder, output):
                process.send_signal(signal.SIGKILL)
                process.wait()
                return
            time.sleep(0.002)
        pytest.fail(f"no temporary file for {output} appeared within {KILL_TIMEOUT} s")
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        process.stderr.close()


@pytest.fixture(scope="module")
def previous_run(tmp_path_factory):
    """A finished run's outputs, and a changed input whose run would change all of them."""
    base = tmp_path_factory.mktemp("atomic")
    corpus = _corpus(base / "innhold", DOCUMENTS, seed=1)
    out = base / "ut"
    ingest_and_clean(corpus, out)
    changed = _corpus(base / "endret", DOCUMENTS, seed=2)
    return corpus, changed, out, _files(out)


def _run(changed: Path, out: Path) -> list[str]:
    return [str(DISKURS), "run", str(changed), "--out", str(out), "--params", str(REPO / "params.yaml")]


def _assert_no_stray_output(out: Path, before: dict[str, bytes], killed: str, finished: tuple[str, ...]) -> None:
    # The kill hit a write: the half-written data sits in the temporary file SIGKILL left
    # behind, hidden and named apart ('.<name>.<random>.tmp'). Besides it, only the timings of
    # the stages that finished, and the entries of the per-document caches (never outputs), may
    # be new.
    timings = {f"reports/timings/{stage}.json" for stage in finished}
    new = [
        name
        for name in _files(out)
        if name not in before and name not in timings and not name.startswith("corpus/cache/")
    ]
    assert timings <= set(_files(out))
    assert any(Path(name).name.startswith(f".{killed}.") and (out / name).stat().st_size > 0 for name in new)
    for name in new:
        assert Path(name).name.startswith(".") and name.endswith(".tmp"), f"{name} appeared"


def _restore(out: Path, files: dict[str, bytes]) -> Path:
    """A results folder holding exactly the given files, as a previous run left them."""
    for name, data in files.items():
        (out / name).parent.mkdir(parents=True, exist_ok=True)
        (out / name).write_bytes(data)
    return out


def test_killed_while_ingest_writes_leaves_every_output_intact(previous_run, tmp_path):
    corpus, changed, template, before = previous_run
    out = _restore(tmp_path / "ut", before)
    _kill_while_writing(_run(changed, out), Layout(out).documents.parent, "documents.jsonl")
    after = _files(out)
    for name, data in before.items():
        assert after.get(name) == data, f"{name} changed although the run was killed"
    _assert_no_stray_output(out, before, "documents.jsonl", ())


def test_killed_while_clean_writes_keeps_old_clean_outputs(previous_run, tmp_path):
    corpus, changed, template, before = previous_run
    out = _restore(tmp_path / "ut", before)
    _kill_while_writing(_run(changed, out), Layout(out).clean.parent, "clean.jsonl")
    after = _files(out)
    # Ingest had finished: its outputs are the new ones, whole. Clean's are the old ones.
    fresh = tmp_path / "frisk"
    ingest_and_clean(changed, fresh)
    expected_new = _files(fresh)
    for name in ("corpus/interim/documents.jsonl", "corpus/interim/manifest.csv"):
        assert after[name] == expected_new[name]
    for name in ("corpus/processed/clean.jsonl", "reports/boilerplate.csv", "reports/manifest.csv"):
        assert after[name] == before[name], f"{name} changed although clean was killed"
    _assert_no_stray_output(out, before, "clean.jsonl", ("ingest",))


def test_next_run_after_a_kill_completes_normally(previous_run, tmp_path):
    corpus, changed, template, before = previous_run
    out = _restore(tmp_path / "ut", before)
    _kill_while_writing(_run(changed, out), Layout(out).documents.parent, "documents.jsonl")
    assert any(Path(name).name.startswith(".documents.jsonl.") for name in _files(out))
    ingest_and_clean(changed, out)
    fresh = tmp_path / "frisk"
    ingest_and_clean(changed, fresh)
    # The same files as a run that was never interrupted: the killed write's temporary copy is gone.
    assert _files(out) == _files(fresh)
