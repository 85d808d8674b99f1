"""Loading the spaCy pipeline named by ``nlp.model`` and describing it for the reports."""

from __future__ import annotations

import hashlib
from pathlib import Path

import click
import spacy
from spacy.language import Language

DEFAULT_MODEL = "models/nb_diskurs_sm"
# Files beside the weights that describe a model rather than make it; they do not enter its checksum.
NOT_HASHED = frozenset({"metrics.json", "README.md"})


class ModelNotFoundError(click.ClickException):
    """The configured model is neither a pipeline folder nor an installed package."""


def model_folder(name_or_path: str | Path) -> Path:
    """The pipeline folder of a model given as a folder or an installed package name."""
    path = Path(name_or_path)
    if path.is_dir():
        if not (path / "config.cfg").is_file():
            raise ModelNotFoundError(
                f"{path}: this folder holds no spaCy pipeline (config.cfg is missing). Point the "
                f"`nlp.model` parameter in params.yaml at a pipeline folder such as {DEFAULT_MODEL}."
            )
        return path
    name = str(name_or_path)
    if spacy.util.is_package(name):
        root = spacy.util.get_package_path(name)
        # A package keeps its pipeline in a versioned folder beside its Python code.
        return next((folder for folder in sorted(root.iterdir()) if (folder / "config.cfg").is_file()), root)
    if path.parent != Path("."):
        raise ModelNotFoundError(
            f"{path}: no such pipeline folder. Restore it (`git checkout -- {path}` for the shipped "
            f"model, or train one, see models/README.md), or set the `nlp.model` parameter in "
            f"params.yaml to a pipeline folder or an installed package such as nb_core_news_sm."
        )
    raise ModelNotFoundError(
        f"spaCy model '{name}' not found: it is neither a pipeline folder nor an installed package. "
        f"Install the package (e.g. `pip install {name}` from a wheel, or "
        f"`python -m spacy download {name}`), or set the `nlp.model` parameter in params.yaml to the "
        f"project's own model, {DEFAULT_MODEL}."
    )


def load_model(name_or_path: str | Path) -> Language:
    """Load a spaCy pipeline from a folder or an installed package name such as ``nb_core_news_sm``."""
    return spacy.load(model_folder(name_or_path))


def model_dir(nlp: Language) -> Path | None:
    """The folder a loaded pipeline was read from (inside the package for an installed one)."""
    path = getattr(nlp, "path", None)
    return Path(path) if path is not None else None


def checksum(folder: Path | str) -> str:
    """SHA-256 over the relative paths and contents of every model file, in a fixed order."""
    folder = Path(folder)
    digest = hashlib.sha256()
    for file in sorted(p for p in folder.rglob("*") if p.is_file() and p.name not in NOT_HASHED):
        digest.update(file.relative_to(folder).as_posix().encode("utf-8") + b"\0")
        with open(file, "rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
        digest.update(b"\0")
    return digest.hexdigest()


def model_info(nlp: Language, path: Path | str | None = None) -> dict:
    """Name, version and checksum of a loaded pipeline, for reports/metrics.json."""
    folder = Path(path) if path is not None else model_dir(nlp)
    return describe_folder(folder, {"lang": nlp.lang, **nlp.meta}, list(nlp.pipe_names))


def describe_folder(folder: Path | None, meta: dict | None = None, pipeline: list[str] | None = None) -> dict:
    """Name, version and checksum of a pipeline folder, read from its meta.json without loading it."""
    if meta is None:
        meta = spacy.util.load_meta(folder / "meta.json")
    name = meta.get("name", "")
    lang = meta.get("lang", "")
    full_name = name if name.startswith(f"{lang}_") else f"{lang}_{name}"
    return {
        "name": full_name,
        "version": meta.get("version", ""),
        "spacy_version": meta.get("spacy_version", ""),
        "pipeline": pipeline if pipeline is not None else list(meta.get("pipeline", [])),
        "sha256": checksum(folder) if folder is not None and folder.is_dir() else None,
    }
