"""The ``diskurs`` command: one subcommand per pipeline stage, plus ``run`` for all of them.

Stage modules are imported inside the commands so that ``diskurs --help`` stays instant even
though some stages pull in spaCy.
"""

from __future__ import annotations

from pathlib import Path

import click

from pipeline.layout import Layout
from pipeline.params import load_params

PARAMS_OPTION = click.option(
    "--params",
    "params_file",
    default="params.yaml",
    show_default=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="Parameters file.",
)
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


def _ingest(input_dir: Path, layout: Layout, params: dict) -> None:
    from pipeline.ingest.stage import run_ingest

    summary = run_ingest(input_dir, layout, params)
    click.echo(summary.describe(), err=True)


def _clean(layout: Layout, params: dict) -> None:
    from pipeline.clean.stage import run_clean

    summary = run_clean(layout, params)
    click.echo(summary.describe(), err=True)


def _annotate(layout: Layout, params: dict) -> None:
    from pipeline.annotate.stage import run_annotate

    click.echo(run_annotate(layout, params).describe(), err=True)


def _entities(layout: Layout, params: dict) -> None:
    from pipeline.entities.stage import run_entities

    click.echo(run_entities(layout, params).describe(), err=True)


def _themes(layout: Layout, params: dict) -> None:
    from pipeline.themes.stage import run_themes

    click.echo(run_themes(layout, params).describe(), err=True)


def _frames(layout: Layout, params: dict) -> None:
    from pipeline.frames.stage import run_frames

    click.echo(run_frames(layout, params).describe(), err=True)


def _report(layout: Layout, params: dict) -> None:
    from pipeline.report.stage import run_report

    click.echo(run_report(layout, params).describe(), err=True)


# The stages after ingest, in pipeline order; `run` and the per-stage commands share them.
_STAGES_AFTER_INGEST = (_clean, _annotate, _entities, _themes, _frames, _report)


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
def ingest(params_file: Path, root: Path, input_dir: Path | None) -> None:
    """Read every document under the input folder into corpus/interim/documents.jsonl."""
    params = load_params(params_file)
    _ingest(input_dir or Path(params["corpus"]["input"]), Layout(root), params)


@main.command()
@PARAMS_OPTION
@ROOT_OPTION
def clean(params_file: Path, root: Path) -> None:
    """Strip boilerplate into corpus/processed/clean.jsonl, auditing each removed line."""
    _clean(Layout(root), load_params(params_file))


@main.command()
@PARAMS_OPTION
@ROOT_OPTION
def annotate(params_file: Path, root: Path) -> None:
    """Run the clean documents through the spaCy pipeline into corpus/processed/annotated.spacy."""
    _annotate(Layout(root), load_params(params_file))


@main.command()
@PARAMS_OPTION
@ROOT_OPTION
def entities(params_file: Path, root: Path) -> None:
    """Write canonical actors, mentions, people and co-occurrences to reports/entities/."""
    _entities(Layout(root), load_params(params_file))


@main.command()
@PARAMS_OPTION
@ROOT_OPTION
def themes(params_file: Path, root: Path) -> None:
    """Find the themes of the annotated corpus (NMF) into reports/themes/."""
    _themes(Layout(root), load_params(params_file))


@main.command()
@PARAMS_OPTION
@ROOT_OPTION
def frames(params_file: Path, root: Path) -> None:
    """Score frames and framing functions, attribute quotes, into reports/frames/."""
    _frames(Layout(root), load_params(params_file))


@main.command()
@PARAMS_OPTION
@ROOT_OPTION
def report(params_file: Path, root: Path) -> None:
    """Render reports/index.html, a page per document, figures, report.md and metrics.json."""
    _report(Layout(root), load_params(params_file))


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
def run(input_dir: Path, out_dir: Path, params_file: Path) -> None:
    """Run every stage on INPUT_DIR without DVC, writing under --out."""
    params = load_params(params_file)
    layout = Layout(out_dir)
    _ingest(input_dir, layout, params)
    for stage in _STAGES_AFTER_INGEST:
        stage(layout, params)


@main.command("score-boilerplate")
@PARAMS_OPTION
@click.argument("folder", required=False, type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--errors", is_flag=True, help="Also list the misclassified lines.")
def score_boilerplate(params_file: Path, folder: Path | None, errors: bool) -> None:
    """Boilerplate precision and recall per layer on a labelled folder (default: the shipped set)."""
    from pipeline.clean.evaluate import (
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


from pipeline.nlp.commands import convert_ndt, evaluate_model, publish_model  # noqa: E402

main.add_command(convert_ndt)
main.add_command(evaluate_model)
main.add_command(publish_model)
