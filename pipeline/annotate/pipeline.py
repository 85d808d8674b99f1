"""Preparing the loaded spaCy pipeline for the corpus: paragraph-aware sentences, actor ruler.

The actor ruler runs after the statistical ``ner`` and overwrites overlapping entities; a ruler
for name shapes ("<Name> kommune", "<Name> AS") runs between them, so a listed actor always
ends up with the list's canonical id. Placed
there, a listed actor gets the list's span and label whatever the model predicted ("Helse Vest"
tagged GPE_LOC, or "Helse Vest RHF ny" as one ORG, both become ORG "Helse Vest RHF"), while the
model's own entities elsewhere are exactly those it was scored on. Placed before ``ner``, the
ruler's spans would also win, but they would change the model's predictions around them,
which the reported NER scores do not cover.
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from pipeline.entities.actors import ActorList

RULER = "actor_ruler"
SHAPES = "name_shape_ruler"
PARAGRAPHS = "paragraph_sentences"


@Language.component(PARAGRAPHS)
def paragraph_sentences(doc: Doc) -> Doc:
    """A paragraph break always starts a sentence: headings and list items have no full stop."""
    for token in doc[:-1]:
        if token.is_space and "\n" in token.text:
            # The break itself stays with the sentence before it, never a sentence of its own.
            if token.i > 0:
                token.is_sent_start = False
            doc[token.i + 1].is_sent_start = True
    return doc


def prepare_pipeline(nlp: Language, actors: ActorList) -> Language:
    """Add paragraph sentence starts and the actor ruler to a loaded pipeline (in place)."""
    splitter = next((name for name in ("senter", "parser") if name in nlp.pipe_names), None)
    if splitter is None:
        nlp.add_pipe("sentencizer")
        splitter = "sentencizer"
    nlp.add_pipe(PARAGRAPHS, before=splitter)
    config = {"overwrite_ents": True, "phrase_matcher_attr": "ORTH"}
    placement = {"after": "ner"} if "ner" in nlp.pipe_names else {}
    shapes = nlp.add_pipe("entity_ruler", name=SHAPES, config=config, **placement)
    shapes.add_patterns(actors.shape_patterns())
    ruler = nlp.add_pipe("entity_ruler", name=RULER, after=SHAPES, config=config)
    ruler.add_patterns(actors.ruler_patterns())
    return nlp
