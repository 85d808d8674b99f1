"""People with their roles and organisations, read from the token patterns around PER entities.

Patterns (Norwegian news and council prose):
  role before the name   "rådsleder Per Morten Sandset", "administrerende direktør Johan Anstensrud"
  role after a comma     "Lena Forgaard, innovasjonsansvarlig i Helse Vest RHF"
                         "..., Generalsekretær i Kreftforeningen og medlem av HelseOmsorg21-rådet"
  role before a comma    "kommunalsjef helse- og omsorg, Sverre Rudjord fra Ringsaker kommune"
  affiliation            "Lars Johan Frøyland fra Sykehusinnkjøp",
                         "Jon Bingen Sande, Morten H Abrahamsen og Per Ingvar Olsen fra Connected Care"
A word is a role when it ends in one of the actor list's ``role_words`` and, where the model
tagged parts of speech, is not tagged as a verb ("leder" the noun, not "leder" the verb).
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Doc, Span, Token

from diskurs.labels import ORGANISATION_LABELS

AFFILIATION_PREPOSITIONS = frozenset({"i", "fra", "ved", "hos", "på", "av", "for", "til"})
ROLE_MODIFIERS = frozenset({"daglig", "konstituert", "fungerende", "assisterende", "administrerende"})
ROLE_POS = frozenset({"NOUN", "PROPN", "ADJ", "X"})
STOP_PUNCT = frozenset({".", ";", ":", "!", "?", "(", ")", '"', "«", "»", "“", "”", "–", "-"})
MAX_ROLE_TOKENS = 8


@dataclass(frozen=True)
class RoleMatch:
    person: Span
    role: str
    organisation: Span | None


class RoleFinder:
    def __init__(self, role_words: tuple[str, ...]):
        self.role_words = tuple(role_words)

    def is_role_head(self, token: Token) -> bool:
        if not token.is_alpha or not token.lower_.endswith(self.role_words):
            return False
        has_pos = token.doc.has_annotation("POS")
        return not has_pos or token.pos_ in ROLE_POS

    def find(self, doc: Doc, spans: list[Span]) -> list[RoleMatch]:
        """Every (person, role, organisation) the patterns find, in reading order."""
        owner = {}
        for span in spans:
            for i in range(span.start, span.end):
                owner[i] = span
        matches: list[RoleMatch] = []
        for span in spans:
            if span.label_ != "PER":
                continue
            before = self._role_before(doc, span, owner)
            after = self._roles_after(doc, span, owner)
            affiliation = self._affiliation(doc, span, owner)
            if after:
                matches.extend(RoleMatch(span, role, org) for role, org in after)
                if before:
                    matches.append(RoleMatch(span, before, None))
            elif before or affiliation:
                matches.append(RoleMatch(span, before, affiliation))
        return matches

    # Token helpers: whitespace tokens (wrapped lines) are skipped everywhere.
    @staticmethod
    def _next(doc: Doc, i: int) -> int | None:
        i += 1
        while i < len(doc) and doc[i].is_space:
            i += 1
        return i if i < len(doc) else None

    @staticmethod
    def _prev(doc: Doc, i: int) -> int | None:
        i -= 1
        while i >= 0 and doc[i].is_space:
            i -= 1
        return i if i >= 0 else None

    def _role_before(self, doc: Doc, person: Span, owner: dict) -> str:
        i = self._prev(doc, person.start)
        if i is None or i in owner:
            return ""
        if doc[i].text == ",":
            return self._role_before_comma(doc, i, owner)
        if not self.is_role_head(doc[i]) or doc[i].sent.start != person.sent.start:
            return ""
        start = i
        j = self._prev(doc, i)
        while j is not None and j not in owner and self._is_modifier(doc[j]):
            start = j
            j = self._prev(doc, j)
        return _words(doc, start, i + 1)

    def _role_before_comma(self, doc: Doc, comma: int, owner: dict) -> str:
        # "..., kommunalsjef helse- og omsorg, Sverre Rudjord": the phrase between two boundaries
        # (comma or entity) counts when its first word is a role.
        j = self._prev(doc, comma)
        end = comma
        steps = 0
        while j is not None and j not in owner and doc[j].text not in {",", *STOP_PUNCT}:
            if steps >= MAX_ROLE_TOKENS:
                return ""
            end_phrase_start = j
            j = self._prev(doc, j)
            steps += 1
        if steps == 0 or not self.is_role_head(doc[end_phrase_start]):
            return ""
        if doc[end_phrase_start].sent.start != doc[comma].sent.start:
            return ""
        return _words(doc, end_phrase_start, end)

    def _starts_role(self, doc: Doc, i: int, owner: dict) -> bool:
        """A role word, possibly after modifiers: "administrerende direktør"."""
        while i is not None and i not in owner and not self.is_role_head(doc[i]) and self._is_modifier(doc[i]):
            i = self._next(doc, i)
        return i is not None and i not in owner and self.is_role_head(doc[i])

    def is_role_phrase(self, span: Span) -> bool:
        """A model entity that opens with a role word ("Direktør helseforskning"): a role, not a name.

        Actors from the list (they carry an id) are never discarded.
        """
        return not span.ent_id_ and self.is_role_head(span[0])

    def _is_modifier(self, token: Token) -> bool:
        if not token.is_alpha or not token.is_lower:
            return False
        return token.lower_ in ROLE_MODIFIERS or token.pos_ == "ADJ" or token.lower_.endswith("ende")

    def _roles_after(self, doc: Doc, person: Span, owner: dict) -> list[tuple[str, Span | None]]:
        i = self._next(doc, person.end - 1)
        if i is None or doc[i].text != ",":
            return []
        results = []
        start = self._next(doc, i)
        while start is not None and start not in owner and self._starts_role(doc, start, owner):
            role_end, org = self._scan_role(doc, start, owner)
            if role_end is None:
                break
            results.append((_words(doc, start, role_end), org))
            if org is None:
                break
            # "Generalsekretær i Kreftforeningen og medlem av HelseOmsorg21-rådet"
            k = self._next(doc, org.end - 1)
            if k is None or doc[k].lower_ != "og":
                break
            start = self._next(doc, k)
        return results

    def _scan_role(self, doc: Doc, start: int, owner: dict) -> tuple[int | None, Span | None]:
        """Where the role phrase from ``start`` ends, and the organisation it names, if any."""
        j = start
        last = start
        for _ in range(MAX_ROLE_TOKENS + 1):
            if j is None or doc[j].sent.start != doc[start].sent.start:
                return last + 1, None
            span = owner.get(j)
            if span is not None:
                prep = self._prev(doc, j)
                has_prep = prep is not None and doc[prep].lower_ in AFFILIATION_PREPOSITIONS and prep > start
                if span.label_ in ORGANISATION_LABELS and has_prep:
                    return prep, span
                # "leder ved <place>": the role ends before the preposition.
                return (prep if has_prep else last + 1), None
            if doc[j].text == "," or doc[j].text in STOP_PUNCT:
                return last + 1, None
            last = j
            j = self._next(doc, j)
        return None, None

    def _affiliation(self, doc: Doc, person: Span, owner: dict) -> Span | None:
        # Skip a list of further people ("A, B og C fra X"), then expect "fra/i/ved/hos X".
        i = self._next(doc, person.end - 1)
        while i is not None:
            span = owner.get(i)
            if span is not None and span.label_ == "PER":
                i = self._next(doc, span.end - 1)
            elif doc[i].text == "," or doc[i].lower_ == "og":
                i = self._next(doc, i)
            else:
                break
        if i is None or doc[i].lower_ not in {"fra", "i", "ved", "hos"}:
            return None
        j = self._next(doc, i)
        span = owner.get(j) if j is not None else None
        if span is not None and span.label_ in ORGANISATION_LABELS and span.start == j:
            return span
        return None


def _words(doc: Doc, start: int, end: int) -> str:
    return " ".join(" ".join(token.text for token in doc[start:end] if not token.is_space).split())
