"""The schemas of every settings file diskurs reads, checked before any stage runs.

``params.yaml``, the actor list, the frame lexicon and the boilerplate pattern library are each
validated against a pydantic model: a misspelt key, a value of the wrong type or a file that does
not exist is reported with the file, the key and the fix, all problems at once, before any work
is done. The defaults of every parameter live here; a params file may leave out any key.
"""

from __future__ import annotations

import difflib
import importlib.util
import os
from pathlib import Path
from typing import Annotated, Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, StrictBool, ValidationError, field_validator, model_validator

from diskurs.labels import ACTOR_TYPES, NORNE_LABELS

RESOURCES = Path(__file__).resolve().parent / "resources"
SHIPPED = {
    "patterns": RESOURCES / "boilerplate.yaml",
    "actors": RESOURCES / "actors.yaml",
    "lexicon": RESOURCES / "frames.yaml",
}
Label = Literal[NORNE_LABELS]
ActorType = Literal[ACTOR_TYPES]
Positive = Annotated[int, Field(ge=1)]
Share = Annotated[float, Field(ge=0, le=1)]


class SettingsError(Exception):
    """Settings that cannot be used; ``problems`` are lines naming the file, the key and the fix."""

    def __init__(self, problems: list[str]):
        super().__init__("\n".join(problems))
        self.problems = problems


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


# --- params.yaml ------------------------------------------------------------------------------


class Corpus(Strict):
    input: str = "corpus/raw"
    metadata: str | None = None


class Ingest(Strict):
    extensions: list[str] = [".txt", ".md", ".html", ".htm", ".pdf", ".docx"]
    near_duplicate_threshold: Annotated[float, Field(gt=0, le=1)] = 0.8
    shingle_size: Positive = 5
    max_extracted_chars: Positive = 10_000_000
    max_unpacked_mb: Positive = 100
    max_compression_ratio: Positive = 100
    max_pdf_pages: Positive = 5_000

    @field_validator("extensions")
    @classmethod
    def _dotted(cls, value: list[str]) -> list[str]:
        return [ext.lower() if ext.startswith(".") else f".{ext.lower()}" for ext in value]


class Clean(Strict):
    patterns: bool = True
    pattern_file: str = str(SHIPPED["patterns"])
    repeated: bool = True
    repeated_min_documents: Positive = 3
    repeated_min_share: Share = 0.5
    repeated_max_chars: Positive = 200
    classifier: bool = True
    classifier_stoplist: Literal["Norwegian_Bokmal", "Norwegian_Nynorsk"] = "Norwegian_Bokmal"
    classifier_length_low: Annotated[int, Field(ge=0)] = 70
    classifier_length_high: Annotated[int, Field(ge=0)] = 200
    classifier_stopwords_low: Share = 0.30
    classifier_stopwords_high: Share = 0.32

    @model_validator(mode="after")
    def _ordered(self) -> Clean:
        if self.classifier_length_low > self.classifier_length_high:
            raise ValueError("classifier_length_low must not exceed classifier_length_high")
        if self.classifier_stopwords_low > self.classifier_stopwords_high:
            raise ValueError("classifier_stopwords_low must not exceed classifier_stopwords_high")
        return self


class Themes(Strict):
    unit: Literal["sentence", "paragraph"] = "sentence"
    content_pos: list[str] = ["NOUN", "ADJ", "VERB"]
    min_chars: Annotated[int, Field(ge=0)] = 3
    extra_stop_words: list[str] = []
    ngram_range: tuple[Positive, Positive] = (1, 2)
    # scikit-learn's convention: a whole number counts units, a fraction is a share of them.
    min_df: Annotated[int, Field(ge=1)] | Annotated[float, Field(gt=0, le=1)] = 2
    max_df: Annotated[int, Field(ge=1)] | Annotated[float, Field(gt=0, le=1)] = 0.5
    k_range: tuple[Annotated[int, Field(ge=2)], Annotated[int, Field(ge=2)]] = (3, 8)
    seeds: Annotated[list[int], Field(min_length=2)] = [1, 2, 3, 4, 5]
    max_iter: Positive = 1000
    selection_units: Positive = 10000
    top_terms: Positive = 10
    sentences_per_theme: Positive = 5
    leave_one_out: Annotated[int, Field(ge=0)] = 10
    # Threads for the NMF fits, scikit-learn's way: -1 takes every CPU. The themes are the same.
    n_jobs: Annotated[int, Field(ge=-1)] = -1

    @field_validator("n_jobs")
    @classmethod
    def _jobs(cls, value: int) -> int:
        if value == 0:
            raise ValueError("must be a number of threads (1, 2, ...) or -1 for every CPU")
        return value

    @field_validator("min_df", "max_df", mode="before")
    @classmethod
    def _count_or_share(cls, value: Any) -> Any:
        # An integer stays one (1 unit, not 100 % of them); only floats are shares.
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        if isinstance(value, float) and value > 1:
            if value != int(value):
                raise ValueError("must be a share up to 1 (0.5) or a whole number of units (2)")
            return int(value)
        return value

    @model_validator(mode="after")
    def _ranges(self) -> Themes:
        if self.ngram_range[0] > self.ngram_range[1]:
            raise ValueError("ngram_range must be [shortest, longest]")
        if self.k_range[0] > self.k_range[1]:
            raise ValueError("k_range must be [fewest, most] themes")
        return self


class Frames(Strict):
    lexicon: str = str(SHIPPED["lexicon"])
    compound_min_stem: Positive = 5
    compound_min_rest: Positive = 3
    skip_entities: bool = True


class Nlp(Strict):
    model: str = "models/nb_diskurs_sm"
    batch_size: Positive = 4
    n_process: Positive = 1
    max_length: Positive = 2_000_000


class Entities(Strict):
    actors: str = str(SHIPPED["actors"])
    labels: list[Label] = ["PER", "ORG", "GPE_ORG", "GPE_LOC", "LOC", "PROD", "EVT"]
    cooccurrence_labels: list[Label] = ["PER", "ORG", "GPE_ORG"]


class Report(Strict):
    kwic_terms: list[str] = ["innovative anskaffelser", "innovasjonspartnerskap", "leverandørutvikling"]
    kwic_window: Positive = 8
    top_n: Positive = 15
    network_actors: Positive = 30
    evidence_per_frame: Positive = 3


class Validation(Strict):
    coded: str = "corpus/coded"


class Compare(Strict):
    period: Literal["year", "half-year", "quarter"] = "year"
    by: list[Annotated[str, Field(min_length=1)]] = []
    keyness_min_count: Positive = 5
    keyness_min_documents: Positive = 2
    keyness_max_p: Annotated[float, Field(gt=0, le=1)] = 0.05
    keyness_terms: Positive = 30

    @field_validator("by")
    @classmethod
    def _own_columns(cls, value: list[str]) -> list[str]:
        # These name the comparison tables' own columns, or are read by ingest itself.
        reserved = {"file", "published", "exclude", "period", "actor_type", "source", "doc_id", "sentences", "words"}
        taken = [column for column in value if column in reserved]
        if taken:
            raise ValueError(f"{', '.join(taken)} cannot be compared by; rename the sheet's column")
        if len(set(value)) < len(value):
            raise ValueError("names a column twice")
        return value


class Compute(Strict):
    engine: Literal["local", "dask"] = "local"
    address: str | None = None
    workers: Positive = 2


class Params(Strict):
    corpus: Corpus = Corpus()
    ingest: Ingest = Ingest()
    clean: Clean = Clean()
    themes: Themes = Themes()
    frames: Frames = Frames()
    nlp: Nlp = Nlp()
    entities: Entities = Entities()
    validation: Validation = Validation()
    compare: Compare = Compare()
    compute: Compute = Compute()
    report: Report = Report()


# The parameters that name files or folders, resolved against the params file's folder.
PATH_KEYS = (
    ("corpus", "input"),
    ("corpus", "metadata"),
    ("clean", "pattern_file"),
    ("frames", "lexicon"),
    ("entities", "actors"),
    ("validation", "coded"),
)


# --- the files the parameters name ------------------------------------------------------------


Words = list[Annotated[str, Field(min_length=1)]]


class Actor(Strict):
    name: Annotated[str, Field(min_length=1)]
    label: Literal["ORG", "GPE_ORG"] = "ORG"
    aliases: Words = []
    acronyms: Words = []
    type: ActorType | None = None


class Shape(Strict):
    label: Literal["ORG", "GPE_ORG"]
    type: ActorType | None = None
    pattern: Annotated[list[dict[str, Any]], Field(min_length=1)]


class ActorList(Strict):
    shapes: list[Shape] = []
    actors: list[Actor]
    role_words: Words = []


class Cues(Strict):
    label: str | None = None
    description: str | None = None
    lemmas: Words = []
    phrases: Words = []
    stems: Words = []
    exclude: Words = []
    negatable: StrictBool = False

    @model_validator(mode="after")
    def _some(self) -> Cues:
        if not (self.lemmas or self.phrases or self.stems):
            raise ValueError("has no lemmas, phrases or stems; add some or remove the entry")
        return self


class FrameLexicon(Strict):
    frames: Annotated[dict[str, Cues], Field(min_length=1)]
    functions: dict[str, Cues] = {}


class Pattern(Strict):
    name: Annotated[str, Field(min_length=1)]
    description: str = ""
    regex: Annotated[str, Field(min_length=1)]
    case_sensitive: bool = False
    and_next: Annotated[int, Field(ge=0)] = 0


class PatternLibrary(Strict):
    patterns: list[Pattern]


FILE_SCHEMAS = (
    (("clean", "pattern_file"), PatternLibrary, "pattern library"),
    (("entities", "actors"), ActorList, "actor list"),
    (("frames", "lexicon"), FrameLexicon, "frame lexicon"),
)


# --- reading and checking ---------------------------------------------------------------------


def _where(location: tuple, data: Any) -> str:
    """``actors[3] 'Helse Vest RHF'.label``: list entries counted from 1, named where they have a name."""
    text = ""
    for part in location:
        if isinstance(part, int) and isinstance(data, list) and part < len(data):
            data = data[part]
            name = data.get("name") if isinstance(data, dict) else None
            text += f"[{part + 1}]" + (f" '{name}'" if isinstance(name, str) else "")
            continue
        data = data.get(part) if isinstance(data, dict) else None
        text += f".{part}" if text else str(part)
    return text


def _in_data(location: tuple, data: Any) -> tuple:
    """The part of ``location`` that names keys of ``data``; the rest are the schema's own tags."""
    kept = []
    for part in location:
        if isinstance(data, dict) and part in data:
            data = data[part]
        elif isinstance(data, list) and isinstance(part, int) and part < len(data):
            data = data[part]
        else:
            break
        kept.append(part)
    return tuple(kept)


def _problems(label: str, error: ValidationError, schema: type[BaseModel], data: Any) -> list[str]:
    """One line per key: the file, the key, what is wrong and, for unknown keys, the fix."""
    found: dict[tuple, list[str]] = {}
    for item in error.errors():
        location = item["loc"]
        if item["type"] == "extra_forbidden":
            known = _fields_at(schema, location[:-1], data)
            close = difflib.get_close_matches(str(location[-1]), known, n=1)
            hint = f"did you mean '{close[0]}'?" if close else f"the keys allowed here are {', '.join(known)}"
            found.setdefault(location, []).append(f"unknown key; {hint}")
            continue
        # A value that fits no member of a union fails once per member: one line says it all.
        location = _in_data(location, data) if item["type"] != "missing" else location
        given = item.get("input")
        shown = "" if isinstance(given, (dict, list)) or item["type"] == "missing" else f" (found {given!r})"
        message = item["msg"].removeprefix("Value error, ") + shown
        if message not in found.setdefault(location, []):
            found[location].append(message)
    return [
        f"{label}: {_where(location, data) or '(top level)'}: {' or '.join(messages)}"
        for location, messages in found.items()
    ]


def _fields_at(schema: type[BaseModel], location: tuple, data: Any) -> list[str]:
    """The keys a model accepts at ``location`` (walking through lists and mappings)."""
    model: Any = schema
    for part in location:
        if isinstance(part, int) or model is None:
            continue
        field = getattr(model, "model_fields", {}).get(part)
        if field is None:
            continue
        model = _model_of(field.annotation)
    return sorted(getattr(model, "model_fields", {}))


def _model_of(annotation: Any) -> Any:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for argument in getattr(annotation, "__args__", ()):
        found = _model_of(argument)
        if found is not None:
            return found
    return None


def _read_yaml(path: Path, label: str) -> tuple[Any, list[str]]:
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8")), []
    except OSError as error:
        return None, [f"{label}: cannot be read ({error.strerror}). Check the path and its permissions."]
    except yaml.YAMLError as error:
        return None, [f"{label}: not valid YAML ({error}). Fix the syntax and run again."]


# The project folder that holds the shipped model and resources (the parent of pipeline/).
PROJECT = RESOURCES.parents[2]


def _resolve(value: str, base: Path) -> str:
    """``value`` as a path the current folder can open.

    A relative path is taken from ``base``, the params file's folder; where nothing is there, a
    path the project ships (``pipeline/diskurs/resources/frames.yaml``, ``models/nb_diskurs_sm``) is taken
    from the project, so a copy of params.yaml in another folder still finds them.
    """
    path = Path(os.path.expanduser(value))
    if path.is_absolute():
        return str(path)
    folder = PROJECT if not (base / path).exists() and (PROJECT / path).exists() else base
    relative = os.path.relpath(folder.resolve(), Path.cwd().resolve())
    return os.path.normpath(os.path.join(relative, path)) if relative != "." else str(path)


def read_params(path: Path | str) -> dict:
    """``params.yaml`` checked against the schema, with defaults filled in and paths resolved.

    Relative paths are taken from the params file's folder, so a run from another folder (a
    notebook's, say) reads the same files as ``dvc repro`` in the project. Raises SettingsError.
    """
    path = Path(path)
    label = str(path)
    if not path.is_file():
        raise SettingsError(
            [
                f"{label}: parameters file not found. Run from the project folder, or pass --params "
                "with the path of a params.yaml (the project's shows every key with its meaning)."
            ]
        )
    data, problems = _read_yaml(path, label)
    if problems:
        raise SettingsError(problems)
    return validate_params(data, path.parent, label)


def validate_params(data: Any, folder: Path, label: str) -> dict:
    """Parameters read from YAML (or built in Python) checked against the schema, with defaults
    filled in and relative paths taken from ``folder``. Raises SettingsError naming ``label``."""
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise SettingsError(
            [f"{label}: expected a mapping of sections (corpus:, ingest: …), found {type(data).__name__}."]
        )
    try:
        params = Params.model_validate(data).model_dump(mode="json")
    except ValidationError as error:
        raise SettingsError(_problems(label, error, Params, data)) from None
    for section, key in PATH_KEYS:
        if params[section][key] is not None:
            params[section][key] = _resolve(params[section][key], folder)
    # A model is a folder, taken from the params file's folder, or else an installed package.
    model = _resolve(params["nlp"]["model"], folder)
    if Path(model).is_dir():
        params["nlp"]["model"] = model
    return params


def absolute_paths(params: dict) -> dict:
    """``params`` with every file and folder they name as an absolute path, for a process that
    may have started in another folder: a cluster's worker."""
    absolute = {name: dict(values) if isinstance(values, dict) else values for name, values in params.items()}
    for section, key in PATH_KEYS:
        value = absolute.get(section, {}).get(key)
        if value is not None:
            absolute[section][key] = str(Path(value).resolve())
    model = absolute.get("nlp", {}).get("model")
    if model and Path(model).is_dir():
        absolute["nlp"]["model"] = str(Path(model).resolve())
    return absolute


def check_files(params: dict, params_label: str = "params.yaml") -> None:
    """Check the files the parameters name: the actor list, lexicon, pattern library and model.

    Every problem is collected, so a user fixes them all in one go. Raises SettingsError.
    """
    problems = []
    for (section, key), schema, what in FILE_SCHEMAS:
        path = Path(params[section][key])
        setting = f"{section}.{key}"
        if not path.is_file():
            problems.append(
                f"{params_label}: {setting}: the {what} {path} does not exist. Give the path of an "
                f"existing file (the shipped one is {SHIPPED[key if key != 'pattern_file' else 'patterns']})."
            )
            continue
        data, read_problems = _read_yaml(path, str(path))
        problems += read_problems
        if read_problems:
            continue
        try:
            schema.model_validate(data if data is not None else {})
        except ValidationError as error:
            problems += _problems(str(path), error, schema, data)
    problems += _model_problems(params["nlp"]["model"], params_label)
    problems += _sheet_problems(params, params_label)
    if problems:
        raise SettingsError(problems)


def _sheet_problems(params: dict, params_label: str) -> list[str]:
    """The document sheet read as ingest will read it, and the columns compare.by names in it."""
    from diskurs.ingest.sheet import SheetError, read_sheet

    path = params["corpus"]["metadata"]
    if path is None:  # compare.by then compares nothing: see compare.stage.compared_columns
        return []
    if not Path(path).is_file():
        return [
            f"{params_label}: corpus.metadata: the document sheet {path} does not exist. Give the path of a "
            "CSV or .xlsx file with a 'file' column (see README, \"Comparisons\"), or set it to null for none."
        ]
    try:
        sheet = read_sheet(path)
    except SheetError as error:
        return error.problems
    unknown = [column for column in params["compare"]["by"] if column not in sheet.columns]
    if unknown:
        return [
            f"{params_label}: compare.by: {', '.join(unknown)} is no column of {path} (its columns: "
            f"{', '.join(sheet.columns) or 'none besides file, published and exclude'}). Add the column or fix the name."
        ]
    return []


def _model_problems(model: str, params_label: str) -> list[str]:
    """A spaCy pipeline is a folder with config.cfg and meta.json, or an installed package."""
    path = Path(model)
    if path.is_dir():
        missing = [name for name in ("config.cfg", "meta.json") if not (path / name).is_file()]
        if missing:
            return [
                f"{params_label}: nlp.model: {path} is no spaCy pipeline folder (no {', '.join(missing)}). "
                "Set nlp.model to the folder of a trained pipeline, e.g. models/nb_diskurs_sm in the project."
            ]
        return []
    if "/" not in model and importlib.util.find_spec(model.replace("-", "_")) is not None:
        return []
    return [
        f"{params_label}: nlp.model: {model} is neither a folder nor an installed spaCy pipeline. "
        "Set nlp.model to the pipeline's folder (the project ships models/nb_diskurs_sm; a relative "
        "path is taken from the params file's folder) or to an installed package name such as nb_core_news_sm."
    ]
