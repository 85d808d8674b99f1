"""Reading ``params.yaml``: the one place every stage takes its settings from.

The schema and the defaults are in :mod:`diskurs.settings`; this module turns its problems
into the command-line errors a user sees.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from diskurs.settings import SettingsError, check_files, read_params, validate_params

PARAMS_OPTION = click.option(
    "--params",
    "params_file",
    default="params.yaml",
    show_default=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="Parameters file.",
)


class SettingsProblem(click.UsageError):
    """Every problem with the settings, one per line, each naming the file, the key and the fix."""

    def __init__(self, error: SettingsError):
        count = len(error.problems)
        heading = "the settings have a problem" if count == 1 else f"the settings have {count} problems"
        super().__init__(f"{heading}; nothing was run:\n  " + "\n  ".join(error.problems))


def load_params(path: Path | str, overrides: dict[tuple[str, str], Any] | None = None, check: bool = False) -> dict:
    """The parameters in force: params.yaml checked against the schema, defaults filled in,
    relative paths taken from the file's folder, then ``overrides`` (command-line options)
    applied. With ``check``, the files the parameters name are checked too."""
    try:
        params = _overridden(read_params(path), overrides)
        if check:
            check_files(params, str(path))
    except SettingsError as error:
        raise SettingsProblem(error) from None
    return params


def same_folder(a: Path | str, b: Path | str) -> bool:
    return Path(a).resolve() == Path(b).resolve()


def _overridden(params: dict, overrides: dict[tuple[str, str], Any] | None) -> dict:
    """``params`` with ``overrides`` applied. The document sheet describes the folder of
    corpus.input: another input folder given without a sheet of its own is read with none."""
    overrides = dict(overrides or {})
    given = overrides.get(("corpus", "input"))
    if given is not None and ("corpus", "metadata") not in overrides:
        if not same_folder(given, params["corpus"]["input"]):
            overrides[("corpus", "metadata")] = None
    for (name, key), value in overrides.items():
        params[name][key] = value
    return params


def params_from_mapping(
    data: dict, folder: Path, overrides: dict[tuple[str, str], Any] | None = None, label: str = "params"
) -> dict:
    """Like :func:`load_params` for parameters built in Python (sections of keys, as in
    params.yaml), relative paths taken from ``folder``; the files they name are checked."""
    try:
        params = _overridden(validate_params(data, folder, label), overrides)
        check_files(params, label)
    except SettingsError as error:
        raise SettingsProblem(error) from None
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
