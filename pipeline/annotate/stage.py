"""The ``annotate`` stage: corpus/processed/clean.jsonl -> corpus/processed/annotated.spacy."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable, Iterator

import click
from spacy.language import Language
from spacy.tokens import Doc, DocBin
from tqdm import tqdm

from pipeline.annotate.pipeline import prepare_pipeline
from pipeline.entities.actors import load_actors
from pipeline.io import atomic_path, read_jsonl
from pipeline.layout import Layout
from pipeline.params import section

# What the entities stage needs from each clean record besides the text.
METADATA = ("doc_id", "source", "title", "published", "authors")


@dataclass
class AnnotateSummary:
    model: str
    documents: int = 0
    tokens: int = 0
    sentences: int = 0
    entities: int = 0
    skipped: list[tuple[str, str]] = field(default_factory=list)

    def describe(self) -> str:
        lines = [
            f"annotate: {self.documents} documents, {self.tokens} tokens, {self.sentences} sentences, "
            f"{self.entities} entities with {self.model}"
        ]
        lines += [f"  skipped {source}: {reason}" for source, reason in self.skipped]
        return "\n".join(lines)


def _inputs(records: Iterable[dict], max_length: int, skipped: list) -> Iterator[tuple[str, dict]]:
    for record in records:
        source = str(record.get("source", record.get("doc_id", "?")))
        text = record.get("text")
        if not isinstance(text, str):
            skipped.append((source, "no text field in the clean record"))
            continue
        if len(text) > max_length:
            skipped.append(
                (source, f"{len(text)} characters, more than nlp.max_length={max_length}; raise it in params.yaml")
            )
            continue
        yield text, {key: record.get(key) for key in METADATA}


def annotate(
    nlp: Language, records: Iterable[dict], batch_size: int, n_process: int, max_length: int, skipped: list
) -> Iterator[Doc]:
    """Docs in input order, each with doc_id, source, title, published and authors in user_data."""
    nlp.max_length = max(nlp.max_length, max_length)
    stream = _inputs(records, max_length, skipped)
    for doc, metadata in nlp.pipe(stream, as_tuples=True, batch_size=batch_size, n_process=n_process):
        doc.user_data.update(metadata)
        yield doc


def run_annotate(layout: Layout, params: dict) -> AnnotateSummary:
    from pipeline.nlp.loader import load_model

    settings = section(params, "nlp")
    if not layout.clean.is_file():
        raise click.ClickException(f"{layout.clean}: not found. Run `diskurs clean` first.")
    nlp = prepare_pipeline(load_model(settings["model"]), load_actors(section(params, "entities")["actors"]))
    summary = AnnotateSummary(model=str(settings["model"]))
    docbin = DocBin(store_user_data=True)
    docs = annotate(
        nlp,
        read_jsonl(layout.clean),
        int(settings["batch_size"]),
        int(settings["n_process"]),
        int(settings["max_length"]),
        summary.skipped,
    )
    for doc in tqdm(docs, desc="annotate", unit="doc"):
        docbin.add(doc)
        summary.documents += 1
        summary.tokens += len(doc)
        summary.sentences += sum(1 for _ in doc.sents) if len(doc) else 0
        summary.entities += len(doc.ents)
    with atomic_path(layout.annotated) as tmp:
        docbin.to_disk(tmp)
    return summary
