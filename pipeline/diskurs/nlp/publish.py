"""Publishing a trained pipeline as the shipped model, only when it scores better on NER."""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from pathlib import Path

import click

from diskurs.io import FOLDER_MODE
from diskurs.nlp.loader import checksum

MODEL_NAME = "diskurs_sm"
LANG = "nb"
MAX_MB = 60
MAX_BYTES = MAX_MB * 1024 * 1024
META = {
    "description": (
        "Norwegian (bokmål) pipeline of the diskurs project: tok2vec, morphologizer (UPOS and UD "
        "features), edit-tree lemmatizer, sentence recogniser and named entities (NorNE's nine "
        "labels). CPU-optimised, with floret word vectors (subword-hashed, so every word has one)."
    ),
    "author": "diskurs",
    "license": (
        "MIT. The weights are the diskurs project's own, trained on the NorNE / Norwegian "
        "Dependency Treebank annotations (CC0), with word vectors trained on NoReC and Lovdata's "
        "laws and regulations; none of the underlying texts is included."
    ),
    "sources": [
        {
            "name": "NorNE bokmål: Norwegian Dependency Treebank with named entities (UD train/dev split)",
            "url": "https://github.com/ltgoslo/norne",
            "license": "CC0 1.0 (annotations)",
        },
        {
            "name": "NorNE nynorsk: the same annotations of nynorsk text, extra training data",
            "url": "https://github.com/ltgoslo/norne",
            "license": "CC0 1.0 (annotations)",
        },
        {
            "name": (
                "NoReC, the Norwegian Review Corpus (Velldal et al., LREC 2018), bokmål reviews: "
                "word vectors only; models and embeddings trained on it do not contain the data"
            ),
            "url": "https://github.com/ltgoslo/norec",
            "license": "CC BY-NC 4.0 (texts)",
        },
        {
            "name": "Norwegian laws and regulations in bokmål, Lovdata's open data: word vectors only",
            "url": "https://github.com/sstraume97/norwegian-laws",
            "license": "NLOD 2.0 (Norwegian Licence for Open Government Data), attribution",
        },
    ],
}


class PublishRefused(click.ClickException):
    """The candidate model does not beat the shipped one, or cannot be shipped."""


def _read_json(path: Path) -> dict:
    with open(path, encoding="utf-8") as handle:
        return json.load(handle)


def _folder_bytes(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def _clear_training_paths(config_file: Path) -> None:
    """Drop the training run's file paths from the shipped config: loading never uses them."""
    from spacy.util import load_config

    config = load_config(config_file, interpolate=False)
    config["paths"] = {key: None for key in config["paths"]}
    config.to_disk(config_file)


def _next_version(shipped_meta: Path) -> str:
    if not shipped_meta.is_file():
        return "1.0.0"
    major, minor, *_ = _read_json(shipped_meta).get("version", "1.0.0").split(".") + ["0", "0"]
    return f"{major}.{int(minor) + 1}.0"


def publish(source: Path, metrics: Path, target: Path, force: bool = False, version: str | None = None) -> dict:
    """Copy the pipeline in ``source`` and its ``metrics`` to ``target``; return the new meta.

    Refuses (PublishRefused) when the candidate's NER F1 does not beat the shipped model's
    ``metrics.json``, unless ``force``, and always when the model would exceed ``MAX_MB``.
    """
    source, metrics, target = Path(source), Path(metrics), Path(target)
    if not (source / "config.cfg").is_file():
        raise PublishRefused(f"{source}: not a spaCy pipeline folder (no config.cfg). Train one first.")
    if not metrics.is_file():
        raise PublishRefused(
            f"{metrics}: no metrics. Score the model first with "
            f"`diskurs evaluate-model --data DIR --model {source} --json {metrics}`."
        )
    new_scores = _read_json(metrics)
    shipped_metrics = target / "metrics.json"
    if shipped_metrics.is_file() and not force:
        old_f = _read_json(shipped_metrics).get("ents_f", 0.0)
        if new_scores["ents_f"] <= old_f:
            raise PublishRefused(
                f"{source}: NER F1 {new_scores['ents_f']:.4f} does not beat the shipped model's "
                f"{old_f:.4f} ({shipped_metrics}); nothing published. Pass --force to publish anyway."
            )
    size = _folder_bytes(source)
    if size > MAX_BYTES:
        raise PublishRefused(
            f"{source}: {size / 2**20:.1f} MB exceeds the {MAX_MB} MB limit for the shipped model. "
            "Reduce the vectors' rows or dimensions (models/train/params.yaml) or the embedding rows "
            "or width in the training config."
        )
    meta = _read_json(source / "meta.json")
    meta.update(META)
    meta["name"] = MODEL_NAME
    meta["lang"] = LANG
    meta["version"] = version or _next_version(target / "meta.json")
    meta["performance"] = {k: v for k, v in new_scores.items() if k != "ents_per_type"}
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=target.parent))
    os.chmod(staging, FOLDER_MODE)
    try:
        shutil.copytree(source, staging, dirs_exist_ok=True)
        _clear_training_paths(staging / "config.cfg")
        (staging / "meta.json").write_text(json.dumps(meta, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        # The scores now describe the shipped folder: name, version and checksum are its own.
        new_scores["model"] = {
            "name": f"{LANG}_{MODEL_NAME}",
            "version": meta["version"],
            "pipeline": meta.get("pipeline", []),
            "sha256": checksum(staging),
        }
        (staging / "metrics.json").write_text(
            json.dumps(new_scores, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
        )
        # Swap in the new folder only once it is complete, so a failure leaves the shipped model intact.
        retired = target.with_name(f".{target.name}.old")
        shutil.rmtree(retired, ignore_errors=True)
        if target.exists():
            target.rename(retired)
        staging.rename(target)
        shutil.rmtree(retired, ignore_errors=True)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return meta
