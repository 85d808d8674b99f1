"""``diskurs clean``: documents.jsonl in, clean.jsonl, boilerplate.csv and manifest.csv out.

The documents are streamed twice: once to count the lines repeated across the corpus (layer 2),
once to clean. Only the ingest manifest (one row per input file) and each document's body
length are held in memory. Cleaned documents are kept in a cache (see pipeline/diskurs/clean/cache.py),
so a re-run cleans only new documents and those whose repeated lines changed.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import click
from tqdm import tqdm

from diskurs.clean.cache import cached_clean, clean_cache
from diskurs.clean.cleaner import CleanSettings
from diskurs.clean.settings import classifier_settings, pattern_library, repeated_lines
from diskurs.ingest import CARRIED, MANIFEST_COLUMNS
from diskurs.io import SpreadsheetWriter, atomic_open, read_csv, read_jsonl, write_csv, write_jsonl
from diskurs.layout import Layout
from diskurs.params import section

BOILERPLATE_COLUMNS = ("doc_id", "source", "line", "text", "rule")
NO_CONTENT_REASON = "every line was removed as boilerplate (see reports/boilerplate.csv)"
# Statuses of documents that went through cleaning; a duplicate shares its original's body,
# the other statuses have no text.
_CLEANED_STATUSES = {"ok", "near_duplicate"}
LAYERS = ("patterns", "repeated", "classifier")


@dataclass
class CleanSummary:
    documents: int = 0
    emptied: int = 0
    removed: Counter = field(default_factory=Counter)  # lines removed per layer
    output: Path | None = None
    from_cache: int = 0
    pruned: int = 0

    def describe(self) -> str:
        per_layer = ", ".join(f"{layer} {self.removed[layer]}" for layer in LAYERS)
        return (
            f"clean: {self.documents} documents, {sum(self.removed.values())} boilerplate lines "
            f"removed ({per_layer}), {self.emptied} left without content -> {self.output}\n"
            f"  {self.from_cache} of {self.documents} documents from the clean cache, "
            f"{self.documents - self.from_cache} cleaned; {self.pruned} stale cache entries removed"
        )


def run_clean(layout: Layout, params: dict) -> CleanSummary:
    """Clean every document of ``layout.documents``; see the module documentation."""
    clean = section(params, "clean")
    for path, what in ((layout.documents, "documents"), (layout.ingest_manifest, "ingest manifest")):
        if not path.is_file():
            raise click.UsageError(f"{path}: {what} not found. Run `diskurs ingest` first.")
    manifest = list(read_csv(layout.ingest_manifest))
    near_duplicates = {row["doc_id"] for row in manifest if row["status"] == "near_duplicate"}

    total = 0

    def counted_texts():
        # Near-duplicates do not count: a press release printed from three sites would
        # otherwise have its whole text taken for boilerplate.
        nonlocal total
        for record in read_jsonl(layout.documents):
            total += 1
            if record["doc_id"] not in near_duplicates:
                yield record["text"]

    settings = CleanSettings(
        patterns=pattern_library(clean),
        repeated=repeated_lines(clean, counted_texts()),
        classifier=classifier_settings(clean),
    )
    cache = clean_cache(layout.cache("clean"), settings)
    summary = CleanSummary(output=layout.clean)
    body_chars: dict[str, int] = {}
    max_length = int(section(params, "nlp")["max_length"])
    too_long: set[str] = set()

    with atomic_open(layout.boilerplate, encoding="utf-8-sig", newline="") as handle:
        audit = SpreadsheetWriter(handle, fieldnames=BOILERPLATE_COLUMNS)
        audit.writeheader()

        def cleaned_records():
            for record in tqdm(
                read_jsonl(layout.documents), total=total or None, desc="clean", unit="doc", disable=None
            ):
                cleaned, cached = cached_clean(record["text"], record.get("title"), settings, cache)
                for removal in cleaned.removals:
                    audit.writerow(
                        {
                            "doc_id": record["doc_id"],
                            "source": record["source"],
                            "line": removal.line,
                            "text": removal.text,
                            "rule": removal.rule,
                        }
                    )
                    summary.removed[removal.layer] += 1
                summary.documents += 1
                summary.from_cache += cached
                summary.emptied += not cleaned.paragraphs
                body_chars[record["doc_id"]] = len(cleaned.body)
                # The model cannot take a longer text: the manifest says so, and annotate never
                # meets a document it would have to skip.
                if len(cleaned.body) > max_length:
                    too_long.add(record["doc_id"])
                    continue
                yield {
                    **{key: record.get(key) for key in CARRIED},
                    "title": cleaned.title,
                    "authors": record.get("authors", []),
                    "fields": record.get("fields") or {},
                    "text": cleaned.body,
                    "paragraphs": cleaned.paragraphs,
                }

        write_jsonl(layout.clean, cleaned_records())

    write_csv(
        layout.manifest,
        MANIFEST_COLUMNS,
        sorted(
            (update_manifest_row(row, body_chars, too_long, max_length) for row in manifest),
            key=lambda row: row["source"],
        ),
    )
    summary.pruned = cache.prune()
    return summary


def update_manifest_row(
    row: dict, body_chars: dict[str, int], too_long: set[str] = frozenset(), max_length: int = 0
) -> dict:
    """``row`` with chars_out set to the clean body's length; no_content when it is empty,
    too_long when the model cannot take it."""
    row = {column: row.get(column, "") for column in MANIFEST_COLUMNS}
    if row["status"] in _CLEANED_STATUSES | {"duplicate"} and row["doc_id"] in body_chars:
        row["chars_out"] = body_chars[row["doc_id"]]
        if body_chars[row["doc_id"]] == 0 and row["status"] in _CLEANED_STATUSES:
            row["status"], row["reason"] = "no_content", NO_CONTENT_REASON
        elif row["doc_id"] in too_long:
            row["status"] = "too_long"
            row["reason"] = (
                f"its clean text has {body_chars[row['doc_id']]:,} characters, more than the model takes "
                f"(nlp.max_length: {max_length:,}); split the file, or raise nlp.max_length in params.yaml"
            )
    return row
