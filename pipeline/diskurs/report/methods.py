"""What the methods section cites: the model, its scores, DVC's input checksums, software versions."""

from __future__ import annotations

import json
import platform
from importlib import metadata
from pathlib import Path

import yaml

# Packages whose versions shape the results, in the order the report lists them.
SOFTWARE = ("diskurs", "spacy", "scikit-learn", "numpy", "pandas", "justext", "networkx", "matplotlib", "jinja2", "dvc")
# Scores of the evaluate-model command that the report quotes, with English names.
SCORES = (
    ("ents_f", "Entities F1"),
    ("ents_p", "Entities precision"),
    ("ents_r", "Entities recall"),
    ("pos_acc", "UPOS accuracy"),
    ("lemma_acc", "Lemma accuracy"),
    ("sents_f", "Sentence boundaries F1"),
)


def model_description(model: str | Path) -> dict:
    """Name, version, checksum and pipeline of the configured model, or an ``error`` saying why not.

    Read from the model's folder with the loader the annotate stage uses, so the two always
    agree, without loading its weights a second time.
    """
    from diskurs.nlp.loader import ModelNotFoundError, describe_folder, model_folder

    try:
        folder = model_folder(model)
        info = describe_folder(folder)
    except (ModelNotFoundError, OSError, ValueError) as error:
        return {"reference": str(model), "error": str(getattr(error, "message", error))}
    info["reference"] = str(model)
    info["scores"] = model_scores(folder / "metrics.json")
    return info


def model_scores(path: Path) -> list[tuple[str, float]]:
    """The scores in the model's metrics.json as (English name, value); none when it is absent."""
    if not path.is_file():
        return []
    scores = json.loads(path.read_text(encoding="utf-8"))
    return [(name, float(scores[key])) for key, name in SCORES if isinstance(scores.get(key), (int, float))]


def dvc_checksums(lock: Path, running: str = "report") -> list[dict]:
    """The dependencies DVC recorded for each stage (path and hash), code folders left out.

    The ``running`` stage's own entry is the previous run's until DVC records this one, so it is
    left out: the report must not depend on what ran before it.
    """
    if not lock.is_file():
        return []
    stages = (yaml.safe_load(lock.read_text(encoding="utf-8")) or {}).get("stages") or {}
    rows = []
    for stage, body in sorted(stages.items()):
        if stage == running:
            continue
        for dep in (body or {}).get("deps") or []:
            path = str(dep.get("path", ""))
            if path.startswith("pipeline/"):
                continue
            digest = dep.get("md5") or dep.get("hash") or dep.get("etag") or ""
            rows.append({"stage": stage, "path": path, "md5": str(digest), "files": dep.get("nfiles", "")})
    return rows


def software_versions() -> list[tuple[str, str]]:
    versions = [("python", platform.python_version())]
    for package in SOFTWARE:
        try:
            versions.append((package, metadata.version(package)))
        except metadata.PackageNotFoundError:
            versions.append((package, "not installed"))
    return versions
