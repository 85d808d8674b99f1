"""Reading ``params.yaml``: the one place every stage takes its settings from."""

from __future__ import annotations

from pathlib import Path

import click
import yaml


def load_params(path: Path | str) -> dict:
    """Load the parameters file, failing with a message that names the file and the fix."""
    path = Path(path)
    if not path.is_file():
        raise click.UsageError(
            f"{path}: parameters file not found. Run from the repository root, "
            "or pass --params pointing at a copy of the project's params.yaml."
        )
    try:
        params = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as error:
        raise click.UsageError(f"{path}: not valid YAML ({error}). Fix the syntax and run again.")
    if not isinstance(params, dict):
        raise click.UsageError(f"{path}: expected a mapping of sections, found {type(params).__name__}.")
    return params


class Section(dict):
    """One section of the parameters (``clean:``, ``nlp:`` …); a missing key says how to fix it."""

    def __init__(self, name: str, values: dict):
        super().__init__(values)
        self.name = name

    def __missing__(self, key: str):
        raise click.UsageError(
            f"params.yaml: {self.name}.{key} is missing. Add it to the '{self.name}:' section "
            "(the project's params.yaml shows its meaning and default)."
        )


def section(params: dict, name: str) -> Section:
    """The ``name:`` section of the parameters, failing with the fix when it is absent."""
    values = params.get(name)
    if not isinstance(values, dict):
        raise click.UsageError(
            f"params.yaml: the '{name}:' section is missing. Copy it from the project's params.yaml."
        )
    return Section(name, values)
