"""The ingest stage: every file under the input folder into documents.jsonl plus a manifest."""

from __future__ import annotations

import hashlib
import json
import sys
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import click
from tqdm import tqdm

from diskurs.cache import KeyedCache
from diskurs.compute import Engine, on_cluster
from diskurs.ingest import MANIFEST_COLUMNS
from diskurs.ingest.cache import cached_ingest, entry_key, ingest_cache, is_cached_kind
from diskurs.ingest.dedup import Deduplicator
from diskurs.ingest.document import doc_id
from diskurs.ingest.files import Entry, discover, shown
from diskurs.ingest.readers import Limits
from diskurs.ingest.sheet import DocumentSheet, SheetError, SheetRow, read_sheet
from diskurs.io import write_csv, write_jsonl
from diskurs.layout import Layout
from diskurs.params import same_folder
from diskurs.params import section as section_of
from diskurs.settings import absolute_paths

STATUSES = (
    "ok",
    "near_duplicate",
    "duplicate",
    "empty",
    "no_content",
    "unreadable",
    "unsupported",
    "excluded",
    "missing",
)
WRITTEN = ("ok", "near_duplicate")


@dataclass
class IngestSummary:
    counts: Counter = field(default_factory=Counter)
    documents_path: Path | None = None
    sheet: Path | None = None
    not_in_sheet: int = 0
    from_cache: int = 0
    failed_tasks: list[str] = field(default_factory=list)  # on the cluster; read here

    @property
    def files(self) -> int:
        return sum(self.counts.values())

    @property
    def documents(self) -> int:
        return sum(self.counts[status] for status in WRITTEN)

    def describe(self) -> str:
        parts = ", ".join(f"{status} {self.counts[status]}" for status in STATUSES if self.counts[status])
        lines = [
            f"ingest: {self.files} files ({parts or 'none'}); "
            f"{self.documents} documents written to {self.documents_path}"
        ]
        if self.counts["missing"]:
            lines.append(
                f"  {self.counts['missing']} file(s) listed in {self.sheet} are not in the input folder "
                "(status 'missing' in the manifest)"
            )
        if self.not_in_sheet:
            lines.append(
                f"  {self.not_in_sheet} file(s) have no row in {self.sheet} (see the manifest's reason column)"
            )
        lines.append(f"  {self.from_cache} files read from the ingest cache")
        lines += [
            f"  a task failed on the cluster and its files were read here: {reason}" for reason in self.failed_tasks
        ]
        return "\n".join(lines)


def run_ingest(input_dir: Path, layout: Layout, params: dict) -> IngestSummary:
    """Read every file under ``input_dir``; write layout.documents and layout.ingest_manifest."""
    input_dir = Path(input_dir)
    if not input_dir.is_dir():
        problem = "is a file, not a folder" if input_dir.exists() else "does not exist"
        raise click.UsageError(
            f"input folder {input_dir} {problem}: set corpus.input in the parameters file "
            "or pass --input with the folder that holds your documents."
        )
    extensions, threshold, shingle_size, limits = _settings(params)
    sheet = _sheet(params, input_dir)
    summary = IngestSummary(documents_path=layout.documents, sheet=sheet.path)
    manifest: list[dict] = []
    cache = ingest_cache(layout.cache("ingest"), shingle_size, limits)
    dedup = Deduplicator(threshold, shingle_size)
    entries = discover(input_dir)
    # Each file's bytes are hashed once: the hash keys its reading, on a cluster and here.
    checksums = {entry.source: _sha256(entry.path) for entry in entries if _to_read(entry, sheet)}
    summary.failed_tasks = _read_on_cluster(entries, checksums, layout, params, extensions, cache)
    records = _records(entries, checksums, extensions, limits, dedup, cache, manifest, summary, sheet)
    write_jsonl(layout.documents, records)
    seen = {row["source"] for row in manifest}
    for name, row in sheet.missing(seen):
        manifest.append(
            dict.fromkeys(MANIFEST_COLUMNS, "")
            | {
                "source": name,
                "status": "missing",
                "reason": f"listed in {sheet.path} (row {row.line}) but not in the input folder; "
                "correct the file name there or remove the row",
            }
        )
        summary.counts["missing"] += 1
    write_csv(layout.ingest_manifest, MANIFEST_COLUMNS, manifest)
    cache.prune()
    summary.from_cache = cache.hits
    if summary.documents == 0:
        raise click.ClickException(
            f"no usable document in {input_dir} ({summary.files} files looked at): see "
            f"{layout.ingest_manifest} for why each file was skipped, and point corpus.input "
            "or --input at a folder of .txt, .md, .html, .pdf or .docx files."
        )
    return summary


def _to_read(entry: Entry, sheet: DocumentSheet) -> bool:
    """Whether the entry is a file the document sheet does not exclude."""
    described = sheet.rows.get(entry.source)
    return entry.path is not None and not (described is not None and described.exclude)


def _records(
    entries: list[Entry],
    checksums: dict[str, str | None],
    extensions: set[str],
    limits: Limits,
    dedup: Deduplicator,
    cache: KeyedCache,
    manifest: list[dict],
    summary: IngestSummary,
    sheet: DocumentSheet,
) -> Iterator[dict]:
    """Yield document records one file at a time, appending one manifest row per file."""
    for entry in tqdm(entries, desc="ingest", unit="file", file=sys.stderr):
        row = dict.fromkeys(MANIFEST_COLUMNS, "")
        row["source"] = entry.source
        described = sheet.rows.get(entry.source)
        if entry.path is None:
            row.update(status=entry.status, reason=entry.skipped)
        elif described is not None and described.exclude:
            row.update(status="excluded", reason=f"exclude is set in {sheet.path} (row {described.line})")
        else:
            checksum = checksums[entry.source]
            item, signature = cached_ingest(entry.path, entry.source, checksum, extensions, limits, cache, dedup)
            row.update(
                format=item.format,
                encoding=item.encoding or "",
                status=item.status,
                # Library messages may quote the file's undecodable name.
                reason=shown("; ".join(part for part in (entry.note, item.reason) if part)),
                chars_in="" if item.chars_in is None else item.chars_in,
                sha256=checksum or "",
            )
            if item.status == "ok":
                identifier = doc_id(item.text)
                row.update(doc_id=identifier, chars_out=len(item.text))
                original = dedup.exact(identifier, entry.source)
                if original is not None:
                    row.update(status="duplicate", reason=f"same text as {original}")
                else:
                    near = dedup.near(entry.source, signature)
                    if near is not None:
                        row.update(
                            status="near_duplicate",
                            reason=f"near-duplicate of {near.source} (word {dedup.shingle_size}-gram "
                            f"Jaccard similarity about {near.similarity:.2f})",
                        )
                    yield {
                        "doc_id": identifier,
                        "source": entry.source,
                        "format": item.format,
                        "encoding": item.encoding,
                        **item.metadata,
                        **_described(described, item.metadata, sheet.columns),
                        "text": item.text,
                    }
            if sheet and described is None:
                note = f"no row in {sheet.path}"
                row["reason"] = f"{row['reason']}; {note}" if row["reason"] else note
                summary.not_in_sheet += 1
        summary.counts[row["status"]] += 1
        manifest.append(row)


def _read_on_cluster(
    entries: list[Entry],
    checksums: dict[str, str | None],
    layout: Layout,
    params: dict,
    extensions: set[str],
    cache: KeyedCache,
) -> list[str]:
    """On a Dask engine, have the cluster read every file the cache lacks into the cache (the
    files by path: the input folder is on the shared file system), so that the stage then finds
    them there; on the local engine, nothing. Returns the failures of tasks, whose files the stage
    reads itself."""
    engine = Engine.from_params(params)
    if not engine.distributed:
        return []
    missing = [
        (str(entry.path.resolve()), entry.source, checksum)
        for entry in entries
        if (checksum := checksums.get(entry.source))
        and is_cached_kind(entry.path, extensions)
        and not cache.has(entry_key(entry.path, checksum))
    ]
    if not missing:
        return []
    failed: list[str] = []
    # Workers may run in another folder: every path they get is absolute.
    settings = json.dumps(absolute_paths(params), sort_keys=True)

    def plan(shares: int) -> list[tuple]:
        # Large files first, dealt round, so that no share ends up with all the slow ones.
        files = sorted(missing, key=lambda file: -Path(file[0]).stat().st_size)
        shares = min(len(files), shares)
        return [(str(Path(layout.root).resolve()), settings, files[share::shares]) for share in range(shares)]

    on_cluster(engine, read_share, plan, failed)
    return failed


def read_share(root: str, params_json: str, files: list[tuple[str, str, str]]) -> int:
    """Worker body: read ``files`` (path, source name, SHA-256) into the ingest cache under
    ``root``, as the stage would; return how many."""
    params = json.loads(params_json)
    extensions, threshold, shingle_size, limits = _settings(params)
    cache = ingest_cache(Layout(Path(root)).cache("ingest"), shingle_size, limits)
    dedup = Deduplicator(threshold, shingle_size)
    for path, source, checksum in files:
        cached_ingest(Path(path), source, checksum, extensions, limits, cache, dedup)
    return len(files)


def _sheet(params: dict, input_dir: Path) -> DocumentSheet:
    """The document sheet of corpus.metadata; it describes the folder of corpus.input, so another
    folder is read without it."""
    corpus = params.get("corpus") or {}
    if corpus.get("metadata") is None or not same_folder(corpus.get("input") or "", input_dir):
        return DocumentSheet()
    try:
        return read_sheet(corpus["metadata"])
    except SheetError as error:
        raise click.UsageError("\n".join(error.problems)) from None


def _described(row: SheetRow | None, found: dict, columns: tuple[str, ...]) -> dict:
    """What the sheet says of a document: its date where it gives one, and its own columns
    (empty for a file it has no row for, so that every record has every column)."""
    return {
        "published": (row.published if row else None) or found.get("published"),
        "fields": dict(row.fields) if row else dict.fromkeys(columns, ""),
    }


def _sha256(path: Path) -> str | None:
    try:
        with path.open("rb") as handle:
            return hashlib.file_digest(handle, "sha256").hexdigest()
    except OSError:  # the reader reports why
        return None


def _settings(params: dict) -> tuple[set[str], float, int, Limits]:
    """The ingest settings; :mod:`diskurs.settings` has checked them before any stage runs."""
    section = section_of(params, "ingest")
    extensions = {ext.lower() if ext.startswith(".") else f".{ext.lower()}" for ext in section["extensions"]}
    return (
        extensions,
        float(section["near_duplicate_threshold"]),
        int(section["shingle_size"]),
        Limits.from_params(section),
    )
