"""The `frames` stage: frames, framing functions, quotes and actor frames of every document."""

from __future__ import annotations

from dataclasses import dataclass, field

from diskurs.compute import prefill
from diskurs.frames.actors import ActorIndex, read_optional
from diskurs.frames.cache import FramesMap
from diskurs.frames.quotes import PersonIndex, resolve_speaker
from diskurs.frames.tables import (
    ACTOR_FRAMES,
    DOCUMENT_FRAMES,
    FRAME_EVIDENCE,
    QUOTES,
    SENTENCE_ACTORS,
    SENTENCE_FUNCTIONS,
    ActorFrames,
    document_frame_rows,
    evidence_rows,
    function_rows,
    quote_rows,
    sentence_actor_rows,
)
from diskurs.io import read_csv, write_csv
from diskurs.layout import Layout


def _by_sentence(row: dict) -> tuple:
    return row["source"], row["doc_id"], row["sentence_id"]


@dataclass
class FramesSummary:
    documents: int = 0
    sentences: int = 0
    evidence: int = 0
    quotes: int = 0
    from_cache: int = 0
    without_frames: list[str] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)
    failed_tasks: list[str] = field(default_factory=list)  # on the cluster; computed here

    def describe(self) -> str:
        lines = [
            (
                f"frames: {self.documents} documents, {self.sentences} sentences, "
                f"{self.evidence} evidence rows, {self.quotes} quotes"
            ),
            f"  {self.from_cache} of {self.documents} documents from the frames cache",
        ]
        if self.without_frames:
            lines.append(f"  no frame cue found in: {', '.join(self.without_frames)}")
        for source, reason in self.failed:
            lines.append(f"  skipped {source}: {reason}")
        lines += [f"  a task failed on the cluster and was computed here: {reason}" for reason in self.failed_tasks]
        return "\n".join(lines)


def run_frames(layout: Layout, params: dict) -> FramesSummary:
    frames_of = FramesMap(layout, params)
    failed_tasks = prefill("frames", frames_of, layout, params)
    lexicon = frames_of.lexicon
    people = PersonIndex.from_rows(read_optional(layout.entities_dir / "people.csv", read_csv))
    index = ActorIndex(read_optional(layout.entities_dir / "mentions.csv", read_csv))
    summary = FramesSummary(failed_tasks=failed_tasks)
    tables: dict[str, list[dict]] = {"document": [], "evidence": [], "functions": [], "quotes": [], "actors": []}
    actors = ActorFrames()
    for entry in frames_of.entries():
        source, doc_id = str(entry.metadata.get("source", "")), str(entry.metadata.get("doc_id", ""))
        try:
            found, cached = frames_of(entry)
            # The entities tables may have changed since the entry was cached: resolve every run.
            sentences, quotes = found.sentences, found.quotes
            for quote in quotes:
                quote.speaker = index.speaker(resolve_speaker(quote.speaker, people), doc_id)
            voices = [(quote, index.voices(quote, doc_id)) for quote in quotes]
        except Exception as error:  # one bad document is reported and never stops the run
            summary.failed.append((source or doc_id, f"{type(error).__name__}: {error}"))
            continue
        summary.documents += 1
        summary.from_cache += cached
        summary.sentences += len(sentences)
        summary.quotes += len(quotes)
        if not any(sentence.frames for sentence in sentences):
            summary.without_frames.append(source or doc_id)
        tables["document"] += document_frame_rows(source, doc_id, sentences, lexicon.frame_names)
        tables["evidence"] += evidence_rows(source, doc_id, sentences)
        tables["functions"] += function_rows(source, doc_id, sentences)
        tables["quotes"] += quote_rows(source, doc_id, quotes)
        actors.add(doc_id, sentences, voices, index.named(doc_id))
        tables["actors"] += sentence_actor_rows(source, doc_id, voices, index.named(doc_id))
    out = layout.frames_dir
    write_csv(
        out / "document_frames.csv",
        DOCUMENT_FRAMES,
        sorted(tables["document"], key=lambda r: (r["source"], r["doc_id"], r["frame"])),
    )
    summary.evidence = write_csv(
        out / "frame_evidence.csv",
        FRAME_EVIDENCE,
        sorted(tables["evidence"], key=lambda r: _by_sentence(r) + (r["frame"],)),
    )
    write_csv(
        out / "sentence_functions.csv",
        SENTENCE_FUNCTIONS,
        sorted(tables["functions"], key=lambda r: _by_sentence(r) + (r["function"],)),
    )
    write_csv(
        out / "quotes.csv",
        QUOTES,
        sorted(tables["quotes"], key=lambda r: (r["source"], r["doc_id"], r["sentence_id"], r["speaker"])),
    )
    write_csv(out / "actor_frames.csv", ACTOR_FRAMES, actors.rows())
    write_csv(out / "sentence_actors.csv", SENTENCE_ACTORS, sorted(tables["actors"], key=_by_sentence))
    frames_of.cache.prune()
    return summary
