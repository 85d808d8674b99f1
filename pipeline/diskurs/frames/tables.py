"""Rows of the frame tables, built from one document's sentences, quotes and named actors."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from diskurs.frames.matcher import SentenceFrames
from diskurs.frames.quotes import Quote
from diskurs.stats import wilson

DOCUMENT_FRAMES = ("source", "doc_id", "frame", "score", "sentences", "of_sentences", "ci_low", "ci_high")
FRAME_EVIDENCE = ("source", "doc_id", "sentence_id", "frame", "function", "cue", "hedge", "sentence")
SENTENCE_FUNCTIONS = ("source", "doc_id", "sentence_id", "function", "cue", "hedge", "sentence")
QUOTES = ("doc_id", "source", "speaker", "role", "organisation", "kind", "quote", "sentence_id")
SENTENCE_ACTORS = ("source", "doc_id", "sentence_id", "actor", "kind", "how")
ACTOR_FRAMES = (
    "actor",
    "actor_type",
    "frame",
    "sentences",
    "spoken",
    "documents",
    "actor_sentences",
    "share",
    "ci_low",
    "ci_high",
)


def document_frame_rows(
    source: str, doc_id: str, sentences: Sequence[SentenceFrames], frames: Sequence[str]
) -> list[dict]:
    """One row per frame: the share of the document's sentences that evoke it, how many do, of
    how many, and the share's 95 % Wilson interval."""
    total = len(sentences)
    rows = []
    for frame in frames:
        count = sum(1 for sentence in sentences if frame in sentence.frames)
        low, high = wilson(count, total) or (None, None)
        rows.append(
            {
                "source": source,
                "doc_id": doc_id,
                "frame": frame,
                "score": round(count / total, 4) if total else 0.0,
                "sentences": count,
                "of_sentences": total,
                "ci_low": low,
                "ci_high": high,
            }
        )
    return rows


def evidence_rows(source: str, doc_id: str, sentences: Iterable[SentenceFrames]) -> list[dict]:
    """One row per sentence and frame, with the cues as written and the sentence's function."""
    return [
        {
            "source": source,
            "doc_id": doc_id,
            "sentence_id": sentence.sentence_id,
            "frame": frame,
            "function": sentence.function,
            "cue": "|".join(cues),
            "hedge": "|".join(sentence.hedges),
            "sentence": sentence.text,
        }
        for sentence in sentences
        for frame, cues in sorted(sentence.frames.items())
    ]


def function_rows(source: str, doc_id: str, sentences: Iterable[SentenceFrames]) -> list[dict]:
    """One row per sentence and framing function found in it, with the cues."""
    return [
        {
            "source": source,
            "doc_id": doc_id,
            "sentence_id": sentence.sentence_id,
            "function": function,
            "cue": "|".join(cues),
            "hedge": "|".join(sentence.hedges),
            "sentence": sentence.text,
        }
        for sentence in sentences
        for function, cues in sorted(sentence.functions.items())
    ]


def quote_rows(source: str, doc_id: str, quotes: Iterable[Quote]) -> list[dict]:
    return [
        {
            "doc_id": doc_id,
            "source": source,
            "speaker": quote.speaker.name,
            "role": quote.speaker.role,
            "organisation": quote.speaker.organisation,
            "kind": quote.kind,
            "quote": quote.text,
            "sentence_id": quote.sentence_id,
        }
        for quote in quotes
    ]


def sentence_actor_rows(
    source: str,
    doc_id: str,
    voices: Iterable[tuple[Quote, set[tuple[str, str]]]],
    named: dict[int, set[tuple[str, str]]],
) -> list[dict]:
    """One row per sentence and actor the sentence names or quotes (``how``), the actors as
    :class:`ActorFrames` counts them: who is present in which sentence, for the comparisons."""
    found: dict[tuple[int, str, str], set[str]] = defaultdict(set)
    for quote, speakers in voices:
        for sentence_id in quote.sentence_ids:
            for actor, kind in speakers:
                found[(sentence_id, actor, kind)].add("quoted")
    for sentence_id, actors in named.items():
        for actor, kind in actors:
            found[(sentence_id, actor, kind)].add("named")
    return [
        {
            "source": source,
            "doc_id": doc_id,
            "sentence_id": sentence_id,
            "actor": actor,
            "kind": kind,
            "how": "|".join(sorted(how)),
        }
        for (sentence_id, actor, kind), how in sorted(found.items())
    ]


@dataclass
class ActorFrames:
    """Counts of the sentences each actor speaks or is named in, per frame, across documents."""

    sentences: dict = field(default_factory=lambda: defaultdict(set))
    spoken: dict = field(default_factory=lambda: defaultdict(set))
    # Every sentence that names or quotes the actor, with a frame or not: what a share is of.
    present: dict = field(default_factory=lambda: defaultdict(set))

    def add(
        self,
        doc_id: str,
        sentences: Sequence[SentenceFrames],
        voices: Iterable[tuple[Quote, set[tuple[str, str]]]],
        named: dict[int, set[tuple[str, str]]],
    ) -> None:
        """``voices``: each quote with the (actor, kind) it gives voice to; ``named``: sentence id
        -> the (actor, kind) named in it."""
        frames_of = {sentence.sentence_id: sentence.frames for sentence in sentences}
        for quote, speakers in voices:
            for sentence_id in quote.sentence_ids:
                for actor in speakers:
                    self.present[actor].add((doc_id, sentence_id))
                for frame in frames_of.get(sentence_id, {}):
                    for actor in speakers:
                        self.sentences[actor + (frame,)].add((doc_id, sentence_id))
                        self.spoken[actor + (frame,)].add((doc_id, sentence_id))
        for sentence_id, actors in named.items():
            for actor in actors:
                self.present[actor].add((doc_id, sentence_id))
            for frame in frames_of.get(sentence_id, {}):
                for actor in actors:
                    self.sentences[actor + (frame,)].add((doc_id, sentence_id))

    def rows(self) -> list[dict]:
        rows = []
        for (actor, kind, frame), found in sorted(self.sentences.items()):
            total = len(self.present[(actor, kind)])
            low, high = wilson(len(found), total) or (None, None)
            rows.append(
                {
                    "actor": actor,
                    "actor_type": kind,
                    "frame": frame,
                    "sentences": len(found),
                    "spoken": len(self.spoken.get((actor, kind, frame), ())),
                    "documents": len({doc_id for doc_id, _ in found}),
                    "actor_sentences": total,
                    "share": round(len(found) / total, 4),
                    "ci_low": low,
                    "ci_high": high,
                }
            )
        return rows
