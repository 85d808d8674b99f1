"""The tables the report shows, read into plain lists and dicts in a fixed order.

Only the small per-document and per-actor tables are held in memory; document texts are streamed
where they are needed (word counts, keyword in context, document pages).
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from diskurs.io import read_csv, read_jsonl
from diskurs.layout import Layout


@dataclass
class Document:
    doc_id: str
    source: str
    title: str
    published: str
    authors: list[str]
    urls: list[str]
    words: int
    key: str = ""  # short label used in figures: D1, D2, ... in source order

    @property
    def page(self) -> str:
        """The document's page, relative to reports/; the id is reduced to safe file-name characters."""
        return f"documents/{re.sub(r'[^A-Za-z0-9_-]', '_', self.doc_id) or 'document'}.html"


@dataclass
class ReportData:
    documents: list[Document]
    manifest: list[dict]
    boilerplate_lines: dict[str, int]
    entities: list[dict]
    people: list[dict]
    cooccurrence: list[dict]
    themes: list[dict]
    document_themes: list[dict]
    theme_sentences: list[dict]
    document_frames: list[dict]
    frame_evidence: list[dict]
    sentence_functions: list[dict]
    quotes: list[dict]
    actor_frames: list[dict]
    agreement: list[dict] = field(default_factory=list)
    validation_problems: list[dict] = field(default_factory=list)
    frame_labels: dict[str, str] = field(default_factory=dict)
    frame_descriptions: dict[str, str] = field(default_factory=dict)
    function_names: list[str] = field(default_factory=list)

    @property
    def words(self) -> int:
        return sum(document.words for document in self.documents)

    @property
    def document_by_id(self) -> dict[str, Document]:
        return {document.doc_id: document for document in self.documents}


def _rows(path: Path) -> list[dict]:
    """A table's rows, or none when an optional stage output is missing (the report says so)."""
    return list(read_csv(path)) if path.is_file() else []


def count_words(text: str) -> int:
    return len(text.split())


def read_documents(clean: Path, interim: Path) -> list[Document]:
    """One entry per clean document in source order, with the URLs ingest found in the original."""
    urls: dict[str, list[str]] = {}
    if interim.is_file():
        for record in read_jsonl(interim):
            urls[str(record.get("doc_id", ""))] = [str(url) for url in record.get("urls") or []]
    documents = []
    for record in read_jsonl(clean):
        doc_id = str(record.get("doc_id", ""))
        documents.append(
            Document(
                doc_id=doc_id,
                source=str(record.get("source", "")),
                title=str(record.get("title") or ""),
                published=str(record.get("published") or ""),
                authors=[str(author) for author in record.get("authors") or []],
                urls=urls.get(doc_id, []),
                words=count_words(str(record.get("text") or "")),
            )
        )
    documents.sort(key=lambda document: (document.source, document.doc_id))
    for number, document in enumerate(documents, start=1):
        document.key = f"D{number}"
    return documents


def boilerplate_per_document(rows: Iterable[dict]) -> dict[str, int]:
    return dict(sorted(Counter(row["doc_id"] for row in rows).items()))


def _int(row: dict, key: str) -> int:
    try:
        return int(float(row.get(key) or 0))
    except ValueError:
        return 0


def load_report_data(layout: Layout, lexicon=None) -> ReportData:
    """Everything the report shows; ``lexicon`` (a frames Lexicon) adds the frames' labels."""
    entities = _rows(layout.entities_dir / "entities.csv")
    entities.sort(key=lambda row: (-_int(row, "mentions"), row["canonical"], row["label"]))
    data = ReportData(
        documents=read_documents(layout.clean, layout.documents),
        manifest=sorted(_rows(layout.manifest), key=lambda row: (row["source"], row["doc_id"])),
        boilerplate_lines=boilerplate_per_document(_rows(layout.boilerplate)),
        entities=entities,
        people=sorted(_rows(layout.entities_dir / "people.csv"), key=lambda row: (row["person"], row["source"])),
        cooccurrence=_rows(layout.entities_dir / "cooccurrence.csv"),
        themes=_rows(layout.themes_dir / "themes.csv"),
        document_themes=_rows(layout.themes_dir / "document_themes.csv"),
        theme_sentences=_rows(layout.themes_dir / "theme_sentences.csv"),
        document_frames=_rows(layout.frames_dir / "document_frames.csv"),
        frame_evidence=_rows(layout.frames_dir / "frame_evidence.csv"),
        sentence_functions=_rows(layout.frames_dir / "sentence_functions.csv"),
        quotes=_rows(layout.frames_dir / "quotes.csv"),
        actor_frames=_rows(layout.frames_dir / "actor_frames.csv"),
        agreement=_rows(layout.validation_dir / "agreement.csv"),
        validation_problems=_rows(layout.validation_dir / "problems.csv"),
    )
    if lexicon is not None:
        data.frame_labels = {entry.name: entry.label for entry in lexicon.frames}
        data.frame_descriptions = {entry.name: entry.description for entry in lexicon.frames}
        data.function_names = list(lexicon.function_names)
    return data


def frame_names(data: ReportData) -> list[str]:
    """Frames in lexicon order, then any others found in the tables."""
    names = list(data.frame_labels)
    names += sorted({row["frame"] for row in data.document_frames} - set(names))
    return names


def matrix(rows: Iterable[dict], row_key: str, col_key: str, value_key: str) -> dict[tuple[str, str], float]:
    """Sparse (row, column) -> value map of a long table."""
    cells: dict[tuple[str, str], float] = {}
    for row in rows:
        try:
            cells[(row[row_key], row[col_key])] = float(row[value_key] or 0)
        except ValueError:
            continue
    return cells


def top_frames_per_document(data: ReportData, limit: int = 3) -> dict[str, list[dict]]:
    """For each document, its frames with at least one sentence, strongest first."""
    by_document: dict[str, list[dict]] = defaultdict(list)
    for row in data.document_frames:
        if _int(row, "sentences") > 0:
            by_document[row["doc_id"]].append(row)
    return {
        doc_id: sorted(rows, key=lambda row: (-float(row["score"]), row["frame"]))[:limit]
        for doc_id, rows in sorted(by_document.items())
    }


def functions_per_document(data: ReportData) -> dict[str, dict[str, int]]:
    """Sentences per framing function (problem definition, causal interpretation, ...) per document."""
    counts: dict[str, Counter] = defaultdict(Counter)
    for row in data.sentence_functions:
        counts[row["doc_id"]][row["function"]] += 1
    return {doc_id: dict(counter) for doc_id, counter in sorted(counts.items())}


def voices(data: ReportData) -> list[dict]:
    """Each quoted speaker with role, organisation, quotes, documents and the frames of what they said."""
    speakers: dict[str, dict] = {}
    for row in data.quotes:
        entry = speakers.setdefault(
            row["speaker"],
            {"speaker": row["speaker"], "role": "", "organisation": "", "quotes": [], "documents": set(), "frames": {}},
        )
        entry["role"] = entry["role"] or row.get("role", "")
        entry["organisation"] = entry["organisation"] or row.get("organisation", "")
        entry["quotes"].append(row)
        entry["documents"].add(row["doc_id"])
    for row in data.actor_frames:
        spoken = _int(row, "spoken")
        if row["actor_type"] == "person" and row["actor"] in speakers and spoken:
            speakers[row["actor"]]["frames"][row["frame"]] = spoken
    result = []
    for entry in speakers.values():
        entry["documents"] = len(entry["documents"])
        entry["frames"] = sorted(entry["frames"].items(), key=lambda item: (-item[1], item[0]))
        result.append(entry)
    return sorted(result, key=lambda entry: (-len(entry["quotes"]), entry["speaker"]))


def actor_frame_table(data: ReportData, top_n: int) -> tuple[list[str], dict[tuple[str, str], float]]:
    """The ``top_n`` actors named in most frame sentences and their sentences per frame."""
    totals: Counter = Counter()
    for row in data.actor_frames:
        totals[row["actor"]] += _int(row, "sentences")
    actors = [actor for actor, _ in sorted(totals.items(), key=lambda item: (-item[1], item[0]))[:top_n]]
    # Each actor's label says how many sentences name or quote it.
    present = {row["actor"]: _int(row, "actor_sentences") for row in data.actor_frames}
    label = {actor: f"{actor} (n={present[actor]})" if present.get(actor) else actor for actor in actors}
    cells: dict[tuple[str, str], float] = defaultdict(float)
    for row in data.actor_frames:
        if row["actor"] in label:
            cells[(label[row["actor"]], row["frame"])] += _int(row, "sentences")
    return [label[actor] for actor in actors], dict(cells)


def evidence_by_frame(data: ReportData, per_frame: int) -> dict[str, list[dict]]:
    """The first ``per_frame`` evidence sentences of each frame, spread over documents in turn."""
    by_frame: dict[str, dict[str, list[dict]]] = defaultdict(lambda: defaultdict(list))
    for row in data.frame_evidence:
        by_frame[row["frame"]][row["doc_id"]].append(row)
    order = {document.doc_id: document.source for document in data.documents}
    chosen: dict[str, list[dict]] = {}
    for frame, documents in sorted(by_frame.items()):
        queues = [rows for _, rows in sorted(documents.items(), key=lambda item: order.get(item[0], item[0]))]
        picked: list[dict] = []
        depth = 0
        while len(picked) < per_frame and any(depth < len(rows) for rows in queues):
            picked += [rows[depth] for rows in queues if depth < len(rows)][: per_frame - len(picked)]
            depth += 1
        chosen[frame] = picked
    return chosen
