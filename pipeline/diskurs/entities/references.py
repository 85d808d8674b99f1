"""Definite common nouns that refer back to a listed actor named earlier ("HelseOmsorg21-rådet …
Rådet …", "… rådets første dialogmøte").

Norwegian texts name a council, a department or a programme in full once and then call it by the
definite form of its head noun. The reference is resolved only where that is safe: the noun is
the last part of a listed actor's canonical name ("HelseOmsorg21-rådet" ends in "rådet"), it is
definite there (Norsk Ordbank lists it as an inflected form of a noun ending in a definite
ending), and that actor is named earlier in the same document. Where several such actors were
named, the one named last is meant.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections import defaultdict
from collections.abc import Callable

from spacy.attrs import IS_ALPHA, ORTH
from spacy.tokens import Doc, Span

from diskurs.entities.actors import Actor, ActorList
from diskurs.nlp.ordbank import load_ordbank

DEFINITE_ENDINGS = ("ene", "et", "en", "a")
HEAD_POS = frozenset({"NOUN", "PROPN"})
_PARTS = re.compile(r"[\s\-\u2010-\u2014]+")


def is_definite_noun(word: str) -> bool:
    """Whether Ordbank lists ``word`` (lower case) as a definite form of a noun, not its lemma."""
    if not word.endswith(DEFINITE_ENDINGS):
        return False
    lemmas = load_ordbank().candidates("noun", word)
    return bool(lemmas) and word not in lemmas


def head_noun(name: str, is_definite: Callable[[str], bool] = is_definite_noun) -> str | None:
    """The definite common noun a canonical name ends in, as its last part after a space or hyphen."""
    parts = [part for part in _PARTS.split(name) if part]
    if len(parts) < 2:
        return None
    last = parts[-1]
    if not (last.isalpha() and last.islower()) or not is_definite(last):
        return None
    return last


class BackReferences:
    """Listed actors by the definite head noun of their canonical name."""

    def __init__(self, actors: ActorList, is_definite: Callable[[str], bool] = is_definite_noun):
        self._by_head: dict[str, list[Actor]] = defaultdict(list)
        for actor in actors.actors:
            head = head_noun(actor.name, is_definite)
            if head is not None:
                self._by_head[head].append(actor)

    def candidates(self, word: str) -> list[Actor]:
        """Listed actors ``word`` may refer to, as written or in the genitive ("rådets")."""
        word = word.casefold()
        found = self._by_head.get(word)
        if found is None and word.endswith("s"):
            found = self._by_head.get(word[:-1])
        return found or []

    def find(self, doc: Doc, covered: set[int], named: dict[str, list[int]]) -> list[tuple[Span, Actor]]:
        """Each one-token reference outside ``covered`` tokens, with the actor it names.

        ``named`` holds the start offsets of each canonical name's mentions in the document.
        """
        if not self._by_head:
            return []
        has_pos = doc.has_annotation("POS")
        # Looked up once per distinct word, on the word ids: a Token is built only for a head noun.
        strings, words = doc.vocab.strings, doc.to_array([ORTH, IS_ALPHA]).tolist()
        heads = {orth for orth in {orth for orth, _ in words} if self.candidates(strings[orth])}
        found = []
        for i, (orth, alpha) in enumerate(words):
            if orth not in heads or not alpha or i in covered:
                continue
            token = doc[i]
            if has_pos and token.pos_ not in HEAD_POS:
                continue
            latest = []
            for actor in self.candidates(token.text):
                starts = named.get(actor.name, [])
                before = bisect_left(starts, token.idx)
                if before:
                    latest.append((starts[before - 1], actor.name, actor))
            if latest:
                actor = max(latest, key=lambda item: (item[0], item[1]))[2]
                found.append((Span(doc, token.i, token.i + 1, label=actor.label), actor))
        return found
