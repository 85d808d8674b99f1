"""Small annotated documents for the entity tests: spaCy's Norwegian tokenizer, hand-set entities."""

from __future__ import annotations

import spacy
from spacy.tokens import Doc

from diskurs.annotate.pipeline import prepare_pipeline
from diskurs.entities.actors import load_actors

_NLP = None


def nlp():
    """Blank Norwegian pipeline with the paragraph splitter and the shipped actor ruler."""
    global _NLP
    if _NLP is None:
        _NLP = prepare_pipeline(spacy.blank("nb"), load_actors())
    return _NLP


def make_doc(text: str, entities: list[tuple[str, str]] = (), *, pipeline=None, **metadata) -> Doc:
    """Annotate ``text`` (with ``pipeline``, else the blank one) and put ``(substring, label)``
    entities in place of what it found there."""
    doc = (pipeline or nlp())(text)
    spans = list(doc.ents)
    hand: list = []
    for substring, label in entities:
        start, placed = 0, 0
        while (found := text.find(substring, start)) >= 0:
            start = found + len(substring)
            span = doc.char_span(found, found + len(substring), label=label)
            # Occurrences inside a longer word ("Haugland" in "Hauglands") or inside an entity
            # given earlier ("Haugland" in "Siri Haugland") are not that entity.
            if span is not None and not any(h.start < span.end and span.start < h.end for h in hand):
                spans = [s for s in spans if s.end <= span.start or s.start >= span.end] + [span]
                hand.append(span)
                placed += 1
        assert placed, f"{substring!r} is not a whole-token part of the text"
    doc.set_ents(sorted(spans, key=lambda s: s.start))
    doc.user_data.update({"doc_id": "d", "source": "d.txt", "title": "", "published": None, "authors": []})
    doc.user_data.update(metadata)
    return doc
