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
    _clean(layout, params)
