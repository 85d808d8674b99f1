"""Mapping NDT's part-of-speech tags and features to Universal Dependencies (UPOS, UD features).

The rules follow the UD Norwegian-Bokmål conversion of NDT, checked against NorNE's dev split in
UD format (``ud-dev.conllu``), bokmål and nynorsk alike (nynorsk's own spellings of the same
tags and words are listed beside bokmål's): where NDT keeps one tag for what UD splits (verb → VERB or AUX,
prep → ADP or SCONJ, det → DET, PRON or NUM), the lemma and the dependency tree decide.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

# Verbs that UD tags AUX when they govern an infinitive or participle (NDT relation INFV).
AUX_LEMMAS = frozenset(
    {"være", "ha", "bli", "kunne", "skulle", "ville", "måtte", "burde", "få", "tørre", "vere", "vilje"}
)
# Cardinal number words NDT tags as quantifying determiners; UD tags them NUM.
NUMBER_WORDS = frozenset(
    {
        "null",
        "én",
        "ett",
        "to",
        "tre",
        "fire",
        "fem",
        "seks",
        "sju",
        "syv",
        "åtte",
        "ni",
        "ti",
        "elleve",
        "tolv",
        "tretten",
        "fjorten",
        "femten",
        "seksten",
        "sytten",
        "atten",
        "nitten",
        "tjue",
        "tyve",
        "tretti",
        "tredve",
        "førti",
        "femti",
        "seksti",
        "sytti",
        "åtti",
        "nitti",
        "hundre",
        "tusen",
        "halvannen",
        "eneste",
        "ene",
        "éin",
        "eitt",
        "eine",
        "einaste",
        "halvanna",
    }
)
PUNCT_TAGS = frozenset({"clb", "<komma>", "<strek>", "<anf>", "<parentes-beg>", "<parentes-slutt>"})
SIMPLE_UPOS = {
    "subst": "NOUN",
    "adj": "ADJ",
    "adv": "ADV",
    "pron": "PRON",
    "konj": "CCONJ",
    "sbu": "SCONJ",
    "inf-merke": "PART",
    "interj": "INTJ",
    "symb": "SYM",
    "ukjent": "X",
}
# NDT feature → (UD feature, value); several NDT values can set the same UD feature.
FEATURES = {
    "mask": ("Gender", "Masc"),
    "fem": ("Gender", "Fem"),
    "nøyt": ("Gender", "Neut"),
    "ent": ("Number", "Sing"),
    "eint": ("Number", "Sing"),
    "fl": ("Number", "Plur"),
    "ub": ("Definite", "Ind"),
    "be": ("Definite", "Def"),
    "bu": ("Definite", "Def"),
    "pos": ("Degree", "Pos"),
    "komp": ("Degree", "Cmp"),
    "sup": ("Degree", "Sup"),
    "nom": ("Case", "Nom"),
    "akk": ("Case", "Acc"),
    "gen": ("Case", "Gen"),
    "1": ("Person", "1"),
    "2": ("Person", "2"),
    "3": ("Person", "3"),
    "pass": ("Voice", "Pass"),
    "fork": ("Abbr", "Yes"),
    "poss": ("Poss", "Yes"),
    "refl": ("Reflex", "Yes"),
    "dem": ("PronType", "Dem"),
    "pers": ("PronType", "Prs"),
    "imp": ("Mood", "Imp"),
    "inf": ("VerbForm", "Inf"),
    "perf-part": ("VerbForm", "Part"),
    "<perf-part>": ("VerbForm", "Part"),
    "<pres-part>": ("VerbForm", "Part"),
    "hum": ("Animacy", "Hum"),
    "m/f": ("Gender", "Fem,Masc"),
}
ARTICLES = frozenset({"en", "ei", "et", "ein", "eit"})
NEGATIONS = frozenset({"ikke", "ikkje"})
# Finite verb tenses; a verb with one is also VerbForm=Fin, Mood=Ind.
VERB_TENSE = {"pres": "Pres", "pret": "Past"}


class Token(Protocol):
    lemma: str
    pos: str
    feats: Sequence[str]
    head: int
    deprel: str


def _child_relations(index: int, sentence: Sequence[Token]) -> list[tuple[str, str]]:
    """(relation, NDT tag) of every dependent of the token at 1-based position ``index``."""
    return [(t.deprel, t.pos) for t in sentence if t.head == index]


def to_upos(token: Token, sentence: Sequence[Token]) -> str:
    """The Universal POS tag of one NDT token, given the sentence it stands in."""
    pos = token.pos
    lemma = token.lemma.lower()
    if pos in PUNCT_TAGS:
        return "PUNCT"
    index = next(i for i, t in enumerate(sentence, start=1) if t is token)
    if pos == "subst":
        return "PROPN" if "prop" in token.feats else "NOUN"
    if pos == "verb":
        relations = {rel for rel, _ in _child_relations(index, sentence)}
        if lemma in AUX_LEMMAS and "INFV" in relations:
            return "AUX"
        if lemma in ("være", "vere") and "SPRED" in relations:
            return "AUX"
        return "VERB"
    if pos == "prep":
        if lemma.startswith(("her", "der", "dit")):
            return "ADV"
        complements = [tag for rel, tag in _child_relations(index, sentence) if rel == "PUTFYLL"]
        if not complements:
            return "ADP"
        # A preposition heading a clause, an object predicative or a "som" predicative is a
        # subordinator in UD; a plain subject predicative ("er i stand") stays a preposition.
        if complements[0] in ("verb", "inf-merke", "sbu"):
            return "SCONJ"
        if token.deprel in ("OPRED", "FOPRED", "FSPRED") or (lemma == "som" and token.deprel == "SPRED"):
            return "SCONJ"
        return "ADP"
    if pos == "det":
        if "poss" in token.feats:
            return "PRON"
        if "kvant" in token.feats and (lemma[:1].isdigit() or lemma in NUMBER_WORDS):
            return "NUM"
        return "DET"
    if pos == "sbu" and lemma == "som":
        return "PRON"
    if pos == "adv" and lemma in NEGATIONS:
        return "PART"
    return SIMPLE_UPOS.get(pos, "X")


def to_ud_feats(token: Token, upos: str) -> str:
    """UD morphological features (``Feat=Value|…``, sorted) derivable from the NDT features."""
    feats: dict[str, str] = {}
    for value in token.feats:
        if value in FEATURES:
            name, ud_value = FEATURES[value]
            feats[name] = ud_value
        elif value in VERB_TENSE and token.pos == "verb":
            feats["Tense"] = VERB_TENSE[value]
            feats["VerbForm"] = "Fin"
            feats["Mood"] = "Ind"
    if "Mood" in feats and feats["Mood"] == "Imp":
        feats["VerbForm"] = "Fin"
    if upos == "ADJ" and feats.get("Gender") == "Fem,Masc":
        del feats["Gender"]
    if upos == "NUM":
        feats["NumType"] = "Card"
    if upos == "DET" and token.lemma.lower() in ARTICLES and "kvant" in token.feats:
        feats["PronType"] = "Art"
    if upos == "PRON" and "poss" in token.feats:
        feats["PronType"] = "Prs"
    if upos == "PRON" and token.pos == "sbu":
        feats["PronType"] = "Rel"
    if upos == "PART" and token.lemma.lower() in NEGATIONS:
        return "Polarity=Neg"
    if upos in ("PUNCT", "ADP", "CCONJ", "SCONJ", "PART", "INTJ"):
        feats = {}
    return "|".join(f"{k}={v}" for k, v in sorted(feats.items()))
