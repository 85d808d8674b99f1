"""Ingest results kept per file content, so that a re-run reads only new or changed files afresh.

Decoding, extraction, normalisation and the MinHash signature of a file depend on its bytes, its
ending, the ingest and normalise code, the shingle size and the libraries that read and repair
text; the cache key covers all of these. Only readable documents are kept: a file that failed is
read again each run, so its manifest reason always names it as it is now.
"""

from __future__ import annotations

from dataclasses import asdict
from pathlib import Path

import diskurs.ingest
import diskurs.normalise
from diskurs.cache import KeyedCache, cache_key, digest
from diskurs.ingest.dedup import NUM_PERM, Deduplicator
from diskurs.ingest.document import Ingested, ingest_file
from diskurs.ingest.readers import READERS, Limits

# The code a cached result depends on: dvc.yaml lists its files among the stage's deps (tested).
CODE = (diskurs.ingest, diskurs.normalise)

# The libraries whose output becomes a document's text.
PACKAGES = ("charset-normalizer", "datasketch", "ftfy", "markdown-it-py", "pypdf", "python-docx", "trafilatura")
# The fields of a readable document that do not depend on its name.
FIELDS = ("format", "reason", "encoding", "chars_in", "text", "metadata")


def ingest_cache(root: Path, shingle_size: int, limits: Limits) -> KeyedCache:
    # A document kept under generous limits must not be served once they are tightened.
    settings = {"shingle_size": shingle_size, "num_perm": NUM_PERM, **asdict(limits)}
    return KeyedCache(root, cache_key(CODE, settings, PACKAGES), ".json")


def cached_ingest(
    path: Path,
    source: str,
    sha256: str | None,
    extensions: set[str],
    limits: Limits,
    cache: KeyedCache,
    dedup: Deduplicator,
) -> tuple[Ingested, list[int] | None]:
    """The file read as :func:`ingest_file` reads it, and its MinHash signature if readable.

    ``sha256`` is the hex digest of the file's bytes, None when they could not be read.
    """
    if sha256 is None or not is_cached_kind(path, extensions):
        return ingest_file(path, source, extensions, limits), None

    def read() -> tuple[Ingested, list[int] | None]:
        item = ingest_file(path, source, extensions, limits)
        return item, dedup.signature(item.text) if item.status == "ok" else None

    def dump(found: tuple[Ingested, list[int] | None]) -> dict | None:
        # Only a readable document is kept: a failure costs little to meet again.
        item, signature = found
        if item.status != "ok":
            return None
        return {"item": {name: getattr(item, name) for name in FIELDS}, "signature": signature}

    def load(entry: dict) -> tuple[Ingested, list[int] | None]:
        return Ingested(source=source, status="ok", **entry["item"]), entry["signature"]

    found, _ = cache.fetch(entry_key(path, sha256), read, load=load, dump=dump)
    return found


def entry_key(path: Path, sha256: str) -> str:
    """The cache key of a file's reading: its bytes, and its ending, which picks the reader."""
    return digest(f"{path.suffix.lower()}\0{sha256}")


def is_cached_kind(path: Path, extensions: set[str]) -> bool:
    """Whether a file of this kind is read through the cache (one ingest reads at all)."""
    suffix = path.suffix.lower()
    return suffix in extensions and suffix in READERS
