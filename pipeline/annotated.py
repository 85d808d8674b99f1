"""Reading the annotate stage's output, the one corpus every later stage reads."""

from __future__ import annotations

from pathlib import Path
from typing import Iterator

import click
import spacy
from spacy.tokens import Doc, DocBin


def read_annotated(path: Path | str, vocab=None) -> Iterator[Doc]:
    """Stream the Docs of the annotate stage's DocBin.

    A DocBin carries the strings of its lemmas, tags and labels, so a blank Norwegian vocabulary
    restores them without loading the model.
    """
    path = Path(path)
    if not path.is_file():
        raise click.ClickException(f"{path}: annotated corpus not found. Run `diskurs annotate` (or `dvc repro`) first.")
    vocab = vocab if vocab is not None else spacy.blank("nb").vocab
    yield from DocBin(store_user_data=True).from_disk(path).get_docs(vocab)
