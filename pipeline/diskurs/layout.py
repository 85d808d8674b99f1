"""Where each stage reads and writes, relative to one root folder.

The DVC stages use the repository root; ``diskurs run --out DIR`` uses DIR, so both give the
same layout.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Layout:
    root: Path

    @property
    def documents(self) -> Path:
        return self.root / "corpus" / "interim" / "documents.jsonl"

    @property
    def ingest_manifest(self) -> Path:
        return self.root / "corpus" / "interim" / "manifest.csv"

    @property
    def clean(self) -> Path:
        return self.root / "corpus" / "processed" / "clean.jsonl"

    @property
    def manifest(self) -> Path:
        return self.root / "reports" / "manifest.csv"

    @property
    def boilerplate(self) -> Path:
        return self.root / "reports" / "boilerplate.csv"

    @property
    def annotated(self) -> Path:
        return self.root / "corpus" / "processed" / "annotated"

    @property
    def annotate_cache(self) -> Path:
        return self.cache("annotate")

    @property
    def entities_dir(self) -> Path:
        return self.root / "reports" / "entities"

    @property
    def themes_dir(self) -> Path:
        return self.root / "reports" / "themes"

    @property
    def frames_dir(self) -> Path:
        return self.root / "reports" / "frames"

    @property
    def validation_dir(self) -> Path:
        return self.root / "reports" / "validation"

    @property
    def compare_dir(self) -> Path:
        return self.root / "reports" / "compare"

    @property
    def report(self) -> Path:
        return self.root / "reports" / "index.html"

    @property
    def report_pages(self) -> Path:
        return self.root / "reports" / "documents"

    @property
    def figures_dir(self) -> Path:
        return self.root / "reports" / "figures"

    @property
    def report_markdown(self) -> Path:
        return self.root / "reports" / "report.md"

    @property
    def metrics(self) -> Path:
        return self.root / "reports" / "metrics.json"

    @property
    def lock(self) -> Path:
        """Held by the run writing under this root (see ``diskurs.cli.writing``); beside the
        caches, so that it is never taken for a result."""
        return self.root / "corpus" / "cache" / "run.lock"

    def cache(self, stage: str) -> Path:
        """The stage's per-document cache (see pipeline/diskurs/cache.py); never an output."""
        return self.root / "corpus" / "cache" / stage

    def timings(self, stage: str) -> Path:
        return self.root / "reports" / "timings" / f"{stage}.json"
