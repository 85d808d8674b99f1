"""The ``diskurs`` command: one subcommand per pipeline stage, plus ``run`` for all of them.

Stage modules are imported inside the commands so that ``diskurs --help`` stays instant even
though some stages pull in spaCy.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import click
from filelock import FileLock, Timeout

from diskurs.compute import shared_cluster
from diskurs.layout import Layout
from diskurs.params import PARAMS_OPTION, load_params
from diskurs.timings import timed

ROOT_OPTION = click.option(
    "--root",
    default=".",
    show_default=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder under which corpus/ and reports/ are read and written.",
)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="diskurs")
def main() -> None:
    """Analyse how Norwegian texts on innovative public procurement in health care are framed."""


# The stages after ingest, in pipeline order: command name, module, function, help.
STAGES = (
    (
        "clean",
        "diskurs.clean.stage",
        "run_clean",
        "Strip boilerplate into corpus/processed/clean.jsonl, auditing each removed line.",
    ),
    (
        "annotate",
        "diskurs.annotate.stage",
        "run_annotate",
        "Run the clean documents through the spaCy pipeline into corpus/processed/annotated/.",
    ),
    (
        "entities",
        "diskurs.entities.stage",
        "run_entities",
        "Write canonical actors, mentions, people and co-occurrences to reports/entities/.",
    ),
    (
        "themes",
        "diskurs.themes.stage",
        "run_themes",
        "Find the themes of the annotated corpus (NMF) into reports/themes/.",
    ),
    (
        "frames",
        "diskurs.frames.stage",
        "run_frames",
        "Score frames and framing functions, attribute quotes, into reports/frames/.",
    ),
    (
        "validation",
        "diskurs.validation.agreement",
        "run_validation",
        "Score the coded samples in validation.coded against the frame coding, into reports/validation/.",
    ),
    (
        "compare",
        "diskurs.compare.stage",
        "run_compare",
        "Compare frames, themes, actors and key terms over time and between groups, into reports/compare/.",
    ),
    (
        "report",
        "diskurs.report.stage",
        "run_report",
        "Render reports/index.html, a page per document, figures, report.md and metrics.json.",
    ),
)


@contextmanager
def writing(root: Path) -> Iterator[Layout]:
    """The layout under ``root``, held by this process alone until the block ends.

    Two runs writing into one folder would mix their results (one run's report showing the
    other's corpus); the second is refused instead.
    """
    layout = Layout(root)
    layout.lock.parent.mkdir(parents=True, exist_ok=True)
    lock = FileLock(layout.lock, timeout=0)
    try:
        lock.acquire()
    except Timeout:
        raise click.ClickException(
            f"another diskurs run is writing into {root} (it holds {layout.lock}). Wait for it to "
            "finish, or give this run another --out folder."
        ) from None
    try:
        yield layout
    finally:
        lock.release()


def _run_stage(name: str, module: str, function: str, layout: Layout, params: dict) -> None:
    with timed(name, layout.timings(name)), shared_cluster():
        stage = getattr(importlib.import_module(module), function)
        summary = stage(layout, params)
    click.echo(summary.describe(), err=True)


METADATA_OPTION = click.option(
    "--metadata",
    default=None,
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Document sheet (CSV or .xlsx) of the input folder; overrides corpus.metadata.",
)


def _input_overrides(input_dir: Path | None, metadata: Path | None) -> dict:
    """The input folder and document sheet given on the command line (another folder than
    corpus.input, given without a sheet, is read with none: see diskurs.params)."""
    overrides: dict = {("corpus", "metadata"): str(metadata)} if metadata else {}
    if input_dir is not None:
        overrides[("corpus", "input")] = str(input_dir)
    return overrides


def _ingest(input_dir: Path, layout: Layout, params: dict) -> None:
    with timed("ingest", layout.timings("ingest")):
        from diskurs.ingest.stage import run_ingest

        summary = run_ingest(input_dir, layout, params)
    click.echo(summary.describe(), err=True)


@main.command()
@PARAMS_OPTION
@ROOT_OPTION
@click.option(
    "--input",
    "input_dir",
    default=None,
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder of documents; overrides corpus.input in the parameters file.",
)
@METADATA_OPTION
def ingest(params_file: Path, root: Path, input_dir: Path | None, metadata: Path | None) -> None:
    """Read every document under the input folder into corpus/interim/documents.jsonl."""
    params = load_params(params_file, _input_overrides(input_dir, metadata), check=True)
    with writing(root) as layout:
        _ingest(Path(params["corpus"]["input"]), layout, params)


def _stage_command(name: str, module: str, function: str, help_text: str) -> None:
    @main.command(name, help=help_text)
    @PARAMS_OPTION
    @ROOT_OPTION
    def command(params_file: Path, root: Path) -> None:
        params = load_params(params_file, check=True)
        with writing(root) as layout:
            _run_stage(name, module, function, layout, params)


for _stage in STAGES:
    _stage_command(*_stage)


@main.command()
@click.argument("input_dir", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option(
    "--out",
    "out_dir",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder for the results; gets the same layout as the repository (corpus/, reports/).",
)
@PARAMS_OPTION
@METADATA_OPTION
def run(input_dir: Path, out_dir: Path, params_file: Path, metadata: Path | None) -> None:
    """Run every stage on INPUT_DIR without DVC, writing under --out."""
    # The folder given here is the corpus of the run, and the report's Methods say so.
    run_all(input_dir, out_dir, load_params(params_file, _input_overrides(input_dir, metadata), check=True))


def run_all(input_dir: Path, out_dir: Path, params: dict) -> None:
    """Every stage on ``input_dir`` with the checked ``params``, results under ``out_dir``."""
    with writing(out_dir) as layout, shared_cluster():
        _ingest(input_dir, layout, params)
        for name, module, function, _ in STAGES:
            _run_stage(name, module, function, layout, params)


def _out_file(help_text: str):
    return click.option(
        "--out", "out_file", required=True, type=click.Path(dir_okay=False, path_type=Path), help=help_text
    )


@main.command("coding-sheet")
@PARAMS_OPTION
@ROOT_OPTION
@_out_file("The workbook to write (.xlsx).")
@click.option("--n", "size", type=click.IntRange(min=1), default=200, show_default=True, help="Sentences to sample.")
@click.option("--seed", type=int, default=0, show_default=True, help="Another seed draws another sample.")
def coding_sheet(params_file: Path, root: Path, out_file: Path, size: int, seed: int) -> None:
    """Write a blind sample of the annotated corpus's sentences for a person to code by hand."""
    from diskurs.validation.sheet import coding_sheet as write

    params = load_params(params_file, check=True)
    with writing(root) as layout:
        click.echo(write(layout, params, out_file, size, seed).describe(), err=True)


# Coded sheets (xlsx or CSV) or REFI-QDA projects, as agreement and suggest-cues read them.
CODED_ARGUMENT = click.argument(
    "coded", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path)
)


@main.command("agreement")
@PARAMS_OPTION
@ROOT_OPTION
@CODED_ARGUMENT
def agreement(params_file: Path, root: Path, coded: tuple[Path, ...]) -> None:
    """Krippendorff's α, precision and recall of the tool's frame coding against the CODED samples
    (coding-sheet workbooks filled in by people, CSVs of them, or REFI-QDA projects coded in QDA
    software), into reports/validation/."""
    from diskurs.validation.agreement import run_agreement

    params = load_params(params_file, check=True)
    with writing(root) as layout:
        click.echo(run_agreement(layout, params, list(coded)).describe(), err=True)


@main.command("suggest-cues")
@PARAMS_OPTION
@ROOT_OPTION
@click.option(
    "--out",
    "out_file",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="The table to write (CSV), outside the pipeline's own outputs.",
)
@CODED_ARGUMENT
def suggest_cues(params_file: Path, root: Path, out_file: Path, coded: tuple[Path, ...]) -> None:
    """Words typical of the sentences the CODED samples code with each frame and framing
    function (weighted log-odds, as z-scores), with how many of those sentences the tool missed:
    candidates for the lexicon, for a person to read."""
    from diskurs.validation.cues import run_suggest_cues

    params = load_params(params_file, check=True)
    with writing(root) as layout:
        click.echo(run_suggest_cues(layout, params, list(coded), out_file).describe(), err=True)


@main.command("export-qda")
@PARAMS_OPTION
@ROOT_OPTION
@_out_file("The REFI-QDA project to write (.qdpx).")
def export_qda(params_file: Path, root: Path, out_file: Path) -> None:
    """Write the clean documents and the tool's coding as a REFI-QDA project for NVivo, ATLAS.ti,
    MAXQDA or QualCoder."""
    from diskurs.validation.qda import export_project

    params = load_params(params_file, check=True)
    with writing(root) as layout:
        click.echo(export_project(layout, params, out_file).describe(), err=True)


@main.command("score-boilerplate")
@PARAMS_OPTION
@click.argument("folder", required=False, type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--errors", is_flag=True, help="Also list the misclassified lines.")
def score_boilerplate(params_file: Path, folder: Path | None, errors: bool) -> None:
    """Boilerplate precision and recall per layer on a labelled folder (default: the shipped set)."""
    from diskurs.clean.evaluate import (
        LABELLED_SET,
        evaluate,
        format_scores,
        load_labelled_set,
        misclassified,
        settings_for,
    )

    documents = load_labelled_set(folder or LABELLED_SET)
    settings = settings_for(documents, load_params(params_file))
    click.echo(format_scores(evaluate(documents, settings)))
    if errors:
        for name, number, line, what in misclassified(documents, settings):
            click.echo(f"{name}:{number}: {what}: {line}")


from diskurs.nlp.commands import (  # noqa: E402
    convert_ndt,
    evaluate_entities,
    evaluate_model,
    publish_model,
    sample_text,
    tokenize_text,
    train_vectors,
)

main.add_command(convert_ndt)
main.add_command(evaluate_model)
main.add_command(evaluate_entities)
main.add_command(publish_model)
main.add_command(sample_text)
main.add_command(tokenize_text)
main.add_command(train_vectors)
