"""One canonical name per actor: listed actors, learnt acronyms, genitives, bylines and surnames.

The corpus-wide facts (which forms occur, which "Full Name (ACR)" pairs the texts spell out)
are gathered in a first pass over the annotated documents into :class:`CorpusNames`; the
:class:`Canonicaliser` then maps every mention to its canonical name in a second pass.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from diskurs.entities.actors import ActorList, name_key

# Legal-form endings: "Medivio" and "Medivio AS" name one company.
LEGAL_FORMS = ("as", "asa", "hf", "rhf", "sf", "iks", "kf", "ks", "sa", "ab", "gmbh", "ltd", "inc")


# Lower-case words that belong inside people's names ("Ludwig van Beethoven", "Anne af Klint").
NAME_PARTICLES = frozenset({"af", "av", "da", "de", "del", "der", "di", "du", "la", "le", "van", "von"})


def tidy(text: str) -> str:
    """Collapse whitespace (line breaks inside a name come from wrapped lines)."""
    return " ".join(text.split()).strip(" ,.;:!?\"'«»“”()")


def title_case_name(text: str) -> str:
    """ "HEGE STRAND MIKKELSEN" -> "Hege Strand Mikkelsen"; names already in mixed case are kept."""
    if not any(c.isalpha() for c in text) or text != text.upper():
        return text
    return " ".join("-".join(part.capitalize() for part in word.split("-")) for word in text.split())


@dataclass
class CorpusNames:
    """Names seen anywhere in the corpus, and acronyms the texts define themselves."""

    surfaces: dict[str, Counter] = field(default_factory=lambda: defaultdict(Counter))
    acronyms: dict[str, tuple[str, str]] = field(default_factory=dict)
    without_legal_form: dict[str, str] = field(default_factory=dict)
    lower_case_words: set[str] = field(default_factory=set)
    person_words: set[str] = field(default_factory=set)
    # Words the corpus capitalises after the first word of a sentence, where only names are.
    capitalised_inside: set[str] = field(default_factory=set)

    def is_common_word(self, text: str) -> bool:
        """A one-word name the corpus also writes in lower case ("Møtet" / "møtet") is no name."""
        return " " not in text and not text.isupper() and text.casefold() in self.lower_case_words

    def is_no_person(self, text: str, label: str) -> bool:
        """A PER entity that cannot be a person's name: a word in lower case ("Offentlig sektor"),
        or one word that is no part of any fuller person name in the corpus.

        Texts of this kind name a person in full before using a surname alone, so a lone word
        tagged PER ("Avslutningsvis", "Formålet" at a sentence start) is a tagging error.
        """
        if label != "PER":
            return False
        words = tidy(text).split()
        if any(word[0].islower() and word not in NAME_PARTICLES for word in words[1:]):
            return True
        key = name_key(" ".join(words))
        if not key or " " in key:
            return False
        return key not in self.person_words and key.removesuffix("s") not in self.person_words

    def is_person_word(self, word: str) -> bool:
        """Whether ``word`` (case-folded) is part of a person's name of two words or more in the corpus."""
        return word in self.person_words

    def is_lower_case_word(self, word: str) -> bool:
        """Whether the corpus writes ``word`` (case-folded) in lower case somewhere."""
        return word in self.lower_case_words

    def is_capitalised_inside(self, word: str) -> bool:
        """Whether the corpus capitalises ``word`` (case-folded), or the name whose genitive it is,
        after a sentence's first word: "Klassekampens kritiker …" where "… til Klassekampen" occurs."""
        return word in self.capitalised_inside or (word.endswith("s") and word[:-1] in self.capitalised_inside)

    def acronym(self, text: str) -> tuple[str, str] | None:
        """The (full name, label) a "Full Name (ACR)" pair of the corpus defines for ``text``."""
        return self.acronyms.get(text)

    @classmethod
    def from_extracts(cls, extracts: Iterable[dict]) -> CorpusNames:
        """What a corpus tells about names: its documents' extracts, in corpus order."""
        names = cls()
        for extract in extracts:
            names.learn(extract)
        return names

    def learn(self, extract: dict) -> None:
        """Add one document's :func:`diskurs.entities.mentions.names_extract`; documents in corpus order."""
        for acronym, full_name, label in extract["acronyms"]:
            self.learn_acronym(acronym, full_name, label)
        self.lower_case_words.update(extract["lower_case_words"])
        self.capitalised_inside.update(extract["capitalised_inside"])
        for text, label in extract["names"]:
            self.add(text, label)

    def add(self, text: str, label: str) -> None:
        surface = title_case_name(tidy(text)) if label == "PER" else tidy(text)
        if surface:
            key = name_key(surface)
            self.surfaces[key][surface] += 1
            words = key.split()
            if label == "PER" and len(words) > 1:
                self.person_words.update(words)
            if label != "PER" and len(words) > 1 and words[-1] in LEGAL_FORMS:
                self.without_legal_form.setdefault(" ".join(words[:-1]), key)

    def learn_acronym(self, acronym: str, full_name: str, label: str) -> None:
        # The first definition in corpus order wins, so reruns give the same tables.
        self.acronyms.setdefault(acronym, (tidy(full_name), label))


class Canonicaliser:
    """Maps a mention's text and label to (canonical name, label the actor list fixes or None)."""

    def __init__(self, actors: ActorList, names: CorpusNames):
        self.actors = actors
        self.names = names

    def _representative(self, key: str) -> str:
        # Most frequent spelling; mixed case beats all capitals; then alphabetical for stability.
        counts = self.names.surfaces[key]
        return min(counts, key=lambda s: (s == s.upper(), -counts[s], s))

    def canonical(self, text: str, label: str) -> tuple[str, str | None]:
        surface = tidy(text)
        actor = self.actors.resolve(surface)
        if actor is not None:
            return actor.name, actor.label
        bare = surface[:-1] if surface.endswith(("s", "'")) else surface
        for form in dict.fromkeys((surface, bare)):
            if form in self.names.acronyms:
                full_name, full_label = self.names.acronyms[form]
                name, fixed = self.canonical(full_name, full_label)
                return name, fixed or full_label
        if label == "PER":
            surface = title_case_name(surface)
        key = name_key(surface)
        # A genitive ("Sensios") is merged only with a form the corpus also has without the -s.
        stem = name_key(title_case_name(bare) if label == "PER" else bare)
        if stem != key and stem in self.names.surfaces:
            key = stem
        elif label != "PER":
            for form in (key, stem):
                if form in self.names.without_legal_form:
                    key = self.names.without_legal_form[form]
                    break
        if key in self.names.surfaces:
            return self._representative(key), None
        return surface, None


def resolve_surnames(names: list[str]) -> list[str]:
    """Map one-word person names to a full name of the same document ending in that word.

    ``names`` are a document's person names in reading order; a one-word name takes the nearest
    full name before it with that last word (or genitive of it), else the first one after it.
    """
    full = [(i, name) for i, name in enumerate(names) if len(name.split()) > 1]
    resolved = []
    for i, name in enumerate(names):
        if len(name.split()) != 1:
            resolved.append(name)
            continue
        key = name_key(name)
        keys = {key, key[:-1]} if key.endswith(("s", "'")) else {key}
        matches = [(j, candidate) for j, candidate in full if name_key(candidate.split()[-1]) in keys]
        before = [candidate for j, candidate in matches if j < i]
        after = [candidate for j, candidate in matches if j > i]
        resolved.append(before[-1] if before else after[0] if after else name)
    return resolved
