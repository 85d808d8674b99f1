"""The `report` stage: reports/index.html with a page per document, figures, report.md, metrics.json."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import click
import yaml
from markupsafe import Markup

from pipeline.annotated import read_annotated
from pipeline.frames.docs import doc_key
from pipeline.frames.lexicon import DEFAULT_LEXICON, load_lexicon
from pipeline.io import atomic_open, read_jsonl
from pipeline.layout import Layout
from pipeline.params import section
from pipeline.report import figures
from pipeline.report.data import (
    ReportData,
    actor_frame_table,
    evidence_by_frame,
    frame_descriptions,
    frame_names,
    load_report_data,
    matrix,
)
from pipeline.report.kwic import by_term, kwic
from pipeline.report.methods import dvc_checksums, model_description, software_versions
from pipeline.report.metrics import report_metrics
from pipeline.report.render import entity_html, environment, index_context, render, shared_context



@dataclass
class ReportSummary:
    index: Path
    documents: int = 0
    pages: int = 0
    figures: list[str] = field(default_factory=list)
    kwic_hits: dict[str, int] = field(default_factory=dict)
    not_annotated: list[str] = field(default_factory=list)

    def describe(self) -> str:
        hits = ", ".join(f"{term!r} {count}" for term, count in self.kwic_hits.items())
        lines = [
            f"report: {self.documents} documents, {self.pages} document pages, {len(self.figures)} figures "
            f"-> {self.index}",
            f"  keyword in context: {hits or 'no terms set'}",
        ]
        if self.not_annotated:
            lines.append(f"  not in the annotated corpus (page without entities): {', '.join(self.not_annotated)}")
        return "\n".join(lines)


def _write(path: Path, text: str) -> None:
    with atomic_open(path) as handle:
        handle.write(text)


def _charts(data: ReportData, settings: dict) -> list[figures.Chart]:
    rows = [f"{d.key} {figures.shorten(d.title or d.source, 34)}" for d in data.documents]
    row_of = {d.doc_id: row for d, row in zip(data.documents, rows)}
    frames = frame_names(data)
    frame_cells = {(row_of.get(doc_id, doc_id), frame): value for (doc_id, frame), value in
                   matrix(data.document_frames, "doc_id", "frame", "score").items()}
    theme_columns = {t["theme_id"]: f"T{t['theme_id']} {t['label']}" for t in data.themes}
    theme_cells = {(row_of.get(doc_id, doc_id), theme_columns.get(theme, theme)): value for (doc_id, theme), value in
                   matrix(data.document_themes, "doc_id", "theme_id", "weight").items()}
    actors, actor_cells = actor_frame_table(data, int(settings["top_n"]))
    return [
        figures.actors_by_type(data.entities, int(settings["top_n"])),
        figures.actor_network(data.cooccurrence, data.entities, int(settings["network_actors"])),
        figures.heatmap("theme_documents.png", "Theme weight per document", rows, list(theme_columns.values()),
                        theme_cells, "Theme", "Document"),
        figures.heatmap("frame_documents.png", "Frame share of sentences per document", rows, frames,
                        frame_cells, "Frame", "Document"),
        figures.heatmap("actor_frames.png", "Frames by actor (sentences naming or quoting the actor)", actors, frames,
                        actor_cells, "Frame", "Actor", number_format="{:.0f}"),
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
            "name": chart.name, "title": chart.title, "alt": chart.alt,
            "width": round(width * figures.DPI), "height": round(height * figures.DPI),
        }
    # Figures of an earlier run with other settings would otherwise linger beside the new ones.
    for stale in folder.glob("*.png"):
        if stale.name not in written:
            stale.unlink()
    return described


def _document_pages(layout: Layout, data: ReportData, env, context: dict, labels: list[str]) -> tuple[int, list[str]]:
    order = data.documents
    position = {document.doc_id: i for i, document in enumerate(order)}
    frames_of = {}
    for row in data.document_frames:
        if int(row["sentences"] or 0):
            frames_of.setdefault(row["doc_id"], []).append(row)
    theme_labels = {t["theme_id"]: t["label"] for t in data.themes}

    def page(document, html: Markup) -> None:
        i = position[document.doc_id]
        doc_id = document.doc_id
        _write(
            layout.root / "reports" / document.page,
            render(env, "document.html", {
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
                "entity_html": html,
            }),
        )

    layout.report_pages.mkdir(parents=True, exist_ok=True)
    for stale in layout.report_pages.glob("*.html"):
        stale.unlink()
    done = set()
    for doc in read_annotated(layout.annotated):
        _, doc_id = doc_key(doc)
        if doc_id in position and doc_id not in done:
            page(order[position[doc_id]], entity_html(doc, labels))
            done.add(doc_id)
    missing = [document for document in order if document.doc_id not in done]
    for document in missing:
        page(document, Markup('<p class="note">This document is not in the annotated corpus; see the annotate stage.</p>'))
    return len(order), [document.source for document in missing]


def run_report(layout: Layout, params: dict) -> ReportSummary:
    settings = section(params, "report")
    frame_settings = section(params, "frames")
    for path, stage in ((layout.clean, "clean"), (layout.annotated, "annotate"), (layout.frames_dir, "frames")):
        if not path.exists():
            raise click.ClickException(f"{path}: not found. Run `diskurs {stage}` (or `dvc repro`) first.")
    lexicon_file = frame_settings["lexicon"] or DEFAULT_LEXICON
    lexicon = load_lexicon(frame_settings["lexicon"], int(frame_settings["compound_min_stem"]))
    data = load_report_data(layout, lexicon)
    data.frame_descriptions = frame_descriptions(Path(lexicon_file))
    model = model_description(section(params, "nlp")["model"])
    terms = [str(term) for term in settings["kwic_terms"] or []]
    kwic_rows = by_term(kwic(read_jsonl(layout.clean), terms, int(settings["kwic_window"])), terms)
    charts = _save_charts(_charts(data, settings), layout.figures_dir)

    env = environment()
    base = shared_context(data, model, int(settings["top_n"]))
    context = index_context(data, base, {
        "charts": charts,
        "figure_prefix": "figures/",
        "frames": frame_names(data),
        "evidence": evidence_by_frame(data, int(settings["evidence_per_frame"])),
        "evidence_per_frame": int(settings["evidence_per_frame"]),
        "kwic": kwic_rows,
        "kwic_window": int(settings["kwic_window"]),
        "checksums": dvc_checksums(layout.root / "dvc.lock"),
        "params_text": yaml.safe_dump(params, allow_unicode=True, sort_keys=False, default_flow_style=None),
        "software": software_versions(),
    })
    _write(layout.report, render(env, "index.html", context))
    labels = list(section(params, "entities")["labels"])
    pages, missing = _document_pages(layout, data, env, context, labels)
    _write(layout.report_markdown, render(env, "report.md.j2", base))
    _write(layout.metrics, json.dumps(report_metrics(data, model), ensure_ascii=False, indent=2) + "\n")
    return ReportSummary(
        index=layout.report,
        documents=len(data.documents),
        pages=pages,
        figures=sorted(chart["name"] for chart in charts.values()),
        kwic_hits={term: len(rows) for term, rows in kwic_rows.items()},
        not_annotated=missing,
    )
