"""The `report` stage: reports/index.html with a page per document, figures, report.md, metrics.json."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import click
import yaml

from diskurs.compare.stage import compared_columns
from diskurs.frames.lexicon import load_lexicon
from diskurs.io import FOLDER_MODE, atomic_open, read_csv, read_jsonl
from diskurs.layout import Layout
from diskurs.params import section
from diskurs.report import figures
from diskurs.report.comparisons import Comparisons, comparison_charts, load_comparisons
from diskurs.report.data import (
    ReportData,
    actor_frame_table,
    evidence_by_frame,
    frame_names,
    load_report_data,
    matrix,
)
from diskurs.report.kwic import by_term, kwic
from diskurs.report.methods import dvc_checksums, model_description, software_versions
from diskurs.report.metrics import report_metrics
from diskurs.report.render import entity_html, environment, index_context, render, shared_context


@dataclass
class ReportSummary:
    index: Path
    documents: int = 0
    pages: int = 0
    figures: list[str] = field(default_factory=list)
    kwic_hits: dict[str, int] = field(default_factory=dict)

    def describe(self) -> str:
        hits = ", ".join(f"{term!r} {count}" for term, count in self.kwic_hits.items())
        lines = [
            f"report: {self.documents} documents, {self.pages} document pages, {len(self.figures)} figures "
            f"-> {self.index}",
            f"  keyword in context: {hits or 'no terms set'}",
        ]
        return "\n".join(lines)


def _write(path: Path, text: str) -> None:
    with atomic_open(path) as handle:
        handle.write(text)


def _charts(data: ReportData, settings: dict, comparisons: Comparisons, period: str) -> list[figures.Chart]:
    # Each row says how many sentences its shares rest on.
    counted = {row["doc_id"]: row["of_sentences"] for row in data.document_frames if row.get("of_sentences")}
    rows = [
        f"{d.key} {figures.shorten(d.title or d.source, 30)}"
        + (f" (n={counted[d.doc_id]})" if d.doc_id in counted else "")
        for d in data.documents
    ]
    row_of = {d.doc_id: row for d, row in zip(data.documents, rows)}
    frames = frame_names(data)
    frame_cells = {
        (row_of.get(doc_id, doc_id), frame): value
        for (doc_id, frame), value in matrix(data.document_frames, "doc_id", "frame", "score").items()
    }
    theme_columns = {t["theme_id"]: f"T{t['theme_id']} {t['label']}" for t in data.themes}
    theme_cells = {
        (row_of.get(doc_id, doc_id), theme_columns.get(theme, theme)): value
        for (doc_id, theme), value in matrix(data.document_themes, "doc_id", "theme_id", "weight").items()
    }
    actors, actor_cells = actor_frame_table(data, int(settings["top_n"]))
    return [
        figures.actors_by_type(data.entities, int(settings["top_n"])),
        figures.actor_network(data.cooccurrence, data.entities, int(settings["network_actors"])),
        figures.heatmap(
            "theme_documents.png",
            "Theme weight per document",
            rows,
            list(theme_columns.values()),
            theme_cells,
            "Theme",
            "Document",
        ),
        figures.heatmap(
            "frame_documents.png",
            "Frame share of sentences per document",
            rows,
            frames,
            frame_cells,
            "Frame",
            "Document",
        ),
        figures.heatmap(
            "actor_frames.png",
            "Frames by actor (sentences naming or quoting the actor)",
            actors,
            frames,
            actor_cells,
            "Frame",
            "Actor",
            number_format="{:.0f}",
        ),
        *comparison_charts(comparisons, frames, period),
    ]


def _save_charts(charts: list[figures.Chart], folder: Path) -> dict[str, dict]:
    folder.mkdir(parents=True, exist_ok=True)
    written = set()
    described = {}
    for chart in charts:
        figures.save(chart, folder)
        written.add(chart.name)
        width, height = chart.figure.get_size_inches()
        described[chart.name.removesuffix(".png")] = {
            "name": chart.name,
            "title": chart.title,
            "alt": chart.alt,
            "width": round(width * figures.DPI),
            "height": round(height * figures.DPI),
        }
    return described


def _document_pages(out: Layout, data: ReportData, env, context: dict, texts, mentions: dict, labels: list[str]) -> int:
    """A page per document, its text (from ``texts``, streamed) with the entities stage's mentions marked."""
    order = data.documents
    position = {document.doc_id: i for i, document in enumerate(order)}
    frames_of = {}
    for row in data.document_frames:
        if int(row["sentences"] or 0):
            frames_of.setdefault(row["doc_id"], []).append(row)
    theme_labels = {t["theme_id"]: t["label"] for t in data.themes}
    out.report_pages.mkdir(parents=True, exist_ok=True)
    done = set()
    for record in texts:
        doc_id = str(record.get("doc_id", ""))
        if doc_id not in position or doc_id in done:
            continue
        done.add(doc_id)
        i = position[doc_id]
        document = order[i]
        _write(
            out.root / "reports" / document.page,
            render(
                env,
                "document.html",
                {
                    **context,
                    "document": document,
                    "previous": order[i - 1] if i > 0 else None,
                    "next": order[i + 1] if i + 1 < len(order) else None,
                    "boilerplate_lines": data.boilerplate_lines.get(doc_id, 0),
                    "frames": sorted(frames_of.get(doc_id, []), key=lambda r: (-float(r["score"]), r["frame"])),
                    "functions": [r for r in data.sentence_functions if r["doc_id"] == doc_id],
                    "evidence": [r for r in data.frame_evidence if r["doc_id"] == doc_id],
                    "quotes": [r for r in data.quotes if r["doc_id"] == doc_id],
                    "themes": [r for r in data.document_themes if r["doc_id"] == doc_id],
                    "theme_labels": theme_labels,
                    "entity_html": entity_html(str(record.get("text") or ""), mentions.get(doc_id, []), labels),
                },
            ),
        )
    return len(done)


def _mentions_by_document(path: Path) -> dict[str, list[dict]]:
    """The mentions the entities stage kept, with their place in the text, per document."""
    by_document: dict[str, list[dict]] = {}
    for row in read_csv(path) if path.is_file() else ():
        if str(row.get("start_char", "")).isdigit() and str(row.get("end_char", "")).isdigit():
            by_document.setdefault(row["doc_id"], []).append(row)
    return by_document


# What the report stage writes under reports/; the whole of it is built apart and swapped in.
STAGING_PREFIX = ".report-"


def _publish(staged: Layout, layout: Layout) -> None:
    """Move the staged report into place without ever leaving a page the index links missing.

    New pages and figures join the folders first (each file renamed whole over its old copy),
    then the index, report.md and metrics.json are replaced, and only then do the old pages and
    figures the new report no longer has go. A run killed at any point leaves a whole report.
    """
    written: dict[Path, set[str]] = {}
    for folder, target in ((staged.report_pages, layout.report_pages), (staged.figures_dir, layout.figures_dir)):
        target.mkdir(parents=True, exist_ok=True)
        os.chmod(target, FOLDER_MODE)
        written[target] = set()
        for path in sorted(folder.iterdir()):
            os.replace(path, target / path.name)
            written[target].add(path.name)
    for name in ("report_markdown", "metrics", "report"):
        os.replace(getattr(staged, name), getattr(layout, name))
    for target, names in written.items():
        for stale in target.iterdir():
            if stale.name not in names:
                stale.unlink()


def _sweep_staging(reports: Path) -> None:
    """Staging folders of earlier runs that were killed before they published."""
    for leftover in reports.glob(f"{STAGING_PREFIX}*"):
        shutil.rmtree(leftover, ignore_errors=True)


def input_checksum(manifest: list[dict]) -> str | None:
    """SHA-256 over every input file's name and checksum (the manifest's ``sha256``), or None
    when the manifest has no checksums."""
    lines = sorted(f"{row['source']}\t{row['sha256']}" for row in manifest if row.get("sha256"))
    return hashlib.sha256("\n".join(lines).encode("utf-8")).hexdigest() if lines else None


def themes_status(layout: Layout) -> dict:
    path = layout.themes_dir / "status.json"
    return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {"reason": None}


def run_report(layout: Layout, params: dict) -> ReportSummary:
    settings = section(params, "report")
    frame_settings = section(params, "frames")
    for path, stage in ((layout.clean, "clean"), (layout.annotated, "annotate"), (layout.frames_dir, "frames")):
        if not path.exists():
            raise click.ClickException(f"{path}: not found. Run `diskurs {stage}` (or `dvc repro`) first.")
    lexicon = load_lexicon(frame_settings["lexicon"], int(frame_settings["compound_min_stem"]))
    data = load_report_data(layout, lexicon)
    model = model_description(section(params, "nlp")["model"])
    terms = [str(term) for term in settings["kwic_terms"] or []]
    kwic_rows = by_term(kwic(read_jsonl(layout.clean), terms, int(settings["kwic_window"])), terms)
    checksum = input_checksum(data.manifest)
    themes = themes_status(layout)
    compare = section(params, "compare")
    # Where the work ran (compute:) changes no result, so the report does not record it: the same
    # corpus gives the same report from one machine or a cluster.
    recorded = {name: values for name, values in params.items() if name != "compute"}
    comparisons = load_comparisons(layout, compared_columns(params), data.entities)

    reports = layout.root / "reports"
    reports.mkdir(parents=True, exist_ok=True)
    _sweep_staging(reports)
    staging = Path(tempfile.mkdtemp(prefix=STAGING_PREFIX, dir=reports))
    try:
        staged = Layout(staging)
        charts = _save_charts(_charts(data, settings, comparisons, str(compare["period"])), staged.figures_dir)
        env = environment()
        base = {
            **shared_context(data, model, int(settings["top_n"])),
            "input_sha256": checksum,
            "themes_reason": themes.get("reason"),
            "themes_left_out": themes.get("leave_one_out"),
            "params": recorded,
        }
        context = index_context(
            data,
            base,
            {
                "charts": charts,
                "figure_prefix": "figures/",
                "frames": frame_names(data),
                "evidence": evidence_by_frame(data, int(settings["evidence_per_frame"])),
                "evidence_per_frame": int(settings["evidence_per_frame"]),
                "kwic": kwic_rows,
                "comparisons": comparisons,
                "kwic_window": int(settings["kwic_window"]),
                "checksums": dvc_checksums(layout.root / "dvc.lock"),
                # The parameters in force for this run, command-line values included, not params.yaml.
                "params_text": yaml.safe_dump(recorded, allow_unicode=True, sort_keys=False, default_flow_style=None),
                "software": software_versions(),
            },
        )
        _write(staged.report, render(env, "index.html", context))
        labels = list(section(params, "entities")["labels"])
        mentions = _mentions_by_document(layout.entities_dir / "mentions.csv")
        pages = _document_pages(staged, data, env, context, read_jsonl(layout.clean), mentions, labels)
        _write(staged.report_markdown, render(env, "report.md.j2", base))
        metrics = {**report_metrics(data, model, comparisons), "input_sha256": checksum, "params": recorded}
        _write(staged.metrics, json.dumps(metrics, ensure_ascii=False, indent=2) + "\n")
        _publish(staged, layout)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return ReportSummary(
        index=layout.report,
        documents=len(data.documents),
        pages=pages,
        figures=sorted(chart["name"] for chart in charts.values()),
        kwic_hits={term: len(rows) for term, rows in kwic_rows.items()},
    )
