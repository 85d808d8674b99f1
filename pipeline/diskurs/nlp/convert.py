"""Converting a folder of NDT files into a spaCy DocBin for ``spacy train``."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import spacy
from spacy.tokens import DocBin

from diskurs.io import atomic_path, write_jsonl
from diskurs.nlp.ndt import docs_from_folder


def convert_folder(folder: Path | str, output: Path | str, lang: str = "nb") -> tuple[int, int]:
    """Write one Doc per NDT file of ``folder`` to ``output``; return (documents, tokens)."""
    vocab = spacy.blank(lang).vocab
    docbin = DocBin(attrs=["ORTH", "SPACY", "POS", "MORPH", "LEMMA", "SENT_START", "ENT_IOB", "ENT_TYPE"])
    documents = tokens = 0
    for doc in docs_from_folder(vocab, folder):
        docbin.add(doc)
        documents += 1
        tokens += len(doc)
    with atomic_path(output) as tmp:
        docbin.to_disk(tmp)
    return documents, tokens


def sentence_texts(folder: Path | str, lang: str = "nb") -> Iterator[dict]:
    """The running text of every sentence in ``folder``, as ``{"text": ...}`` records."""
    vocab = spacy.blank(lang).vocab
    for doc in docs_from_folder(vocab, folder):
        for sent in doc.sents:
            yield {"text": sent.text}


def write_raw_text(folder: Path | str, output: Path | str) -> int:
    """Write the sentences of ``folder`` as JSON Lines for ``spacy pretrain``; return how many."""
    return write_jsonl(output, sentence_texts(folder))
