"""Who says what: quote attribution in Norwegian news style.

Recognised shapes (the speaker follows the quote, as Norwegian news writes it):
  «…», sier X.            "…", sa X, leder i Y.        – …, mener rådsleder X.
  …, forteller/understreker/påpeker/uttaler/legger til X.          Ifølge X …
A quote runs back to its opening quote mark when it has one; in a paragraph that opens with a dash
or a bullet it runs back to the start of the paragraph, and carries on after the attribution to the
end of the paragraph (or to the next dash-led paragraph). The speaker is the name right after the
verb, optionally behind a lower-case role ("sier rådsleder Per Morten Sandset"); a role and
organisation in apposition (", administrerende direktør i Helse Vest") are read too. When the Doc
has entities, a name the recogniser calls an organisation or a place is not taken as a speaker.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from spacy.lang.nb.stop_words import STOP_WORDS
from spacy.tokens import Doc

from diskurs.labels import NOT_PERSON_LABELS
from diskurs.views import Sentences, paragraph_starts

# Word forms (and lemmas) of the verbs that close an attributed quote.
SPEECH_VERBS = frozenset(
    """si sier sa sagt mene mener mente fortelle forteller fortalte understreke understreker
    understreket uttale uttaler uttalte påpeke påpeker påpekte forklare forklarer forklarte
    poengtere poengterer poengterte presisere presiserer presiserte konstatere konstaterer
    konstaterte fastslå fastslår fastslo spørre spør spurte svare svarer svarte skrive skriver
    skrev tror trodde""".split()
)
# "legger til" / "la til": only with the particle, since "la" alone is also "let".
PARTICLE_VERBS = frozenset({"legge", "legger", "la"})
OPINION_VERBS = frozenset({"mener", "mente", "tror", "trodde", "synes", "syntes"})
# "peker på at": reports a statement with the particle before "at".
POINTING = frozenset({"peke", "peker", "pekte", "pekt"})
QUOTE_OPEN = frozenset({"«", '"', "“", "„"})
QUOTE_CLOSE = frozenset({"»", '"', "”", "“"})
DASHES = ("-", "–", "—")
LEADERS = DASHES + ("•", "·", "▪", "*")
# What may stand right before an inverted attribution verb.
BEFORE_VERB = frozenset({",", "»", '"', "”", "?", "!"})
PRONOUNS = frozenset({"han", "hun"})
# Prepositions that link a role to the organisation it is held in ("leder i Y", "direktør ved Y").
ORG_PREPOSITIONS = frozenset({"i", "ved", "fra", "hos", "for", "på"})


@dataclass(frozen=True)
class Person:
    """A speaker as reported: name, and role and organisation where known."""

    name: str
    role: str = ""
    organisation: str = ""


DIRECT, INDIRECT = "direct", "indirect"


@dataclass
class Quote:
    """What a speaker says: their words (direct speech) or what the text reports they say
    (indirect speech: "Ifølge X …", "X mener at …"), and the sentences it stands in."""

    speaker: Person
    text: str
    sentence_ids: list[int] = field(default_factory=list)
    kind: str = DIRECT

    @property
    def sentence_id(self) -> int:
        return self.sentence_ids[0]


def _key(name: str) -> str:
    return " ".join(name.casefold().split())


class PersonIndex:
    """Canonical persons (from the entities stage's people table) looked up by name.

    ``resolve`` answers a full name, or a surname that belongs to exactly one known person.
    """

    def __init__(self, people: Iterable[Person] = ()):
        self._by_name: dict[str, Person] = {}
        surnames: dict[str, set[str]] = {}
        for person in people:
            key = _key(person.name)
            known = self._by_name.get(key)
            # Keep the first row that has a role: the people table may list a name several times.
            if known is None or (not known.role and person.role):
                self._by_name[key] = person
            surnames.setdefault(key.split()[-1], set()).add(key)
        self._by_surname = {s: next(iter(keys)) for s, keys in surnames.items() if len(keys) == 1}

    @classmethod
    def from_rows(cls, rows: Iterable[Mapping[str, str]]) -> PersonIndex:
        """Build from rows shaped like reports/entities/people.csv (person, role, organisation, …)."""
        return cls(
            Person(row["person"].strip(), (row.get("role") or "").strip(), (row.get("organisation") or "").strip())
            for row in rows
            if (row.get("person") or "").strip()
        )

    @property
    def known(self) -> bool:
        """Whether the index holds anyone (the entities stage may not have run)."""
        return bool(self._by_name)

    def resolve(self, name: str) -> Person | None:
        key = _key(name)
        if key in self._by_name:
            return self._by_name[key]
        if " " not in key and key in self._by_surname:
            return self._by_name[self._by_surname[key]]
        return None


def resolve_speaker(found: Person, people: PersonIndex) -> Person:
    """The canonical person for a speaker found in the text, keeping what the text says about
    role and organisation where the people table has nothing."""
    canonical = people.resolve(found.name)
    if canonical is None:
        return found
    return Person(
        canonical.name,
        canonical.role or found.role,
        canonical.organisation or found.organisation,
    )


def _first_word(doc: Doc, start: int, end: int) -> int:
    i = start
    while i < end and doc[i].is_space:
        i += 1
    return i


def _opens_with_leader(doc: Doc, start: int, end: int, leaders=LEADERS) -> bool:
    i = _first_word(doc, start, end)
    return i < end and doc[i].text.startswith(leaders)


def _is_name_token(token) -> bool:
    text = token.text
    return bool(text) and text[0].isupper() and (token.is_alpha or text.replace("-", "").replace(".", "").isalpha())


class _Attribution:
    """One attribution verb with the speaker after it, as token offsets."""

    def __init__(self, verb: int, name_start: int, name_end: int, role: str, after: int):
        self.verb = verb
        self.name_start = name_start
        self.name_end = name_end
        self.role = role
        self.after = after  # first token after the speaker's name


def _speaker_after(doc: Doc, i: int, end: int) -> tuple[int, int, str] | None:
    """Name (start, end) and any role in front of it, reading from token ``i``."""
    role = []
    while i < end and doc[i].is_alpha and doc[i].text.islower() and doc[i].lower_ not in PRONOUNS and len(role) < 4:
        role.append(doc[i].text)
        i += 1
    if i < end and doc[i].lower_ in PRONOUNS and not role:
        return i, i + 1, ""
    start = i
    while i < end and _is_name_token(doc[i]):
        i += 1
    if i == start:
        return None
    entity = doc[start].ent_type_
    # A surname standing alone may be typed as a place or body ("Ifølge Nordmo"); it is the
    # person the text has named in full before.
    if entity in NOT_PERSON_LABELS and not (i - start == 1 and _named_earlier(doc, doc[start].text, start)):
        return None
    if entity == "PER":
        # The recogniser's span may be longer than the run of capitals ("Morten H. Abrahamsen").
        for ent in doc.ents:
            if ent.start <= start < ent.end:
                i = max(i, ent.end)
    return start, i, " ".join(role)


def _attributions(doc: Doc, start: int, end: int) -> list[_Attribution]:
    found = []
    for token in doc[start:end]:
        i = token.i
        verb_end = i + 1
        lower = token.lower_
        if lower == "ifølge":
            speaker = _speaker_after(doc, i + 1, end)
        elif (
            lower in SPEECH_VERBS
            or token.lemma_.lower() in SPEECH_VERBS
            or (lower in PARTICLE_VERBS and i + 1 < end and doc[i + 1].lower_ == "til")
        ):
            if lower in PARTICLE_VERBS and i + 1 < end and doc[i + 1].lower_ == "til":
                verb_end = i + 2
            previous = _first_word_back(doc, i - 1, start)
            if previous is None or doc[previous].text not in BEFORE_VERB:
                continue
            speaker = _speaker_after(doc, verb_end, end)
        else:
            continue
        if speaker is not None:
            found.append(_Attribution(i, speaker[0], speaker[1], speaker[2], speaker[1]))
    return found


def _first_word_back(doc: Doc, i: int, start: int) -> int | None:
    while i >= start and doc[i].is_space:
        i -= 1
    return i if i >= start else None


def _apposition(doc: Doc, i: int, end: int) -> tuple[str, str]:
    """Role and organisation from ", leder i Y" right after a speaker's name."""
    if i >= end or doc[i].text != ",":
        return "", ""
    role: list[str] = []
    organisation: list[str] = []
    j = i + 1
    while j < end and not doc[j].is_punct:
        token = doc[j]
        if organisation:
            # The organisation ends where the sentence goes on ("… i sitt foredrag"), not at a
            # lower-case word inside the name ("Senter for helse og teknologi").
            if token.lower_ in ORG_PREPOSITIONS and j + 1 < end and doc[j + 1].lower_ in STOP_WORDS:
                break
            organisation.append(token.text)
        elif token.lower_ in ORG_PREPOSITIONS and j + 1 < end and doc[j + 1].text[:1].isupper() and role:
            organisation.append(doc[j + 1].text)
            j += 1
        elif token.is_space:
            pass
        else:
            role.append(token.text)
        j += 1
    # Close a bracketed acronym that belongs to the organisation: "Universitetet i Sørøst-Norge (USN)".
    if organisation and j + 2 < end and doc[j].text == "(" and doc[j + 2].text == ")":
        organisation += ["(", doc[j + 1].text, ")"]
    org = " ".join(organisation).replace("( ", "(").replace(" )", ")")
    return " ".join(role), org


def _words(doc: Doc, start: int, end: int) -> str:
    text = doc[start:end].text if end > start else ""
    text = text.strip().lstrip("".join(LEADERS)).strip()
    text = text.strip("".join(QUOTE_OPEN | QUOTE_CLOSE)).strip()
    return " ".join(text.rstrip(",").split())


def find_quotes(doc: Doc, titles: frozenset[str] = frozenset(), view: Sentences | None = None) -> list[Quote]:
    """Every attributed quote in the Doc, in text order, speakers as written in the text."""
    view = Sentences.of(doc) if view is None else view
    sentences, sentence_of = view.spans, view.of_token
    starts = paragraph_starts(doc)
    bounds = list(zip(starts, starts[1:] + [len(doc)]))
    quotes: list[Quote] = []
    surnames: dict[str, Person] = {}
    last: tuple[int, Quote] | None = None  # paragraph index and quote of the latest quote
    for paragraph, (p_start, p_end) in enumerate(bounds):
        attributions = _attributions(doc, p_start, p_end)
        if not attributions:
            if last and last[0] == paragraph - 1 and _opens_with_leader(doc, p_start, p_end, DASHES):
                # A dash-led paragraph right after a quote goes on quoting the same speaker.
                ids = sorted({sentence_of[i] for i in range(p_start, p_end) if not doc[i].is_space})
                text = _words(doc, p_start, p_end)
                if ids and text:
                    quote = Quote(last[1].speaker, text, ids)
                    quotes.append(quote)
                    last = (paragraph, quote)
        else:
            led = _opens_with_leader(doc, p_start, p_end)
            cursor = _first_word(doc, p_start, p_end)
            for n, attribution in enumerate(attributions):
                speaker = _person(doc, attribution, p_end, surnames, quotes)
                if speaker is None:
                    continue
                verb = attribution.verb
                end = _first_word_back(doc, verb - 1, p_start)
                is_ifolge = doc[verb].lower_ == "ifølge"
                enclosed = False
                if is_ifolge:
                    sent = sentences[sentence_of[verb]]
                    start, end = sent.start, sent.end
                else:
                    end = end if end is not None else verb  # the comma before the verb is left out
                    closer = _first_word_back(doc, end - 1, p_start)
                    if closer is not None and doc[closer].text in QUOTE_CLOSE:
                        enclosed = True
                        opener = next(
                            (
                                i
                                for i in range(closer - 1, p_start - 1, -1)
                                if doc[i].text in QUOTE_OPEN or doc[i].text.startswith("«")
                            ),
                            None,
                        )
                        start = opener if opener is not None else sentences[sentence_of[closer]].start
                    elif led and n == 0:
                        start = cursor
                    else:
                        start = max(sentences[sentence_of[verb]].start, cursor)
                ids = sorted({sentence_of[i] for i in range(start, end) if not doc[i].is_space} | {sentence_of[verb]})
                parts = [_words(doc, start, end)]
                attribution_sentence = sentence_of[attribution.name_end - 1]
                cursor = sentences[attribution_sentence].end
                if not enclosed and not is_ifolge:
                    next_verb = attributions[n + 1].verb if n + 1 < len(attributions) else p_end
                    for sent in sentences[attribution_sentence + 1 :]:
                        if not sent.text.strip():
                            continue
                        if (
                            sent.start >= p_end
                            or sent.end > next_verb
                            or not (led or sent.text.lstrip().startswith(DASHES))
                        ):
                            break
                        first = doc[_first_word(doc, sent.start, sent.end)]
                        if first.lower_ in PRONOUNS or first.text == speaker.name.split()[-1]:
                            break
                        ids.append(sentence_of[sent.start])
                        parts.append(_words(doc, sent.start, sent.end))
                        cursor = sent.end
                # " … " marks where the attribution stood between two parts of the quote.
                text = " … ".join(part for part in parts if part)
                if text:
                    quote = Quote(speaker, text, sorted(set(ids)), INDIRECT if is_ifolge else DIRECT)
                    quotes.append(quote)
                    last = (paragraph, quote)
        # Indirect speech with the speaker first, once the paragraph's quotes are known (a "hun"
        # points back to the latest speaker).
        quotes += _reported(doc, p_start, p_end, view, surnames, quotes, titles)
    return sorted(quotes, key=lambda quote: quote.sentence_ids[0])


def _reported(
    doc: Doc,
    start: int,
    end: int,
    view: Sentences,
    surnames: dict[str, Person],
    quotes: list[Quote],
    titles: frozenset[str],
) -> list[Quote]:
    """Indirect speech with the speaker first: "X mener at …", "Hun sa at …", "X, leder i Y,
    peker på at …", "Kommunedirektøren mener at …" (an office ending in one of ``titles``).
    The statement is the clause after "at", to the end of its sentence."""
    found = []
    for sentence_id in sorted({view.of_token[i] for i in range(start, end)}):
        sent = view.spans[sentence_id]
        for token in sent:
            lower, i = token.lower_, token.i
            lemma = token.lemma_.lower()
            after = i + 1
            if (
                lower in POINTING
                or lemma == "peke"
                or (lower in PARTICLE_VERBS and _next_is(doc, after, sent.end, "til"))
            ):
                # "peker på at", "legger til at": the particle comes first.
                if not _next_is(doc, after, sent.end, "på", "til"):
                    continue
                after += 1
            elif not (lower in SPEECH_VERBS or lemma in SPEECH_VERBS):
                continue
            if _next_is(doc, after, sent.end, "at"):
                after += 1
            # "Hun mener helseforetakene bør …": an opinion verb may drop its "at".
            elif not (lower in OPINION_VERBS and after < sent.end and doc[after].is_alpha):
                continue
            subject = _subject(doc, sent.start, i, titles)
            if subject is None:
                continue
            name_start, name_end, role = subject
            speaker = _person(doc, _Attribution(i, name_start, name_end, role, name_end), i, surnames, quotes)
            text = _words(doc, after, sent.end)
            if speaker is not None and text:
                found.append(Quote(speaker, text[:1].upper() + text[1:], [sentence_id], INDIRECT))
            break
    return found


def _next_is(doc: Doc, i: int, end: int, *words: str) -> bool:
    return i < end and doc[i].lower_ in words


def _subject(doc: Doc, start: int, verb: int, titles: frozenset[str] = frozenset()) -> tuple[int, int, str] | None:
    """The person a reporting verb's sentence opens with: a pronoun, an office in the definite
    form ("Kommunedirektøren"), or a name the recogniser calls a person, after at most a role
    ("Innkjøpsrådgiver Jonas Berge") and before at most a place of work ("i helseforetaket") or
    an apposition between commas."""
    first = _first_word(doc, start, verb)
    if first + 1 == verb and (doc[first].lower_ in PRONOUNS or _is_office(doc[first], titles)):
        return first, first + 1, ""
    person = next((ent for ent in doc.ents if start <= ent.start < verb and ent.label_ == "PER"), None)
    if person is None or person.end > verb:
        return None
    before = [t for t in doc[first : person.start] if not t.is_space]
    between = [t for t in doc[person.end : verb] if not t.is_space]
    if len(before) > 3 or any(t.pos_ in ("VERB", "AUX") or t.text in '.:;?!«»"' for t in before + between):
        return None
    role = " ".join(t.text for t in before if t.is_alpha).lower()
    return person.start, person.end, role


def _is_office(token, titles: frozenset[str]) -> bool:
    """A capitalised role noun in the definite form: "Kommunedirektøren", "Medlemmet"."""
    word = token.lower_
    return token.is_title and any(word.endswith(title + ending) for title in titles for ending in ("en", "et"))


def _person(
    doc: Doc, attribution: _Attribution, end: int, surnames: dict[str, Person], quotes: list[Quote]
) -> Person | None:
    """The speaker of an attribution; a pronoun or a bare surname points back to someone named earlier."""
    name = " ".join(doc[attribution.name_start : attribution.name_end].text.split())
    if name.lower() in PRONOUNS:
        return quotes[-1].speaker if quotes else None
    if " " not in name:
        earlier = surnames.get(name) or _named_earlier(doc, name, attribution.name_start)
        if earlier is not None:
            return earlier
    role, organisation = _apposition(doc, attribution.after, end)
    person = Person(name, role or attribution.role, organisation)
    surnames.setdefault(name.split()[-1], person)
    return person


def _named_earlier(doc: Doc, surname: str, before: int) -> Person | None:
    for ent in doc.ents:
        if ent.label_ == "PER" and ent.end <= before and len(ent) > 1 and ent[-1].text == surname:
            return Person(" ".join(ent.text.split()))
    return None


def quote_sentences(quotes: Iterable[Quote]) -> dict[int, list[Person]]:
    """Sentence id -> the speakers quoted in it."""
    spoken: dict[int, list[Person]] = {}
    for quote in quotes:
        for sentence_id in quote.sentence_ids:
            if quote.speaker not in spoken.setdefault(sentence_id, []):
                spoken[sentence_id].append(quote.speaker)
    return spoken
