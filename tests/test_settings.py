"""Settings are checked before any stage runs; paths, locks and file modes of a run."""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from filelock import FileLock

from diskurs.cli import main
from diskurs.layout import Layout
from diskurs.params import load_params
from diskurs.settings import RESOURCES

REPO = Path(__file__).resolve().parents[1]

ARTICLE = (
    "Sykehuset i Fjellberg vil kjøpe inn nye løsninger for hjemmeoppfølging.\n\n"
    "– Vi må samarbeide tettere med leverandørene, sier innkjøpssjef Åse Nordvik.\n\n"
    "Kommunen har lyst ut en konkurranse om innovasjonspartnerskap for pasientene.\n"
)


def _params(tmp_path: Path, edit) -> Path:
    data = yaml.safe_load((REPO / "params.yaml").read_text(encoding="utf-8"))
    edit(data)
    path = tmp_path / "params.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def _corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "tekster"
    folder.mkdir()
    (folder / "sak.txt").write_text(ARTICLE, encoding="utf-8")
    return folder


def _run(tmp_path: Path, params: Path):
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["run", str(_corpus(tmp_path)), "--out", str(out), "--params", str(params)])
    return result, out


def _refused(tmp_path: Path, params: Path) -> str:
    result, out = _run(tmp_path, params)
    assert result.exit_code == 2, result.output
    # Nothing ran: no stage wrote anything.
    assert not Layout(out).documents.exists() and not (out / "reports").exists()
    return result.output


def test_a_misspelt_key_is_an_error_with_the_likely_fix(tmp_path):
    def edit(data):
        data["clean"]["classifer"] = data["clean"].pop("classifier")

    output = _refused(tmp_path, _params(tmp_path, edit))
    assert "params.yaml: clean.classifer: unknown key; did you mean 'classifier'?" in output


def test_values_of_the_wrong_type_are_all_reported_with_their_keys(tmp_path):
    def edit(data):
        data["clean"]["classifier_length_low"] = "seventy"
        data["themes"]["min_df"] = "two"
        data["nlp"]["batch_size"] = "many"
        data["report"]["kwic_window"] = [8]

    output = _refused(tmp_path, _params(tmp_path, edit))
    assert "4 problems" in output
    for key in ("clean.classifier_length_low", "themes.min_df", "nlp.batch_size", "report.kwic_window"):
        assert f"params.yaml: {key}:" in output
    assert "'seventy'" in output and "'two'" in output


def test_zero_threads_for_the_theme_fits_is_an_error_with_the_fix(tmp_path):
    def edit(data):
        data["themes"]["n_jobs"] = 0

    output = _refused(tmp_path, _params(tmp_path, edit))
    assert "params.yaml: themes.n_jobs:" in output and "-1 for every CPU" in output


def test_an_actor_after_role_words_and_an_unknown_actor_field_are_errors(tmp_path):
    actors = tmp_path / "aktorer.yaml"
    text = (RESOURCES / "actors.yaml").read_text(encoding="utf-8")
    text = text.replace(
        "    aliases: [HelseOmsorg21, HO21-rådet]", "    aliases: [HelseOmsorg21, HO21-rådet]\n    sektor: helse"
    )
    actors.write_text(text + "  - name: Fjellberg sykehus\n    label: ORG\n", encoding="utf-8")
    output = _refused(tmp_path, _params(tmp_path, lambda data: data["entities"].update(actors=str(actors))))
    assert f"{actors}: actors[1] 'HelseOmsorg21-rådet'.sektor: unknown key" in output
    assert f"{actors}: role_words[" in output and "'Fjellberg sykehus'" in output


def test_a_broken_lexicon_and_pattern_library_are_reported_before_any_stage(tmp_path):
    lexicon = tmp_path / "rammer.yaml"
    data = yaml.safe_load((RESOURCES / "frames.yaml").read_text(encoding="utf-8"))
    data["frames"]["innovation"]["lemma"] = data["frames"]["innovation"].pop("lemmas")
    lexicon.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    patterns = tmp_path / "mønstre.yaml"
    patterns.write_text("patterns:\n  - name: del\n    regex: 'del på'\n    and_next: -1\n", encoding="utf-8")

    def edit(params):
        params["frames"]["lexicon"] = str(lexicon)
        params["clean"]["pattern_file"] = str(patterns)

    output = _refused(tmp_path, _params(tmp_path, edit))
    assert f"{lexicon}: frames.innovation.lemma: unknown key; did you mean 'lemmas'?" in output
    assert f"{patterns}: patterns[1] 'del'.and_next:" in output


def test_a_missing_model_names_the_parameter_before_any_stage(tmp_path):
    output = _refused(tmp_path, _params(tmp_path, lambda data: data["nlp"].update(model="modeller/finnes_ikke")))
    assert "nlp.model" in output and "modeller/finnes_ikke" in output


def test_relative_paths_are_taken_from_the_params_file_folder(tmp_path, monkeypatch):
    """A run started in another folder (a notebook's) reads what `dvc repro` reads."""
    notebook = tmp_path / "notatbok"
    notebook.mkdir()
    monkeypatch.chdir(notebook)
    params = load_params(REPO / "params.yaml", check=True)
    assert Path(params["nlp"]["model"]).resolve() == REPO / "models" / "nb_diskurs_sm"
    assert Path(params["frames"]["lexicon"]).resolve() == RESOURCES / "frames.yaml"
    assert Path(params["corpus"]["input"]).resolve() == REPO / "corpus" / "raw"
    # A copy of params.yaml in the notebook's folder still finds what the project ships.
    shutil.copy(REPO / "params.yaml", notebook / "params.yaml")
    copied = load_params(notebook / "params.yaml", check=True)
    assert Path(copied["entities"]["actors"]).resolve() == RESOURCES / "actors.yaml"


def test_a_second_run_into_the_same_folder_is_refused(tmp_path):
    out = tmp_path / "out"
    layout = Layout(out)
    layout.lock.parent.mkdir(parents=True)
    with FileLock(layout.lock):
        result = CliRunner().invoke(
            main, ["run", str(_corpus(tmp_path)), "--out", str(out), "--params", str(REPO / "params.yaml")]
        )
    assert result.exit_code == 1
    assert "another diskurs run is writing into" in result.output
    assert not layout.documents.exists()


@pytest.mark.parametrize("umask, mode", [(0o022, 0o644), (0o027, 0o640)])
def test_results_get_the_modes_the_umask_allows(tmp_path, umask, mode):
    out = tmp_path / "out"
    corpus = REPO / "corpus" / "raw"
    subprocess.run(
        [
            str(Path(sys.executable).parent / "diskurs"),
            "run",
            str(corpus),
            "--out",
            str(out),
            "--params",
            str(REPO / "params.yaml"),
        ],
        check=True,
        cwd=REPO,
        capture_output=True,
        preexec_fn=lambda: os.umask(umask),
    )
    written = [path for path in (out / "reports").rglob("*") if path.is_file()]
    written += [Layout(out).documents, Layout(out).clean]
    assert len(written) > 10
    wrong = {
        str(path): oct(stat.S_IMODE(path.stat().st_mode))
        for path in written
        if stat.S_IMODE(path.stat().st_mode) != mode
    }
    assert not wrong
