"""Preparing the loaded spaCy pipeline for the corpus: paragraph-aware sentences, Ordbank lemma
repair (see pipeline/diskurs/nlp/ordbank.py), actor ruler.

A ruler for name shapes ("<Name> kommune", "<Name> AS") and then the actor ruler run before
the statistical ``ner``; the actor ruler overwrites what the shapes found, so a listed actor
always has the list's span, label and canonical id. ``ner`` keeps these entities and predicts
the rest around them: a listed actor cannot be swallowed by a wrong model span
("Leverandørutvikling kommunedirektør Per Christian Vareide" as one ORG), and the name next to
it is still found ("Per Christian Vareide" as PER).
"""

from __future__ import annotations

import numpy
from spacy.attrs import IS_SPACE, SENT_START
from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from diskurs.entities.actors import ActorList
from diskurs.nlp.ordbank import add_ordbank_lemmas

RULER = "actor_ruler"
SHAPES = "name_shape_ruler"
PARAGRAPHS = "paragraph_sentences"
INITIALS = "person_initials"
# In pipeline order: what the shapes find, the actor list overwrites.
RULERS = (SHAPES, RULER)
# spaCy's Norwegian tokeniser keeps a full stop on these party names as if they were
# abbreviations; parties are written without one, so "regjere med Frp." ends its sentence there.
PARTY_FULL_STOPS = ("Ap.", "Frp.", "Sp.")


@Language.component(PARAGRAPHS)
def paragraph_sentences(doc: Doc) -> Doc:
    """A paragraph break always starts a sentence: headings and list items have no full stop."""
    if len(doc) < 2:
        return doc
    # Set through the array: Token.is_sent_start checks the whole Doc for a parse on every call,
    # which costs more than the rest of this component on a long document.
    rows = doc.to_array([IS_SPACE, SENT_START]).astype("int64")
    for i in numpy.flatnonzero(rows[:-1, 0]):
        if "\n" in doc[int(i)].text:
            # The break itself stays with the sentence before it, never a sentence of its own.
            if i > 0:
                rows[i, 1] = -1
            rows[i + 1, 1] = 1
    doc.from_array([SENT_START], rows[:, 1].astype("uint64"))
    return doc


def _is_initial(text: str) -> bool:
    return len(text.rstrip(".")) == 1 and text[0].isupper()


@Language.component(INITIALS)
def person_initials(doc: Doc) -> Doc:
    """A person's name goes on past a middle initial: "Morten H" + "Abrahamsen" is one person.

    The statistical model often ends a name at an initial and reads the surname after it as
    another entity; a capitalised word right after a PER that ends in an initial is its surname.
    """
    spans = list(doc.ents)
    for ent in doc.ents:
        if ent.label_ != "PER" or not _is_initial(ent[-1].text) or ent.end >= len(doc):
            continue
        following = doc[ent.end]
        if following.is_title and following.is_alpha:
            spans = [span for span in spans if not (span.start <= following.i < span.end)]
            spans.append(Span(doc, ent.start, ent.end + 1, label="PER"))
    doc.ents = filter_spans(spans)
    return doc


def prepare_pipeline(nlp: Language, actors: ActorList) -> Language:
    """Add paragraph sentence starts, lemma repair, the actor rulers and name repairs to a loaded pipeline (in place)."""
    nlp.tokenizer.rules = {text: tokens for text, tokens in nlp.tokenizer.rules.items() if text not in PARTY_FULL_STOPS}
    splitter = next((name for name in ("senter", "parser") if name in nlp.pipe_names), None)
    if splitter is None:
        nlp.add_pipe("sentencizer")
        splitter = "sentencizer"
    nlp.add_pipe(PARAGRAPHS, before=splitter)
    add_ordbank_lemmas(nlp)
    config = {"overwrite_ents": True, "phrase_matcher_attr": "ORTH"}
    placement = {"before": "ner"} if "ner" in nlp.pipe_names else {}
    nlp.add_pipe("entity_ruler", name=SHAPES, config=config, **placement)
    nlp.add_pipe("entity_ruler", name=RULER, after=SHAPES, config=config)
    # The rulers match word forms, so their pattern texts need the tokenizer alone; spaCy would
    # otherwise run every component before them over each pattern, seconds at every start.
    with nlp.select_pipes(enable=RULERS):
        for name, patterns in zip(RULERS, (actors.shape_patterns(), actors.ruler_patterns())):
            nlp.get_pipe(name).initialize(lambda: [], nlp=nlp, patterns=patterns)
    if "ner" in nlp.pipe_names:
        nlp.add_pipe(INITIALS, after="ner")
    return nlp
