"""Jinja2 rendering of the report; autoescaping makes every text from the documents plain text."""

from __future__ import annotations

from collections import Counter, defaultdict
from pathlib import Path

import jinja2
from markupsafe import Markup
from spacy import displacy

from diskurs.report.data import Document, ReportData, functions_per_document, top_frames_per_document, voices
from diskurs.report.figures import LABEL_COLOURS
from diskurs.report.highlight import highlight

TEMPLATES = Path(__file__).resolve().parent / "templates"


# Entman's order (problem, cause, evaluation, remedy), which readers know; other functions follow.
ENTMAN = ("problem_definition", "causal_interpretation", "moral_evaluation", "treatment_recommendation")


def function_order(names) -> list[str]:
    return [name for name in ENTMAN if name in names] + sorted(set(names) - set(ENTMAN))


def markdown_cell(value: object) -> str:
    """Text safe inside a Markdown table cell: one line, pipes and angle brackets escaped."""
    text = " ".join(str(value).split())
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("<", "&lt;").replace(">", "&gt;")


def environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        # HTML templates escape every value; the Markdown template escapes table cells with `md`.
        autoescape=jinja2.select_autoescape(enabled_extensions=("html",), default=False),
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=False,
    )
    env.filters["highlight"] = highlight
    env.filters["md"] = markdown_cell
    env.filters["plural"] = plural
    env.filters["quoted"] = quoted
    env.filters["share"] = share
    return env


def plural(count, noun: str) -> str:
    """``1 document``, ``9 documents``: the count with its noun in number."""
    return f"{count} {noun}" if str(count) in ("1", "1.0") else f"{count} {noun}s"


def share(row: dict, value: str = "score", count: str = "sentences", total: str = "of_sentences") -> str:
    """A share with what it rests on: "43 % (16–75 %), 3 of 7 sentences"."""
    text = f"{float(row[value]):.0%}"
    if row.get("ci_low") not in (None, "") and row.get("ci_high") not in (None, ""):
        text += f" ({float(row['ci_low']):.0%}–{float(row['ci_high']):.0%})"
    if row.get(total) not in (None, ""):
        text += f", {row[count]} of {row[total]}"
    return text


def quoted(row: dict) -> str:
    """A row of quotes.csv as the report shows it: direct speech in «», indirect speech as the
    text reports it, marked as such."""
    if row.get("kind") == "indirect":
        return f"{row['quote']} (indirect)"
    return f"«{row['quote']}»"


def entity_html(text: str, mentions: list[dict], labels: list[str]) -> Markup:
    """The text with the entities stage's mentions marked by displaCy, whose renderer escapes the
    text itself: the one actor set of entities.csv, not the recogniser's every span.

    displaCy would print a title unescaped, so none is handed over; the page shows the title
    through the escaping template.
    """
    spans, end = [], 0
    for row in sorted(mentions, key=lambda row: (int(row["start_char"]), -int(row["end_char"]))):
        start, stop = int(row["start_char"]), int(row["end_char"])
        if start >= end and row["label"] in labels and text[start:stop] == row["text"]:
            spans.append({"start": start, "end": stop, "label": row["label"]})
            end = stop
    options = {"ents": list(labels), "colors": LABEL_COLOURS}
    parsed = {"text": text, "ents": spans, "title": None}
    return Markup(displacy.render(parsed, style="ent", manual=True, page=False, jupyter=False, options=options))


def shared_context(data: ReportData, model: dict, top_n: int) -> dict:
    """What the index page and the Markdown summary both show."""
    return {
        "documents": data.documents,
        "words": data.words,
        "entities": data.entities,
        "quotes": data.quotes,
        "themes": data.themes,
        "voices": voices(data),
        "top_frames": top_frames_per_document(data),
        "boilerplate_total": sum(data.boilerplate_lines.values()),
        "model": model,
        "top_n": top_n,
    }


def _kept_share(row: dict) -> str:
    try:
        before, after = int(row["chars_in"]), int(row["chars_out"])
    except (KeyError, ValueError):
        return ""
    return f"{after} of {before} ({after / before:.0%})" if before else ""


def index_context(data: ReportData, base: dict, extra: dict) -> dict:
    documents = data.document_by_id
    unknown = Document(doc_id="", source="", title="", published="", authors=[], urls=[], words=0, key="?")
    theme_sentences: dict[str, list[dict]] = defaultdict(list)
    for row in sorted(data.theme_sentences, key=lambda r: (int(r["theme_id"]), int(r["rank"]))):
        theme_sentences[row["theme_id"]].append(row)
    by_source = {document.source: document for document in data.documents}
    people = [{**row, "doc": by_source.get(row["source"])} for row in data.people]
    pairs = sorted(data.cooccurrence, key=lambda r: (-int(r["sentences"]), r["actor_a"], r["actor_b"]))
    statuses = sorted(Counter(row["status"] for row in data.manifest).items())
    return {
        **base,
        "doc_of": lambda doc_id: documents.get(doc_id, unknown),
        "kept": {row["doc_id"]: _kept_share(row) for row in data.manifest},
        "dates": sorted(document.published for document in data.documents if document.published),
        "boilerplate_lines": data.boilerplate_lines,
        "manifest": data.manifest,
        "statuses": statuses,
        "not_ok": [row for row in data.manifest if row["status"] != "ok"],
        "people": people,
        "pairs": pairs[: base["top_n"]],
        "theme_sentences": theme_sentences,
        "functions": functions_per_document(data),
        "function_names": function_order(data.function_names or {r["function"] for r in data.sentence_functions}),
        "frame_labels": data.frame_labels,
        "frame_descriptions": data.frame_descriptions,
        "agreement": agreement_by_comparison(data.agreement),
        "validation_problems": data.validation_problems,
        **extra,
    }


def agreement_by_comparison(rows: list[dict]) -> dict[str, list[dict]]:
    """agreement.csv's rows grouped by comparison, in the table's order."""
    grouped: dict[str, list[dict]] = {}
    for row in rows:
        grouped.setdefault(row["comparison"], []).append(row)
    return grouped


def render(env: jinja2.Environment, template: str, context: dict) -> str:
    return env.get_template(template).render(**context)
