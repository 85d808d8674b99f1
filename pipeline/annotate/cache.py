"""A per-document cache of annotated Docs, so adding a document re-annotates only that document.

Each entry is one Doc in its own DocBin file, named by the SHA-256 of the clean text, in a folder
named by the pipeline key: the model's checksum, the actor ruler's patterns, the component names
and the spaCy version. A new model or actor list therefore starts a new folder, and the old one is
pruned after the run. Entries hold no metadata: the stage sets it from the current clean record,
so a renamed or re-dated file still hits. Deleting the cache is always safe; it only costs time.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from importlib.metadata import version
from pathlib import Path

import spacy
from spacy.language import Language
from spacy.tokens import Doc, DocBin
from spacy.vocab import Vocab

from pipeline.annotate import pipeline as pipeline_module
from pipeline.entities.actors import ActorList
from pipeline.nlp import ordbank
from pipeline.io import atomic_path
from pipeline.nlp.loader import checksum, model_dir

SUFFIX = ".spacy"


def text_key(text: str) -> str:
    """The cache key of a clean text: 128 bits of its SHA-256 rule out collisions in any corpus."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


def pipeline_key(nlp: Language, actors: ActorList) -> str:
    """What decides a Doc's annotation besides its text, as 16 hex digits."""
    folder = model_dir(nlp)
    # A pipeline not read from a folder (a blank one) is defined by its config alone.
    model = checksum(folder) if folder is not None and folder.is_dir() else nlp.config.to_str()
    described = {
        "model": model,
        "ruler_patterns": actors.ruler_patterns(),
        "shape_patterns": actors.shape_patterns(),
        "pipe_names": list(nlp.pipe_names),
        # The components diskurs adds (paragraph sentence starts, lemma repair, rulers) change with
        # its code, and the lemma repair with the Ordbank tables.
        "components": [
            hashlib.sha256(Path(module.__file__).read_bytes()).hexdigest() for module in (pipeline_module, ordbank)
        ],
        "lookups": version("spacy-lookups-data"),
        "spacy": spacy.__version__,
    }
    serialised = json.dumps(described, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(serialised.encode("utf-8")).hexdigest()[:16]


class AnnotationCache:
    """The entries of one pipeline key under ``root``; remembers which ones this run used."""

    def __init__(self, root: Path, key: str):
        self.root = Path(root)
        self.folder = self.root / key
        self.used: set[str] = set()

    def _path(self, key: str) -> Path:
        return self.folder / f"{key}{SUFFIX}"

    def has(self, key: str) -> bool:
        return self._path(key).is_file()

    def load(self, key: str, text: str, vocab: Vocab) -> Doc | None:
        """The cached Doc of ``text``, or None when the entry is missing, unreadable or of another text."""
        try:
            docs = list(DocBin().from_bytes(self._path(key).read_bytes()).get_docs(vocab))
        # A damaged or truncated entry can fail in zlib, msgpack or numpy with many error types;
        # whatever the failure, the document is annotated afresh and the entry rewritten.
        except Exception:
            return None
        if len(docs) != 1 or docs[0].text != text:
            return None
        self.used.add(key)
        return docs[0]

    def store(self, key: str, doc: Doc) -> None:
        # No sweep per entry: prune() removes every file of the folder this run did not use,
        # leftovers of killed writes included.
        with atomic_path(self._path(key), sweep=False) as tmp:
            DocBin(docs=[doc], store_user_data=False).to_disk(tmp)
        self.used.add(key)

    def prune(self) -> int:
        """Delete the entries this run did not use and the folders of other pipeline keys; return how many."""
        removed = 0
        if self.folder.is_dir():
            for path in self.folder.iterdir():
                if path.name.removesuffix(SUFFIX) not in self.used:
                    path.unlink()
                    removed += 1
        for other in self.root.iterdir() if self.root.is_dir() else ():
            if other == self.folder:
                continue
            if other.is_dir():
                removed += sum(1 for path in other.rglob("*") if path.is_file())
                shutil.rmtree(other)
            else:
                other.unlink()
                removed += 1
        return removed
