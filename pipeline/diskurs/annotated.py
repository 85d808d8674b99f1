"""The annotate stage's output, the one corpus every later stage reads.

It is a folder: one DocBin file per annotated text, ``<annotation>.spacy``, named by the
document's annotation key (pipeline and text), and ``index.jsonl``, one line per document in
corpus order with its metadata and its counts of tokens, sentences and entities. A later stage
reads the index at once and a document's file only when it needs its Doc, so the corpus is never
held in memory, and a re-run that adds a document writes that document's file and the index
only.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import click
import spacy
import srsly
from spacy.attrs import ENT_IOB, SENT_START
from spacy.tokens import Doc, DocBin
from spacy.vocab import Vocab

from diskurs.io import atomic_path, read_jsonl, write_jsonl

INDEX = "index.jsonl"
SUFFIX = ".spacy"


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


@dataclass
class AnnotatedEntry:
    """One document of the annotated corpus: its metadata at once, its Doc only when asked for.

    ``key`` names the annotation (pipeline and text), so a later stage can keep what it computed
    from a Doc under that key and skip building the Doc on the next run.
    """

    metadata: dict
    _folder: Path
    _vocab: Vocab

    @property
    def key(self) -> str:
        return str(self.metadata.get("annotation", ""))

    def doc(self) -> Doc:
        """The document's Doc, its ``user_data`` the metadata.

        A DocBin carries the strings of its lemmas, tags and labels, so a blank Norwegian
        vocabulary restores them without loading the model. They go into the string store only:
        spaCy's own reader would make a lexeme of every one of them.
        """
        path = self._folder / f"{self.key}{SUFFIX}"
        try:
            docbin = DocBin(store_user_data=True).from_bytes(path.read_bytes())
        except OSError as error:
            raise click.ClickException(
                f"{path}: cannot read this document of the annotated corpus ({error}). "
                "Run `diskurs annotate` (or `dvc repro`) again."
            ) from error
        for string in docbin.strings:
            self._vocab.strings.add(string)
        docbin.strings = set()
        doc = next(docbin.get_docs(self._vocab))
        doc.user_data.clear()
        doc.user_data.update(self.metadata)
        return doc


def annotated_entries(folder: Path | str, vocab: Vocab | None = None) -> Iterator[AnnotatedEntry]:
    """Stream the documents of the annotated corpus in ``folder`` as :class:`AnnotatedEntry`."""
    folder = Path(folder)
    index = folder / INDEX
    if not index.is_file():
        raise click.ClickException(
            f"{index}: annotated corpus not found. Run `diskurs annotate` (or `dvc repro`) first."
        )
    skip_srsly_plugin_lookups()
    vocab = vocab if vocab is not None else spacy.blank("nb").vocab
    for line in read_jsonl(index):
        yield AnnotatedEntry(line["metadata"], folder, vocab)


class DocumentMap:
    """The map half of a stage: a result per annotated document, kept in ``cache`` under
    :meth:`cache_key`. Subclasses compute it in ``__call__``; :mod:`diskurs.compute` runs them on
    a cluster by ``entries()``, ``cache_key``, ``cache`` and ``vocab``."""

    def __init__(self, folder: Path, cache, vocab: Vocab | None = None):
        self.cache = cache
        self.vocab = vocab if vocab is not None else spacy.blank("nb").vocab
        self._annotated = Path(folder)

    def entries(self) -> Iterator[AnnotatedEntry]:
        return annotated_entries(self._annotated, self.vocab)

    def cache_key(self, entry: AnnotatedEntry) -> str | None:
        """The key of the document's result: its annotation key, unless the result depends on
        more of the document than its annotated text."""
        return entry.key or None


def read_annotated(folder: Path | str, vocab: Vocab | None = None) -> Iterator[Doc]:
    """Stream the Docs of the annotated corpus."""
    for entry in annotated_entries(folder, vocab):
        yield entry.doc()


def docbin_counts(docbin: DocBin) -> dict[str, int]:
    """Tokens, sentences and entities of a one-Doc DocBin, read from its arrays."""
    tokens = docbin.tokens[0]
    if not len(tokens):
        return {"tokens": 0, "sentences": 0, "entities": 0}
    starts = tokens[:, docbin.attrs.index(SENT_START)].astype("int64")
    # The first token starts a sentence even where the array leaves it unset.
    sentences = int((starts == 1).sum()) + int(starts[0] != 1)
    entities = int((tokens[:, docbin.attrs.index(ENT_IOB)] == 3).sum())
    return {"tokens": len(tokens), "sentences": sentences, "entities": entities}


class AnnotatedWriter:
    """Writes the annotated corpus folder (see the module documentation).

    A document whose file the folder already holds, under the same annotation key and listed in
    the previous index, is not written again. The index is written last, in one atomic step, and
    only then are the files it no longer lists removed: a run killed midway leaves the previous
    corpus readable.
    """

    def __init__(self, folder: Path | str):
        self.folder = Path(folder)
        self.folder.mkdir(parents=True, exist_ok=True)
        self._known: dict[str, dict] = {}
        index = self.folder / INDEX
        try:
            for line in read_jsonl(index) if index.is_file() else ():
                key = str(line["metadata"]["annotation"])
                if (self.folder / f"{key}{SUFFIX}").is_file():
                    self._known[key] = dict(line["counts"])
        # An index this stage did not write, or one edited by hand: every file is written afresh.
        except (ValueError, KeyError, TypeError):
            self._known = {}
        self._lines: list[dict] = []
        self._listed: set[str] = set()

    def add(self, metadata: dict, entry: Callable[[], tuple[bytes, DocBin]]) -> dict[str, int]:
        """Add a document; ``entry()`` gives its one-Doc DocBin as bytes and read, and is called
        only when the folder does not hold it yet. Returns the document's counts."""
        key = str(metadata["annotation"])
        counts = self._known.get(key)
        if counts is None:
            data, docbin = entry()
            with atomic_path(self.folder / f"{key}{SUFFIX}", sweep=False) as tmp:
                tmp.write_bytes(data)
            counts = self._known[key] = docbin_counts(docbin)
        self._lines.append({"metadata": metadata, "counts": counts})
        self._listed.add(f"{key}{SUFFIX}")
        return counts

    def close(self) -> None:
        """Write the index, then remove what it does not list (files of earlier runs, leftovers
        of killed writes)."""
        write_jsonl(self.folder / INDEX, self._lines)
        for path in self.folder.iterdir():
            if path.name != INDEX and path.name not in self._listed:
                path.unlink()
