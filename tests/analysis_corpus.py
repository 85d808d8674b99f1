"""The real corpus as annotated Docs for the theme, frame and quote tests.

Two pipelines: a blank Norwegian one (tokens and sentences, no lemmas, tags or entities), which
exercises the pure logic on real text in a second, and the project's model when it has been
trained (models/nb_diskurs_sm, or the folder in DISKURS_TEST_MODEL), which is what the stages see in production.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import spacy
from spacy.tokens import DocBin

from conftest import TEST_MODEL
from diskurs.annotated import AnnotatedWriter
from diskurs.cache import digest
from diskurs.normalise import normalise

REPO = Path(__file__).resolve().parents[1]
MODEL = TEST_MODEL
PIPELINES = ["blank", "model"]


def make_nlp(kind: str):
    if kind == "blank":
        from diskurs.annotate.pipeline import PARAGRAPHS

        nlp = spacy.blank("nb")
        nlp.add_pipe(PARAGRAPHS)
        nlp.add_pipe("sentencizer")
        return nlp
    if not (MODEL / "config.cfg").is_file():
        pytest.skip(f"{MODEL} is absent: train the model (models/train/dvc.yaml) to run the model variant")
    from diskurs.annotate.pipeline import prepare_pipeline
    from diskurs.entities.actors import load_actors

    return prepare_pipeline(spacy.load(MODEL), load_actors(None))


def corpus_docs(nlp, folder: Path):
    """One Doc per real document, normalised as the clean stage does, with doc_id and source."""
    docs = []
    for path in sorted(folder.glob("*.txt")):
        doc = nlp(normalise(path.read_text(encoding="utf-8")))
        doc.user_data.update({"doc_id": path.stem, "source": path.name})
        docs.append(doc)
    return docs


def write_docbin(docs, folder: Path) -> None:
    """The Docs as the annotated corpus in ``folder``, their ``user_data`` the metadata; a Doc
    without an ``annotation`` key gets one from its text and metadata."""
    writer = AnnotatedWriter(folder)
    for doc in docs:
        metadata = dict(doc.user_data)
        data = DocBin(docs=[doc]).to_bytes()
        metadata.setdefault("annotation", digest(json.dumps([doc.text, metadata], sort_keys=True, default=str)))
        writer.add(metadata, lambda data=data: (data, DocBin().from_bytes(data)))
    writer.close()


def blank_annotated(folder: Path, root: Path):
    """A results folder under ``root`` whose annotated corpus is ``folder``'s texts through the
    blank pipeline: what the frames map, coding sheets and agreement read, in a second."""
    from diskurs.layout import Layout

    layout = Layout(root)
    write_docbin(corpus_docs(make_nlp("blank"), folder), layout.annotated)
    return layout


def run_through(folder: Path, model_path: Path, root: Path, *stages: str, metadata: Path | None = None, by=()):
    """The real stages ingest, clean, annotate, then ``stages`` (of entities, frames …) on
    ``folder`` with the project's params, the model at ``model_path`` and the document sheet
    ``metadata`` (none by default: the project's describes its own corpus), compared by the
    sheet's columns ``by``; the results' layout."""
    import importlib

    from diskurs.ingest.stage import run_ingest
    from diskurs.layout import Layout
    from diskurs.params import load_params

    params = load_params(REPO / "params.yaml")
    params["nlp"] = {**params["nlp"], "model": str(model_path)}
    params["corpus"] = {"input": str(folder), "metadata": None if metadata is None else str(metadata)}
    params["compare"] = {**params["compare"], "by": list(by)}
    layout = Layout(root)
    run_ingest(folder, layout, params)
    for stage in ("clean", "annotate", *stages):
        getattr(importlib.import_module(f"diskurs.{stage}.stage"), f"run_{stage}")(layout, params)
    return layout
