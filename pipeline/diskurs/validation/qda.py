"""Export to QDA software: the clean documents and the tool's coding as a REFI-QDA project.

NVivo, ATLAS.ti, MAXQDA and QualCoder read the REFI-QDA project exchange format (a `.qdpx` ZIP
holding `project.qde`, XML in the namespace `urn:QDA-XML:project:1.0`, and a `sources/` folder).
Each clean document is a text source; the tool's coding becomes codes on character ranges of it:
every sentence that evokes a frame or framing function is a selection coded with them, every
quote a selection coded with its speaker, every mention of an actor one coded with the actor.
Positions count Unicode code points from 0, the end exclusive, in the text as stored in the
project (the clean text, UTF-8, line breaks as they are), as the standard (section 10.2) says.

Every identifier is derived from what it stands for (a UUID 5), and the archive's entries carry
a fixed date, so the same results give a byte-identical project.
"""

from __future__ import annotations

import uuid
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from xml.etree import ElementTree as ET

from diskurs.frames.cache import FramesMap
from diskurs.io import atomic_path, read_csv, read_jsonl
from diskurs.layout import Layout
from diskurs.validation.agreement import Coding, Problem, SentenceIndex

NAMESPACE = "urn:QDA-XML:project:1.0"
# The namespace of diskurs's identifiers: any name gives the same GUID on every machine.
GUIDS = uuid.UUID("5f1c4d52-7e0b-4a47-9a52-6f7a1c0e2b11")
ZIP_DATE = (1980, 1, 1, 0, 0, 0)
# Code folders: their children are the codes a selection gets.
FRAMES, FUNCTIONS, SPEAKERS, ACTORS = "Frames", "Framing functions", "Speakers", "Actors"


def guid(*parts: object) -> str:
    return str(uuid.uuid5(GUIDS, "\0".join(map(str, parts)))).upper()


@dataclass
class ExportSummary:
    path: Path
    sources: int = 0
    selections: int = 0
    codes: int = 0
    skipped: list[tuple[str, str]] = field(default_factory=list)

    def describe(self) -> str:
        lines = [
            f"export-qda: {self.sources} documents, {self.codes} codes, {self.selections} coded selections -> {self.path}"
        ]
        lines += [f"  skipped {source}: {reason}" for source, reason in self.skipped]
        return "\n".join(lines)


class _CodeBook:
    """Code folders and their codes, each code created once, in the order first used."""

    def __init__(self):
        self.folders: dict[str, dict[str, tuple[str, str]]] = {}

    def code(self, folder: str, name: str, description: str = "") -> str:
        codes = self.folders.setdefault(folder, {})
        if name not in codes:
            codes[name] = (guid("code", folder, name), description)
        return codes[name][0]

    def element(self) -> ET.Element:
        book = ET.Element(f"{{{NAMESPACE}}}CodeBook")
        codes = ET.SubElement(book, f"{{{NAMESPACE}}}Codes")
        for folder, members in self.folders.items():
            parent = ET.SubElement(
                codes, f"{{{NAMESPACE}}}Code", guid=guid("folder", folder), name=folder, isCodable="false"
            )
            for name, (code_guid, description) in members.items():
                child = ET.SubElement(parent, f"{{{NAMESPACE}}}Code", guid=code_guid, name=name, isCodable="true")
                if description:
                    ET.SubElement(child, f"{{{NAMESPACE}}}Description").text = description
        return book


def _selection(source: ET.Element, key: tuple, text: str, start: int, end: int, codes: Iterable[str]) -> None:
    selection = ET.SubElement(
        source,
        f"{{{NAMESPACE}}}PlainTextSelection",
        guid=guid("selection", *key),
        name=" ".join(text[start:end].split())[:80],
        startPosition=str(start),
        endPosition=str(end),
    )
    for code in codes:
        coding = ET.SubElement(selection, f"{{{NAMESPACE}}}Coding", guid=guid("coding", *key, code))
        ET.SubElement(coding, f"{{{NAMESPACE}}}CodeRef", targetGUID=code)


def _rows_by_document(path: Path) -> dict[str, list[dict]]:
    rows: dict[str, list[dict]] = {}
    for row in read_csv(path) if path.is_file() else ():
        rows.setdefault(row["doc_id"], []).append(row)
    return rows


def export_project(layout: Layout, params: dict, out: Path) -> ExportSummary:
    """Write the REFI-QDA project of the results under ``layout`` to ``out``."""
    frames_of = FramesMap(layout, params)
    lexicon = frames_of.lexicon
    book = _CodeBook()
    for entry in lexicon.frames:
        book.code(FRAMES, entry.name, f"{entry.label}: {entry.description}")
    for entry in lexicon.functions:
        book.code(FUNCTIONS, entry.name, entry.description)
    texts = {record["doc_id"]: record for record in read_jsonl(layout.clean)}
    mentions = _rows_by_document(layout.entities_dir / "mentions.csv")
    quotes = _rows_by_document(layout.frames_dir / "quotes.csv")
    summary = ExportSummary(out)
    user = guid("user", "diskurs")
    project = ET.Element(f"{{{NAMESPACE}}}Project", name="diskurs", origin="diskurs", creatingUserGUID=user)
    users = ET.SubElement(project, f"{{{NAMESPACE}}}Users")
    ET.SubElement(users, f"{{{NAMESPACE}}}User", guid=user, name="diskurs")
    sources = ET.Element(f"{{{NAMESPACE}}}Sources")
    with atomic_path(out) as tmp, zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as archive:
        for entry, found in frames_of.documents(summary.skipped):
            _add_source(archive, sources, book, summary, entry, found, texts, quotes, mentions)
        project.append(book.element())
        project.append(sources)
        ET.register_namespace("", NAMESPACE)
        _write(archive, "project.qde", ET.tostring(project, encoding="utf-8", xml_declaration=True))
    summary.codes = sum(len(members) for members in book.folders.values())
    return summary


def _write(archive: zipfile.ZipFile, name: str, data: bytes) -> None:
    # A fixed date on every entry: the same project gives the same bytes.
    archive.writestr(zipfile.ZipInfo(name, ZIP_DATE), data, zipfile.ZIP_DEFLATED)


def _add_source(archive, sources, book, summary, entry, found, texts, quotes, mentions) -> None:
    """One document as a text source with its coded selections, its text into the archive."""
    doc_id, name = str(entry.metadata.get("doc_id", "")), str(entry.metadata.get("source", ""))
    record = texts.get(doc_id)
    if record is None:
        summary.skipped.append((name or doc_id, "not in clean.jsonl: run the pipeline again"))
        return
    text = str(record["text"])
    source_guid = guid("source", doc_id)
    _write(archive, f"sources/{source_guid}.txt", text.encode("utf-8"))
    source = ET.SubElement(
        sources,
        f"{{{NAMESPACE}}}TextSource",
        guid=source_guid,
        name=name,
        plainTextPath=f"internal://{source_guid}.txt",
    )
    spans = {s.sentence_id: (s.start_char, s.end_char) for s in found.sentences}
    for sentence in found.sentences:
        codes = [book.code(FRAMES, frame) for frame in sentence.frames]
        codes += [book.code(FUNCTIONS, function) for function in sentence.functions]
        if codes:
            _selection(source, (doc_id, "sentence", sentence.sentence_id), text, *spans[sentence.sentence_id], codes)
            summary.selections += 1
    # A quote spans its sentences; quotes.csv names it by its first one and its text.
    spoken = {(quote.sentence_ids[0], quote.text): quote.sentence_ids for quote in found.quotes}
    for row in quotes.get(doc_id, []):
        ids = spoken.get((int(row["sentence_id"]), row["quote"]))
        if not ids or ids[0] not in spans or ids[-1] not in spans:
            continue
        code = book.code(SPEAKERS, row["speaker"], ", ".join(p for p in (row["role"], row["organisation"]) if p))
        key = (doc_id, "quote", row["sentence_id"], row["speaker"], row["quote"])
        _selection(source, key, text, spans[ids[0]][0], spans[ids[-1]][1], [code])
        summary.selections += 1
    for row in mentions.get(doc_id, []):
        if not (row["start_char"] and row["end_char"]):
            continue  # a byline's author stands in no sentence of the body
        code = book.code(ACTORS, row["canonical"], row["label"])
        start, end = int(row["start_char"]), int(row["end_char"])
        _selection(source, (doc_id, "mention", start, end), text, start, end, [code])
        summary.selections += 1
    summary.sources += 1


def read_project(path: Path, codes: Sequence[str], index: SentenceIndex) -> tuple[Coding, list[Problem]]:
    """A REFI-QDA project that a person has coded (in NVivo, ATLAS.ti, MAXQDA, QualCoder), read
    as a coding sheet: each text source is a document of the corpus (found by its name, the
    source file, or by the identifier this export gave it); each of its sentences counts as
    coded, with a frame or function wherever a selection coded with that code overlaps it. A
    source whose text is not the corpus's, or a code that names no frame or function, is
    reported, not scored."""
    coding, problems = Coding(path.stem), []
    try:
        archive = zipfile.ZipFile(path)
        project = ET.fromstring(archive.read("project.qde"))
    except (OSError, KeyError, zipfile.BadZipFile, ET.ParseError) as error:
        problems.append(Problem(str(path), None, "", "", f"not a REFI-QDA project ({error}): export it again as .qdpx"))
        return coding, problems
    names = {code.get("guid"): code.get("name") or "" for code in project.iter(f"{{{NAMESPACE}}}Code")}
    # The speakers and actors this export writes are no frames and no mistake either; any other
    # code used on a selection that names no frame or function is reported, once.
    people = {
        code.get("guid")
        for folder in project.iter(f"{{{NAMESPACE}}}Code")
        if folder.get("name") in (SPEAKERS, ACTORS)
        for code in folder.iter(f"{{{NAMESPACE}}}Code")
    }
    used = {
        names[ref.get("targetGUID")]
        for ref in project.iter(f"{{{NAMESPACE}}}CodeRef")
        if ref.get("targetGUID") in names and ref.get("targetGUID") not in people
    }
    for name in sorted(used - set(codes)):
        problems.append(
            Problem(str(path), None, name, "", "a code that names no frame or function of the lexicon; left out")
        )
    documents = {source: doc_id for doc_id, source in index.sources.items()}
    by_guid = {guid("source", doc_id): doc_id for doc_id in index.sources}
    units: dict[str, list[str]] = {}
    for unit in index.ranges:
        units.setdefault(unit.rsplit(":", 1)[0], []).append(unit)
    for source in project.iter(f"{{{NAMESPACE}}}TextSource"):
        label = source.get("name") or source.get("guid") or ""
        doc_id = documents.get(source.get("name") or "") or by_guid.get((source.get("guid") or "").upper())
        if doc_id is None:
            problems.append(Problem(str(path), None, label, "", "a source that is no document of the corpus; left out"))
            continue
        text = _source_text(archive, source)
        # Positions point at the corpus's sentences only in the text they were counted in.
        if text is None or any(
            " ".join(text[slice(*index.ranges[unit])].split()) != index.texts[unit] for unit in units.get(doc_id, [])
        ):
            problems.append(
                Problem(
                    str(path),
                    None,
                    label,
                    "",
                    "its text differs from the corpus's, so positions cannot be read; left out",
                )
            )
            continue
        coded = {unit: dict.fromkeys(codes, 0) for unit in units.get(doc_id, [])}
        for selection in source.iter(f"{{{NAMESPACE}}}PlainTextSelection"):
            start, end = int(selection.get("startPosition", 0)), int(selection.get("endPosition", 0))
            found = [names.get(ref.get("targetGUID"), "") for ref in selection.iter(f"{{{NAMESPACE}}}CodeRef")]
            found = [name for name in found if name in codes]
            for unit in coded:
                low, high = index.ranges[unit]
                if start < high and low < end:
                    for name in found:
                        coded[unit][name] = 1
        coding.codes.update(coded)
    return coding, problems


def _source_text(archive: zipfile.ZipFile, source: ET.Element) -> str | None:
    content = source.find(f"{{{NAMESPACE}}}PlainTextContent")
    if content is not None:
        return content.text or ""
    path = source.get("plainTextPath") or ""
    if path.startswith("internal://"):
        try:
            return archive.read(f"sources/{path.removeprefix('internal://')}").decode("utf-8")
        except (KeyError, UnicodeDecodeError):
            return None
    return None
