"""Finding the lexicon's cues in a spaCy Doc: lemmas, multi-word phrases and compound stems.

Lemmas and phrases go through spaCy's PhraseMatcher twice: once over the word forms and once over
a parallel Doc made of the lemmas, both compared lower-cased. A lexicon entry can therefore be
written as a lemma ("strategisk innkjøper") or as running text ("hva som skal til"). Compounds,
which Norwegian writes as one word, are caught by the entry's stems: a lemma that begins or ends
with a stem and has at least ``min_rest`` further letters counts for that entry
("kompetansetiltak", "innovasjonspartnerskap").
"""

from __future__ import annotations

from dataclasses import dataclass, field

import spacy
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc

from diskurs.frames.functions import primary_function
from diskurs.frames.lexicon import Entry, Lexicon
from diskurs.views import Sentences, token_lemma


@dataclass(frozen=True, order=True)
class Cue:
    """One match of a lexicon entry: token offsets into the Doc and the words as written."""

    start: int
    end: int
    label: str
    kind: str  # "lemma", "phrase" or "stem"
    text: str


@dataclass
class SentenceFrames:
    """The frames and framing functions one sentence evokes, each with its cues as written."""

    sentence_id: int
    text: str
    # Where the sentence stands in the document's clean text, in characters (end exclusive).
    start_char: int
    end_char: int
    frames: dict[str, list[str]] = field(default_factory=dict)
    functions: dict[str, list[str]] = field(default_factory=dict)
    function: str = ""
    # Hedging adverbs of the sentence as written ("kanskje", "trolig"), in text order.
    hedges: list[str] = field(default_factory=list)


def _longest(cues: set[Cue]) -> list[Cue]:
    """Cues in text order, without those inside a longer cue of the same entry
    ("innkjøper" inside "strategisk innkjøper")."""
    return sorted(
        cue
        for cue in cues
        if not any(
            other.label == cue.label and other.start <= cue.start and cue.end <= other.end and other != cue
            for other in cues
        )
    )


# Bokmål and nynorsk words that deny what follows them.
NEGATIONS = frozenset({"ikke", "ikkje", "ingen", "inga", "ingi", "intet", "aldri"})

# Adverbs that make a statement tentative (bokmål and nynorsk). A hedged frame is still put
# forward, so the sentence keeps its codes; its evidence names the hedge for the reader to weigh.
HEDGES = frozenset(
    {
        "kanskje",
        "muligens",
        "trolig",
        "truleg",
        "antakelig",
        "antakeleg",
        "antageligvis",
        "sannsynligvis",
        "sannsynlegvis",
        "visstnok",
        "tilsynelatende",
        "tilsynelatande",
        "formodentlig",
        "angivelig",
        "neppe",
    }
)


def _negated(doc: Doc, start: int) -> bool:
    """A negation stands before token ``start``, with only determiners and adjectives between:
    "ikke et hinder", "ingen store problemer"; not "ikke bare et problem"."""
    i = start - 1
    while i >= 0 and doc[i].pos_ in ("DET", "ADJ") and doc[i].lower_ not in NEGATIONS:
        i -= 1
    return i >= 0 and doc[i].lower_ in NEGATIONS


def _verb_homograph(token) -> bool:
    """A verb spelt like a cue noun ("Derfor bruker vi tid", not "bruker" the user): its word
    form matches, its lemma says otherwise."""
    return token.pos_ in ("VERB", "AUX") and token_lemma(token) != token.lower_


class LexiconMatcher:
    """All cues of one lexicon, ready to run over any number of Docs sharing one vocabulary."""

    def __init__(
        self,
        lexicon: Lexicon,
        vocab,
        min_rest: int = 3,
        skip_entities: bool = True,
        titles: frozenset[str] = frozenset(),
    ):
        self.lexicon = lexicon
        self.min_rest = min_rest
        # A compound that ends in a role word is somebody's post, not a cue: an
        # "innovasjonsansvarlig" or "innkjøpssjef" says who speaks, not how it is framed.
        self.titles = titles
        # Names of people and bodies are who speaks, not how they frame: "Næringsdepartementet"
        # must not count as an economy cue.
        self.skip_entities = skip_entities
        self._tokenizer = spacy.blank("nb", vocab=vocab).tokenizer
        self.frames = self._phrase_matcher(vocab, lexicon.frames)
        self.functions = self._phrase_matcher(vocab, lexicon.functions)
        self.excluded = self._phrase_matcher(vocab, lexicon.frames + lexicon.functions, excluded=True)
        self._stem_memo: dict[tuple[str, str], tuple[str, ...]] = {}
        self._negatable = frozenset(entry.name for entry in (*lexicon.frames, *lexicon.functions) if entry.negatable)

    def _phrase_matcher(self, vocab, entries: tuple[Entry, ...], excluded: bool = False) -> PhraseMatcher:
        """The entries' lemmas and phrases, or with ``excluded`` their exclusions."""
        matcher = PhraseMatcher(vocab, attr="LOWER")
        for entry in entries:
            patterns = sorted(entry.exclude) if excluded else sorted(entry.lemmas) + list(entry.phrases)
            if patterns:
                matcher.add(entry.name, [self._tokenizer(pattern) for pattern in patterns])
        return matcher

    def _lemma_doc(self, doc: Doc) -> Doc:
        return Doc(doc.vocab, words=[token_lemma(token) for token in doc], spaces=[True] * len(doc))

    def _phrase_cues(self, doc: Doc, lemma_doc: Doc, matcher: PhraseMatcher) -> set[Cue]:
        cues = set()
        for view in (doc, lemma_doc):
            for match_id, start, end in matcher(view):
                label = doc.vocab.strings[match_id]
                if view is doc and end - start == 1 and _verb_homograph(doc[start]):
                    continue
                kind = "lemma" if end - start == 1 else "phrase"
                cues.add(Cue(start, end, label, kind, doc[start:end].text))
        return cues

    def _stem_frames(self, lemma: str, form: str) -> tuple[str, ...]:
        """The frames whose stems begin or end ``lemma``, remembered per lemma and word form: a
        corpus repeats its words, and every token would otherwise be tried against every stem.
        Posts are recognised by the form too, since a lemmatiser may cut a compound's last part
        short ("innovasjonsinnkjøper" -> "innovasjonsinnkjøp")."""
        frames = self._stem_memo.get((lemma, form))
        if frames is None:
            is_post = any(word.endswith(title) and word != title for word in (lemma, form) for title in self.titles)
            frames = (
                ()
                if is_post
                else tuple(
                    entry.name
                    for entry in self.lexicon.frames
                    if lemma not in entry.lemmas
                    and any(
                        len(lemma) - len(stem) >= self.min_rest and (lemma.startswith(stem) or lemma.endswith(stem))
                        for stem in entry.stems
                    )
                )
            )
            self._stem_memo[lemma, form] = frames
        return frames

    def _stem_cues(self, doc: Doc) -> set[Cue]:
        cues = set()
        for token in doc:
            if not token.is_alpha and "-" not in token.text:
                continue
            for name in self._stem_frames(token_lemma(token).strip("-"), token.lower_.strip("-")):
                cues.add(Cue(token.i, token.i + 1, name, "stem", token.text))
        return cues

    def _outside_excluded(self, doc: Doc, lemma_doc: Doc, cues: set[Cue]) -> set[Cue]:
        """The cues not inside one of their entry's exclusions, as a word (by its form or its
        lemma) or as a phrase."""
        spans = {
            (doc.vocab.strings[match_id], start, end)
            for view in (doc, lemma_doc)
            for match_id, start, end in self.excluded(view)
        }
        return {
            cue
            for cue in cues
            if not any(label == cue.label and start <= cue.start and cue.end <= end for label, start, end in spans)
        }

    def _not_negated(self, doc: Doc, cues: set[Cue]) -> set[Cue]:
        """The cues, less those of negatable entries that a negation denies."""
        return {cue for cue in cues if not (cue.label in self._negatable and _negated(doc, cue.start))}

    def _outside_entities(self, doc: Doc, cues: set[Cue]) -> set[Cue]:
        if not self.skip_entities:
            return cues
        return {cue for cue in cues if not any(doc[i].ent_type_ for i in range(cue.start, cue.end))}

    def codes_of_word(self, lemma: str) -> frozenset[str]:
        """The frames and framing functions one word is a cue of, as a lemma of theirs or as a
        compound on a frame's stem."""
        listed = {entry.name for entry in (*self.lexicon.frames, *self.lexicon.functions) if lemma in entry.lemmas}
        return frozenset(listed.union(self._stem_frames(lemma, lemma)))

    def frame_cues(self, doc: Doc, lemma_doc: Doc | None = None) -> list[Cue]:
        """Every frame cue in the Doc, in text order (``lemma_doc``: the Doc's lemmas as words, if made already)."""
        lemma_doc = self._lemma_doc(doc) if lemma_doc is None else lemma_doc
        cues = self._phrase_cues(doc, lemma_doc, self.frames) | self._stem_cues(doc)
        cues = self._outside_excluded(doc, lemma_doc, self._outside_entities(doc, cues))
        return _longest(self._not_negated(doc, cues))

    def function_cues(self, doc: Doc, lemma_doc: Doc | None = None) -> list[Cue]:
        """Every framing-function cue in the Doc, in text order."""
        lemma_doc = self._lemma_doc(doc) if lemma_doc is None else lemma_doc
        cues = self._phrase_cues(doc, lemma_doc, self.functions)
        return _longest(self._not_negated(doc, self._outside_excluded(doc, lemma_doc, cues)))

    def sentences(self, doc: Doc, view: Sentences | None = None) -> list[SentenceFrames]:
        """One record per sentence of the Doc (those without cues too, so shares can be computed)."""
        view = Sentences.of(doc) if view is None else view
        # Sentences that are only white space (between paragraphs) get no record.
        record_of = {
            sentence_id: SentenceFrames(sentence_id, view.line(sentence_id), *view.bounds(sentence_id))
            for sentence_id in range(len(view))
            if view.text(sentence_id).strip()
        }
        records = list(record_of.values())
        lemma_doc = self._lemma_doc(doc)
        for cues, attribute in (
            (self.frame_cues(doc, lemma_doc), "frames"),
            (self.function_cues(doc, lemma_doc), "functions"),
        ):
            for cue in cues:
                found = getattr(record_of[view.of_token[cue.start]], attribute).setdefault(cue.label, [])
                if cue.text not in found:
                    found.append(cue.text)
        for token in doc:
            if token.lower_ not in HEDGES:
                continue
            record = record_of.get(view.of_token[token.i])
            if record is not None and token.text not in record.hedges:
                record.hedges.append(token.text)
        for record in records:
            record.function = primary_function(record.functions, self.lexicon.function_names)
        return records
