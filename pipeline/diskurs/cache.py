"""Per-document caches of stage results, so that a re-run redoes only the work of new documents.

A cache is a folder of entries, one file each, named by the SHA-256 of what the entry was
computed from (a file's bytes, a document's annotation), inside a folder named by everything
else that decides the result: the stage's code, its parameters and the versions of the
libraries it calls. Changing any of these starts a new folder, and after each run ``prune``
removes the entries the run did not use and the folders of other keys. Entries are written
atomically, and one that cannot be read is a miss, so deleting a cache, or a damaged entry, only
costs time.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from collections.abc import Callable, Iterable
from importlib.metadata import version
from pathlib import Path
from types import ModuleType
from typing import Any, TypeVar

from diskurs.io import atomic_path


def digest(data: bytes | str, length: int = 32) -> str:
    """The first ``length`` hex digits of the SHA-256 of ``data``: 128 bits rule out collisions."""
    if isinstance(data, str):
        data = data.encode("utf-8")
    return hashlib.sha256(data).hexdigest()[:length]


def module_files(module: ModuleType) -> list[Path]:
    """A module's source file; a package's are every module in its folder."""
    path = Path(module.__file__)
    return sorted(path.parent.glob("*.py")) if path.name == "__init__.py" else [path]


def code_digests(*modules: ModuleType) -> list[str]:
    """The SHA-256 of each module's source (see :func:`module_files`)."""
    return [
        f"{file.parent.name}/{file.name}:{digest(file.read_bytes())}"
        for module in modules
        for file in module_files(module)
    ]


def cache_key(code: Iterable[ModuleType], settings: Any, packages: Iterable[str] = ()) -> str:
    """The folder key of a cache: code, settings (JSON-serialisable) and package versions."""
    described = {
        "code": code_digests(*code),
        "settings": settings,
        "packages": {name: version(name) for name in sorted(packages)},
    }
    return digest(json.dumps(described, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str), 16)


T = TypeVar("T")


def _json_bytes(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


class KeyedCache:
    """The entries of one cache key under ``root``; remembers which ones this run used and how
    many :meth:`fetch` found (``hits``) or had to compute (``misses``)."""

    def __init__(self, root: Path, key: str, suffix: str):
        self.root = Path(root)
        self.folder = self.root / key
        self.suffix = suffix
        self.used: set[str] = set()
        self.hits = self.misses = 0

    def fetch(
        self,
        key: str | None,
        compute: Callable[[], T],
        load: Callable[[Any], T] = lambda stored: stored,
        dump: Callable[[T], Any] = lambda value: value,
        encode: Callable[[Any], bytes] = _json_bytes,
        decode: Callable[[bytes], Any] = json.loads,
    ) -> tuple[T, bool]:
        """The value kept under ``key`` and True, else ``compute()``'s, kept for the next run, and False.

        ``dump`` turns a value into what is stored (None: keep nothing, e.g. a failure) and
        ``load`` back; by default what is stored is the value, as JSON. An entry that is
        missing, damaged, or that ``load`` rejects by raising (an older shape, or a result whose
        premises no longer hold) is computed again and overwritten. A ``key`` of None, for
        something with nothing to key on, is always computed and never kept.
        """
        data = self.read_bytes(key) if key else None
        if data is not None:
            try:
                value = load(decode(data))
            except Exception:  # a damaged or stale entry of any kind is a miss
                self.used.discard(key)
            else:
                self.hits += 1
                return value, True
        self.misses += 1
        value = compute()
        stored = dump(value) if key else None
        if stored is not None:
            self.write_bytes(key, encode(stored))
        return value, False

    def path(self, key: str) -> Path:
        return self.folder / f"{key}{self.suffix}"

    def has(self, key: str) -> bool:
        return self.path(key).is_file()

    def read_bytes(self, key: str) -> bytes | None:
        """The entry's bytes, or None when it is missing; a read marks the entry as used."""
        try:
            data = self.path(key).read_bytes()
        except OSError:
            return None
        self.used.add(key)
        return data

    def write_bytes(self, key: str, data: bytes) -> None:
        # No sweep per entry: prune() removes every file of the folder this run did not use,
        # leftovers of killed writes included.
        with atomic_path(self.path(key), sweep=False) as tmp:
            tmp.write_bytes(data)
        self.used.add(key)

    def read_json(self, key: str) -> Any | None:
        """The entry as JSON, or None when it is missing or unreadable."""
        data = self.read_bytes(key)
        if data is None:
            return None
        try:
            return json.loads(data)
        except ValueError:
            self.used.discard(key)
            return None

    def write_json(self, key: str, value: Any) -> None:
        self.write_bytes(key, _json_bytes(value))

    def prune(self) -> int:
        """Delete the entries this run did not use and the folders of other keys; return how many."""
        removed = 0
        if self.folder.is_dir():
            for path in self.folder.iterdir():
                if path.name.removesuffix(self.suffix) not in self.used:
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
