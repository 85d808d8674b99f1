"""diskurs from Python: run the pipeline on a folder and load its results as pandas DataFrames.

import diskurs

out = diskurs.run("my_articles", "results")          # every stage, as `diskurs run`
tables = diskurs.load(out)
tables["entities"].head()                              # one DataFrame per result table
tables.metrics["documents"]
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from diskurs.layout import Layout
from diskurs.params import load_params, params_from_mapping
from diskurs.settings import PROJECT
from diskurs.spreadsheet import restore

if TYPE_CHECKING:
    import pandas as pd

# Each result table: its name in load()'s mapping and its file under the output folder.
TABLES = {
    "manifest": "reports/manifest.csv",
    "boilerplate": "reports/boilerplate.csv",
    "entities": "reports/entities/entities.parquet",
    "mentions": "reports/entities/mentions.parquet",
    "people": "reports/entities/people.parquet",
    "cooccurrence": "reports/entities/cooccurrence.parquet",
    "documents": "reports/entities/documents.parquet",
    "themes": "reports/themes/themes.csv",
    "document_themes": "reports/themes/document_themes.csv",
    "theme_sentences": "reports/themes/theme_sentences.csv",
    "theme_leave_one_out": "reports/themes/leave_one_out.csv",
    "unit_themes": "reports/themes/unit_themes.csv",
    "document_frames": "reports/frames/document_frames.csv",
    "actor_frames": "reports/frames/actor_frames.csv",
    "frame_evidence": "reports/frames/frame_evidence.csv",
    "sentence_functions": "reports/frames/sentence_functions.csv",
    "quotes": "reports/frames/quotes.csv",
    "sentence_actors": "reports/frames/sentence_actors.csv",
    "agreement": "reports/validation/agreement.csv",
}


def _params(params: str | Path | Mapping | None, input_dir: Path) -> dict:
    """The parameters in force: a params file, or the project's with ``params``'s sections
    (``{"themes": {"k_range": [3, 6]}}``) laid over it, checked by the same schema before anything runs."""
    corpus = {("corpus", "input"): str(input_dir)}
    if params is not None and not isinstance(params, Mapping):
        return load_params(params, corpus, check=True)
    project = PROJECT / "params.yaml"
    data = (yaml.safe_load(project.read_text(encoding="utf-8")) if project.is_file() else None) or {}
    for name, values in (params or {}).items():
        if not isinstance(values, Mapping):
            raise ValueError(
                f"params[{name!r}]: give a mapping of keys to values, e.g. {{'themes': {{'k_range': [3, 6]}}}}"
            )
        data.setdefault(name, {}).update(values)
    return params_from_mapping(data, PROJECT, corpus)


def run(input: str | Path, out: str | Path, params: str | Path | Mapping | None = None) -> Path:
    """Run every stage on the documents in ``input`` and write the results under ``out``.

    ``out`` gets the project's layout (``corpus/``, ``reports/``, with ``reports/index.html``).
    ``params`` is the path of a params.yaml, or a mapping of sections to keys laid over the
    project's own (``{"frames": {"lexicon": "my_frames.yaml"}}``), or None for the project's.
    Settings are checked before any stage runs. Per-document results are cached under
    ``out/corpus/cache``, so a second run on the same documents is quick. Returns ``out``.
    """
    from diskurs.cli import run_all

    input_dir, out_dir = Path(input), Path(out)
    if not input_dir.is_dir():
        raise FileNotFoundError(f"{input_dir}: no such folder of documents")
    run_all(input_dir, out_dir, _params(params, input_dir))
    return out_dir


class Results(Mapping):
    """The result tables of one output folder, each read as a DataFrame when first asked for.

    Keys are the names in :data:`TABLES`, then the comparison tables of reports/compare/ under
    ``compare/`` and their file names (``compare/frames_by_period``); a table the run did not
    write is absent. Text cells hold the original text (the CSV files' spreadsheet escapes are
    undone).
    """

    def __init__(self, out: str | Path):
        self.root = Path(out)
        self._tables: dict[str, pd.DataFrame] = {}
        if not Layout(self.root).metrics.is_file():
            raise FileNotFoundError(
                f"{self.root}: no diskurs results here (no reports/metrics.json); run diskurs first"
            )

    def _paths(self) -> dict[str, Path]:
        paths = {name: self.root / path for name, path in TABLES.items()}
        compared = Layout(self.root).compare_dir
        for path in sorted(compared.glob("*.parquet")) if compared.is_dir() else ():
            paths[f"compare/{path.stem}"] = path
        return paths

    def _path(self, name: str) -> Path:
        return self._paths()[name]

    def __getitem__(self, name: str) -> pd.DataFrame:
        if name not in self._paths() or not self._path(name).is_file():
            raise KeyError(f"{name!r}: no such table in {self.root}; there are {', '.join(self)}")
        if name not in self._tables:
            self._tables[name] = _read_table(self._path(name))
        return self._tables[name]

    def __iter__(self) -> Iterator[str]:
        return (name for name, path in self._paths().items() if path.is_file())

    def __len__(self) -> int:
        return sum(1 for _ in self)

    @property
    def metrics(self) -> dict[str, Any]:
        """reports/metrics.json: the run's counts, its parameters and its input's checksum."""
        return json.loads(Layout(self.root).metrics.read_text(encoding="utf-8"))

    def __repr__(self) -> str:
        return f"Results({str(self.root)!r}: {', '.join(self)})"


def _read_table(path: Path) -> pd.DataFrame:
    # pandas is imported here, so that `import diskurs` and the command stay quick.
    import pandas as pd

    if path.suffix == ".parquet":
        return pd.read_parquet(path)
    frame = pd.read_csv(path, encoding="utf-8-sig", keep_default_na=False, na_values=[""])
    for column in frame.columns:
        if pd.api.types.is_string_dtype(frame[column]):
            frame[column] = frame[column].map(restore)
    return frame


def load(out: str | Path) -> Results:
    """The results under ``out`` (a folder ``run`` or ``diskurs run`` wrote, or the project
    itself after ``dvc repro``) as a mapping of table names to DataFrames, plus ``.metrics``."""
    return Results(out)
