"""Reading the annotate stage's output, the one corpus every later stage reads."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

import click
import spacy
import srsly
from spacy.tokens import Doc, DocBin
from spacy.vocab import Vocab


# srsly's msgpack_loads and msgpack_dumps look up their extension plugins (NumPy arrays) on every
# call, a millisecond each; document metadata is plain msgpack and needs none. The packer writes
# what msgpack_dumps writes.
_PACKER = srsly.msgpack.Packer(use_bin_type=True)


def skip_srsly_plugin_lookups() -> None:
    """Look srsly's msgpack plugins up once for the process instead of on every call.

    DocBin's ``from_bytes`` and ``get_docs`` go through msgpack_loads, which asks the installed
    packages' entry points and then scans catalogue's whole registry for plugins: about 2.5 ms a
    call, seconds when a stage reads hundreds of cached entries or builds hundreds of Docs.
    Packages are not installed and no plugin is registered while a stage runs, so each registry
    answers with what it holds now. Where a package provides a plugin through an entry point,
    nothing changes.
    """
    for registry in (srsly.msgpack.msgpack_encoders, srsly.msgpack.msgpack_decoders):
        if registry.entry_points and not registry.get_entry_points():
            registry.entry_points = False
            plugins = registry.get_all()
            registry.get_all = lambda plugins=plugins: dict(plugins)


def pack_metadata(metadata: dict) -> bytes:
    """A document's metadata as the annotated DocBin stores it (its ``user_data``)."""
    return _PACKER.pack(metadata)


def unpack_metadata(data: bytes) -> dict:
    return srsly.msgpack.unpackb(data, raw=False, use_list=False, object_pairs_hook=dict) if data else {}


@dataclass
class AnnotatedEntry:
    """One document of the annotated corpus: its metadata at once, its Doc only when asked for.

    ``key`` names the annotation (pipeline and text), so a later stage can keep what it computed
    from a Doc under that key and skip building the Doc on the next run.
    """

    metadata: dict
    _docbin: DocBin
    _index: int
    _vocab: Vocab

    @property
    def key(self) -> str:
        return str(self.metadata.get("annotation", ""))

    def doc(self) -> Doc:
        source, i = self._docbin, self._index
        one = DocBin(store_user_data=True)
        one.attrs = source.attrs
        one.tokens, one.spaces, one.cats = [source.tokens[i]], [source.spaces[i]], [source.cats[i]]
        one.span_groups, one.flags, one.user_data = [source.span_groups[i]], [source.flags[i]], [source.user_data[i]]
        # The corpus's strings are already in the vocabulary (see annotated_entries).
        one.strings = set()
        return next(one.get_docs(self._vocab))


def annotated_entries(path: Path | str, vocab: Vocab | None = None) -> Iterator[AnnotatedEntry]:
    """Stream the documents of the annotate stage's DocBin as :class:`AnnotatedEntry`.

    A DocBin carries the strings of its lemmas, tags and labels, so a blank Norwegian vocabulary
    restores them without loading the model. They go into the string store only: spaCy's own
    reader would make a lexeme of every one of them, seconds of work on a large corpus.
    """
    path = Path(path)
    if not path.is_file():
        raise click.ClickException(f"{path}: annotated corpus not found. Run `diskurs annotate` (or `dvc repro`) first.")
    skip_srsly_plugin_lookups()
    vocab = vocab if vocab is not None else spacy.blank("nb").vocab
    docbin = DocBin(store_user_data=True).from_disk(path)
    for string in docbin.strings:
        vocab.strings.add(string)
    for index, user_data in enumerate(docbin.user_data):
        yield AnnotatedEntry(unpack_metadata(user_data), docbin, index, vocab)


def read_annotated(path: Path | str, vocab: Vocab | None = None) -> Iterator[Doc]:
    """Stream the Docs of the annotate stage's DocBin."""
    for entry in annotated_entries(path, vocab):
        yield entry.doc()
