"""`dvc repro` in a copy of the project: files named by parameters are dependencies."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from diskurs.settings import RESOURCES

REPO = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent


def _dvc(project: Path, *args: str) -> str:
    env = dict(os.environ, PATH=f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}")
    done = subprocess.run([str(BIN / "dvc"), *args], cwd=project, env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout + done.stderr


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    if shutil.which("git") is None:
        pytest.skip("git is not installed: DVC needs it for this check")
    copy = tmp_path_factory.mktemp("projekt")
    tracked = subprocess.run(
        ["git", "ls-files", "-z"], cwd=REPO, capture_output=True, text=True, check=True
    ).stdout.split("\0")
    for name in filter(None, tracked):
        source = REPO / name
        if source.is_file():
            (copy / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, copy / name)
    subprocess.run(["git", "init", "-q"], cwd=copy, check=True)
    # A lexicon of the researcher's own, outside pipeline/diskurs/resources.
    (copy / "mine").mkdir()
    shutil.copy(RESOURCES / "frames.yaml", copy / "mine" / "rammer.yaml")
    params = yaml.safe_load((copy / "params.yaml").read_text(encoding="utf-8"))
    params["frames"]["lexicon"] = "mine/rammer.yaml"
    (copy / "params.yaml").write_text(yaml.safe_dump(params, allow_unicode=True), encoding="utf-8")
    _dvc(copy, "repro", "--quiet")
    return copy


def test_after_a_run_everything_is_up_to_date_and_training_is_not_listed(project):
    status = _dvc(project, "status")
    assert "Data and pipelines are up to date." in status
    assert "models" not in status


def test_editing_ones_own_lexicon_re_runs_frames_its_validation_comparisons_and_the_report_only(project):
    tables = project / "reports" / "frames" / "document_frames.csv"
    before = tables.read_bytes()
    assert b"sustainability" in before
    lexicon = project / "mine" / "rammer.yaml"
    data = yaml.safe_load(lexicon.read_text(encoding="utf-8"))
    del data["frames"]["sustainability"]
    lexicon.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")

    output = _dvc(project, "repro")
    ran = {line.split("'")[1] for line in output.splitlines() if line.startswith("Running stage")}
    assert ran == {"frames", "validation", "compare", "report"}
    after = tables.read_bytes()
    assert after != before and b"sustainability" not in after


def test_the_code_a_cached_result_depends_on_is_a_dependency_of_its_stage():
    # A change to that code must re-run the stage under DVC as it invalidates the cache.
    from diskurs.annotate import cache as annotate
    from diskurs.cache import module_files
    from diskurs.clean import cache as clean
    from diskurs.entities import cache as entities
    from diskurs.frames import cache as frames
    from diskurs.ingest import cache as ingest
    from diskurs.themes import stage as themes

    code = {
        "ingest": ingest.CODE,
        "clean": clean.CODE,
        "annotate": annotate.CODE,
        "entities": entities.CODE,
        "themes": themes.UNITS_CODE + themes.MODEL_CODE,
        "frames": frames.CODE,
    }
    stages = yaml.safe_load((REPO / "dvc.yaml").read_text(encoding="utf-8"))["stages"]
    for stage, modules in code.items():
        deps = [(REPO / dep).resolve() for dep in stages[stage]["deps"] if "${" not in dep]
        for file in (file.resolve() for module in modules for file in module_files(module)):
            assert any(file == dep or dep in file.parents for dep in deps), f"{stage}: {file} is not in dvc.yaml's deps"
