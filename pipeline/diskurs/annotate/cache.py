"""A per-document cache of annotated Docs, so adding a document re-annotates only that document.

Each entry is one Doc in its own DocBin file, named by the SHA-256 of the clean text, in a folder
named by the pipeline key: the model's checksum, the pipeline's config, the rulers' serialised
patterns and the spaCy version. A new model or actor list therefore starts a new folder, and the old one is
pruned after the run. An entry's only user data is its own text key, so an entry copied or
written under another name is no hit; the stage sets the metadata from the current clean record,
so a renamed or re-dated file still hits. Deleting the cache is always safe; it only costs time.
"""

from __future__ import annotations

import json
from importlib.metadata import version
from pathlib import Path

import spacy
import srsly
from spacy.language import Language
from spacy.tokens import Doc, DocBin

from diskurs.annotate import pipeline as pipeline_module
from diskurs.annotate.pipeline import RULERS
from diskurs.cache import KeyedCache, code_digests, digest
from diskurs.nlp import ordbank
from diskurs.nlp.loader import checksum, model_dir

# The code the annotation depends on besides the model: dvc.yaml lists its files among the
# stage's deps (tested).
CODE = (pipeline_module, ordbank)

SUFFIX = ".spacy"
# The layout of an entry; a new layout starts a new cache folder.
ENTRY_FORMAT = 2


def text_key(text: str) -> str:
    """The cache key of a clean text: 128 bits of its SHA-256 rule out collisions in any corpus."""
    return digest(text)


# The token attributes diskurs reads; a pipeline that assigns more keeps those too (below).
# Leaving out what no component sets (heads and dependencies of a pipeline without a parser)
# makes the annotated corpus a third smaller and quicker to read.
READ_ATTRS = ("ORTH", "LEMMA", "POS", "SENT_START", "ENT_IOB", "ENT_TYPE", "ENT_ID")
ASSIGNED_ATTRS = {
    "token.morph": ("MORPH",),
    "token.tag": ("TAG",),
    "token.dep": ("HEAD", "DEP"),
    "token.head": ("HEAD", "DEP"),
    "token.ent_kb_id": ("ENT_KB_ID",),
}


def docbin_attrs(nlp: Language) -> tuple[str, ...]:
    """The attributes stored of each token: those diskurs reads and any the pipeline assigns."""
    assigned = {name for pipe in nlp.pipe_names for name in nlp.get_pipe_meta(pipe).assigns}
    extra = {attr for name in assigned for attr in ASSIGNED_ATTRS.get(name, ())}
    return READ_ATTRS + tuple(sorted(extra))


def pipeline_key(nlp: Language) -> str:
    """What decides a Doc's annotation besides its text, as 16 hex digits: the model, the
    pipeline's config (every component diskurs adds and its settings) and the rulers' patterns
    as they serialise."""
    folder = model_dir(nlp)
    described = {
        "entry_format": ENTRY_FORMAT,
        # A pipeline not read from a folder (a blank one) is defined by its config alone.
        "model": checksum(folder) if folder is not None and folder.is_dir() else "",
        "config": nlp.config.to_str(),
        "rulers": {name: digest(nlp.get_pipe(name).to_bytes()) for name in RULERS},
        "attrs": list(docbin_attrs(nlp)),
        # The components diskurs adds (paragraph sentence starts, lemma repair, rulers) change with
        # its code, and the lemma repair with the Ordbank tables.
        "components": code_digests(*CODE),
        "lookups": version("spacy-lookups-data"),
        "spacy": spacy.__version__,
    }
    serialised = json.dumps(described, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return digest(serialised, 16)


class AnnotationCache(KeyedCache):
    """The annotated Docs of one pipeline key, one DocBin file per clean text."""

    def __init__(self, root: Path, key: str, attrs: tuple[str, ...] = READ_ATTRS):
        super().__init__(root, key, SUFFIX)
        self.attrs = attrs

    def load(self, key: str) -> tuple[bytes, DocBin] | None:
        """The cached DocBin of the text with ``key``, as bytes and read, or None when the entry
        is missing, unreadable or of another text. Its Doc is left serialised: writing the corpus
        needs no Doc objects."""
        data = self.read_bytes(key)
        if data is None:
            return None
        try:
            entry = DocBin(store_user_data=True).from_bytes(data)
            valid = len(entry) == 1 and srsly.msgpack_loads(entry.user_data[0]) == {"text_key": key}
        # A damaged or truncated entry can fail in zlib, msgpack or numpy with many error types;
        # whatever the failure, the document is annotated afresh and the entry rewritten.
        except Exception:
            valid = False
        if not valid:
            self.used.discard(key)
            return None
        return data, entry

    def keep(self, key: str) -> None:
        """Keep the entry of ``key`` through :meth:`prune` without reading it."""
        self.used.add(key)

    def store(self, key: str, doc: Doc) -> None:
        doc.user_data.clear()
        doc.user_data["text_key"] = key
        self.write_bytes(key, DocBin(attrs=self.attrs, docs=[doc], store_user_data=True).to_bytes())
