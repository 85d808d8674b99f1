"""The entity labels diskurs knows, and the groups of them its stages ask about: one place for each."""

from __future__ import annotations

# NorNE's nine labels, which the shipped model predicts.
NORNE_LABELS = ("PER", "ORG", "GPE_ORG", "GPE_LOC", "LOC", "PROD", "EVT", "DRV", "MISC")
# Labels that name an organisation: a body, or a geo-political name acting as one ("Norge signerte").
ORGANISATION_LABELS = frozenset({"ORG", "GPE_ORG"})
# NorNE's two roles of a geo-political name: the place ("i Norge") and the actor ("Norge
# signerte avtalen"). Which one a mention has is a fact about that mention, not about the name.
GPE_ROLES = frozenset({"GPE_LOC", "GPE_ORG"})
# Labels a place's name may have: a place, or a geo-political name in either role.
PLACE_LABELS = frozenset({"LOC"}) | GPE_ROLES
# Labels of names that are no person, so never a quote's speaker: all of NorNE's but PER and MISC
# (which holds anything), and the GPE of models trained on spaCy's English-style scheme.
NOT_PERSON_LABELS = frozenset(NORNE_LABELS) - {"PER", "MISC"} | {"GPE"}

# Kinds of actor an actor list entry (or name shape) may give as its `type`; the comparisons group
# frames by them. Any other organisation is of UNKNOWN_TYPE.
ACTOR_TYPES = (
    "health_trust",
    "hospital",
    "ministry",
    "directorate",
    "agency",
    "municipality",
    "county",
    "supplier",
    "research",
    "interest_organisation",
    "programme",
    "other",
)
UNKNOWN_TYPE = "unknown"
