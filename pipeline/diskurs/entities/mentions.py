"""From one annotated document to its entity mentions and people rows.

``doc.user_data`` carries what the annotate stage stored: doc_id, source, title, published
and authors. Byline authors, and the organisations a byline gives them, are mentions too,
without a position in the body.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from spacy.attrs import IS_ALPHA, IS_LOWER, ORTH
from spacy.tokens import Doc, Span

from diskurs.entities.actors import looks_like_acronym, name_key
from diskurs.entities.byline import Author, parse_author
from diskurs.entities.canonical import NAME_PARTICLES, Canonicaliser, CorpusNames, resolve_surnames, tidy
from diskurs.entities.kinds import (
    ORGANISATION_HEADS,
    WEB_ADDRESS,
    as_located_place,
    as_organisation,
    introduced_kind,
    with_introduced_kind,
)
from diskurs.entities.people import RoleFinder
from diskurs.entities.places import is_country
from diskurs.entities.references import BackReferences
from diskurs.labels import PLACE_LABELS
from diskurs.nlp.ordbank import load_ordbank
from diskurs.views import Sentences, sentence_text

MENTION_COLUMNS = [
    "doc_id",
    "source",
    "sentence_id",
    "start_char",
    "end_char",
    "text",
    "label",
    "canonical",
    "sentence",
]
PEOPLE_COLUMNS = ["person", "role", "organisation", "source", "sentence"]


@dataclass
class Mention:
    doc_id: str
    source: str
    sentence_id: int | None
    start_char: int | None
    end_char: int | None
    text: str
    label: str
    canonical: str
    sentence: str
    fixed_label: bool = False

    def row(self) -> dict:
        return {column: getattr(self, column) for column in MENTION_COLUMNS}


def meta(doc: Doc, key: str, default=None):
    return doc.user_data.get(key, default)


def byline_authors(doc: Doc) -> list[Author]:
    """The document's byline authors with the role and organisation the byline gives them."""
    authors = (parse_author(str(entry)) for entry in meta(doc, "authors") or [])
    return [author for author in authors if author.name]


def ensure_sentences(doc: Doc) -> None:
    """A pipeline without a sentence splitter still yields one sentence per document."""
    if len(doc) and not doc.has_annotation("SENT_START"):
        for token in doc:
            token.is_sent_start = token.i == 0


def _words_after(doc: Doc, start: int, n: int) -> list:
    """Up to ``n`` tokens from ``start`` on, white space skipped."""
    words = []
    for i in range(start, len(doc)):
        if len(words) == n:
            break
        if not doc[i].is_space:
            words.append(doc[i])
    return words


def defined_acronyms(doc: Doc, labels: frozenset[str]) -> list[tuple[str, str, str]]:
    """(acronym, full name, label) of each "Full Name (ACR)" pair: an entity other than a person
    directly followed by a bracketed acronym. After a person's name the brackets hold the party or
    body ("Ronny Alte (NDL)", "Per Arne Olsen (Frp)"), never the person's acronym."""
    pairs = []
    for ent in doc.ents:
        if ent.label_ not in labels or ent.label_ == "PER" or doc[ent.end - 1].is_space:
            continue
        window = _words_after(doc, ent.end, 3)
        if len(window) == 3 and window[0].text == "(" and window[2].text == ")":
            acronym = window[1].text
            if looks_like_acronym(acronym) and acronym != ent.text:
                pairs.append((acronym, ent.text, ent.label_))
    return pairs


def trimmed(ent: Span) -> Span | None:
    """The entity without punctuation or line breaks at its edges ("• Partnerskapet" from a
    bullet line, "France 24." closing a paragraph)."""
    start, end = ent.start, ent.end
    while start < end and (ent.doc[start].is_punct or ent.doc[start].is_space):
        start += 1
    while end > start and (ent.doc[end - 1].is_punct or ent.doc[end - 1].is_space):
        end -= 1
    if start == end:
        return None
    if (start, end) == (ent.start, ent.end):
        return ent
    # The entity id (listed actor) lives on the tokens, so the shorter span keeps it.
    return Span(ent.doc, start, end, label=ent.label_)


def kept_entities(doc: Doc, labels: frozenset[str]) -> list[Span]:
    """The document's entities with a kept label, trimmed of edge punctuation."""
    spans = (trimmed(ent) for ent in doc.ents if ent.label_ in labels)
    return [span for span in spans if span is not None]


def is_word_form(word: str) -> bool:
    """Whether Norsk Ordbank lists ``word`` as a form of a common word (its tables load on first use)."""
    return load_ordbank().is_form(word)


def opens_sentence(span: Span) -> bool:
    """Whether only punctuation, spaces and a section number (a bullet, a dash, "11.4.1")
    precede ``span`` in its sentence."""
    return all(
        token.is_punct or token.is_space or token.like_num or token.text.replace(".", "").isdigit()
        for token in span.doc[span.sent.start : span.start]
    )


def is_capitalised_word_form(span: Span, names: CorpusNames, word_form: Callable[[str], bool]) -> bool:
    """A one-word entity other than a person that only ever opens a sentence and is the form of a
    common word or its genitive ("Samlet inn …", "Bildet:", "Engasjementet var stort"), or an
    organisation that is a compound of one ("Trappeheisen bruker han ikke lenger").

    An organisation whose word is a compound on an organisation's head noun is spared
    ("Pasientforeningen"); listed actors never reach this test, and people have
    :meth:`CorpusNames.is_no_person`. The cheap tests come first: ``word_form`` may have to load
    Ordbank.
    """
    text = span.text
    if span.label_ == "PER" or " " in text or text.isupper():
        return False
    folded = text.casefold()
    if span.label_ == "ORG" and any(folded.endswith(head) and folded != head for head in ORGANISATION_HEADS):
        return False
    if names.is_capitalised_inside(folded) or not opens_sentence(span):
        return False
    return is_common_form(folded, word_form) or (span.label_ == "ORG" and ends_in_common_word(folded, word_form))


def ends_in_common_word(word: str, word_form: Callable[[str], bool]) -> bool:
    """A compound whose last part is a common word ("Beslutningsstøtte": "støtte",
    "Trappeheisen": "heisen"), as Norwegian writes compounds in one word."""
    return any(word_form(word[start:]) for start in range(3, len(word) - 3))


def is_common_form(word: str, word_form: Callable[[str], bool]) -> bool:
    """A common word's form or its genitive ("fremtidens"): Ordbank lists no genitives."""
    return word_form(word) or (word.endswith("s") and word_form(word[:-1]))


def is_common_opener(token, names: CorpusNames, word_form: Callable[[str], bool]) -> bool:
    """A capitalised word opening its sentence that the corpus never capitalises inside one and
    writes in lower case elsewhere, or that Ordbank lists as a common word: capitalised only
    because it comes first ("Både", "Søvnløs", "«De beste …»")."""
    if not token.is_title or not opens_sentence(token.doc[token.i : token.i + 1]):
        return False
    folded = token.text.casefold()
    if names.is_capitalised_inside(folded):
        return False
    return names.is_lower_case_word(folded) or word_form(folded)


def without_leading_words(span: Span, names: CorpusNames, word_form: Callable[[str], bool]) -> Span:
    """The name without the common words the recogniser took in front of it, where a capitalised
    word follows: a word in lower case ("nevrokirurg Christian Helland", "kaptein Sanogo") or a
    sentence's capitalised first word ("Søvnløs Svindal", "Både Siv Jensen"). "Den norske
    legeforening" keeps its "Den", as no capital follows it."""
    doc, start = span.doc, span.start
    while start < span.end - 1 and doc[start + 1].text[:1].isupper():
        word = doc[start].text
        lower_case = word.isalpha() and word.islower() and word not in NAME_PARTICLES
        if not (lower_case or is_common_opener(doc[start], names, word_form)):
            break
        start += 1
    return span if start == span.start else Span(doc, start, span.end, label=span.label_)


def without_trailing_words(span: Span) -> Span:
    """A person's name without the words in lower case the recogniser took after it ("Frede aker"
    of "sønnen Frede aker i snøen"), or a web address ("lover Svindal Dagbladet.no"): people's
    names do not end in one."""
    if span.label_ != "PER":
        return span
    end = span.end
    while end > span.start + 1 and (
        (span.doc[end - 1].is_lower and span.doc[end - 1].is_alpha) or WEB_ADDRESS.fullmatch(span.doc[end - 1].text)
    ):
        end -= 1
    return span if end == span.end else Span(span.doc, span.start, end, label=span.label_)


def is_lone_name(span: Span, names: CorpusNames, word_form: Callable[[str], bool]) -> bool:
    """One capitalised word that behaves like a name, though no fuller person name of the corpus
    contains it ("Hitler", "Colette"): the corpus capitalises it inside sentences, and it is
    neither a common word in Ordbank (nor its genitive) nor a compound ending in one
    (:func:`ends_in_common_word`)."""
    text = span.text
    if " " in text or not text[:1].isupper():
        return False
    word = text.casefold()
    if not names.is_capitalised_inside(word) or is_common_form(word, word_form):
        return False
    return not ends_in_common_word(word, word_form)


def is_common_phrase(span: Span, names: CorpusNames, word_form: Callable[[str], bool]) -> bool:
    """Words without the capital or digit every name has ("den albanske ambassador"), or a phrase
    that opens a sentence and has no capital after its first word, where that word is a common
    word ("Økt forskning") or the phrase ends in a definite noun ("Den geologiske bakgrunnen",
    "Natur- og havmiljøene"): no name, though the sentence capitalises it."""
    if not any(char.isupper() or char.isdigit() for char in span.text):
        return True
    words = [token for token in span if not (token.is_punct or token.is_space)]
    if len(words) < 2 or not all(token.is_lower for token in words[1:]):
        return False
    return is_common_opener(words[0], names, word_form) or (opens_sentence(span) and is_definite_noun(words[-1]))


def is_definite_noun(token) -> bool:
    """A noun in the definite form. Names of the "Den norske legeforening" kind drop the definite
    ending Norwegian otherwise puts on the noun ("Den norske produksjonen"), so a capitalised phrase
    that ends in one is no name."""
    return token.pos_ == "NOUN" and "Def" in token.morph.get("Definite")


# Definite heads of the names of laws, regulations and treaties ("Svalbardloven",
# "Jan Mayen-lovens", "Svalbardtraktaten"), with their genitives; nynorsk's "lova" and
# "forskrifta" also end Russian surnames ("Pavlova"), so they do not apply to people.
LEGAL_TEXT_HEADS = tuple(
    head + ending
    for head in ("loven", "forskriften", "traktaten", "konvensjonen", "direktivet")
    for ending in ("", "s")
)
NYNORSK_LEGAL_TEXT_HEADS = ("lova", "lovas", "forskrifta", "forskriftas")


def is_legal_text(span: Span) -> bool:
    """A law, regulation or treaty, or a section of one ("Svalbardloven § 4"): a text, not an
    organisation, place or person, though the recogniser takes its capitalised name for one."""
    last = span[-1].text.casefold()
    heads = LEGAL_TEXT_HEADS if span.label_ == "PER" else LEGAL_TEXT_HEADS + NYNORSK_LEGAL_TEXT_HEADS
    return "§" in span.text or last.endswith(heads)


def as_country(span: Span, names: CorpusNames) -> Span:
    """A country's name the recogniser took for a person, an organisation or a place of another
    kind ("protester over hele Chile", "en mann fra Serbia") is a geo-political place, unless the
    corpus has it in a person's name ("Michael Jordan"); listed actors keep their label."""
    if span.ent_id_ or span.label_ not in ("PER", "ORG", "LOC") or not is_country(span.text):
        return span
    if any(names.is_person_word(word) for word in name_key(span.text).split()):
        return span
    return Span(span.doc, span.start, span.end, label="GPE_ORG" if span.label_ == "ORG" else "GPE_LOC")


# Such names take the noun's definite form: "Rogalandsforskning i Stavanger" is a body and its town.
DEFINITE_ENDINGS = ("en", "et", "a", "ne")


def with_place_complements(spans: list[Span], word_form: Callable[[str], bool]) -> list[Span]:
    """An organisation named by a common noun in its definite form and the place it serves
    ("Sysselmannen for Svalbard", "Vervarslinga for Nord-Norge", "Legevakten i Oslo") is one name,
    though the recogniser tends to stop at the noun; ``spans`` in reading order, listed actors as
    they are."""
    merged: list[Span] = []
    for span in spans:
        previous = merged[-1] if merged else None
        if (
            previous is not None
            and span.label_ in PLACE_LABELS
            and not (span.ent_id_ or previous.ent_id_)
            and previous.label_ == "ORG"
            and len(previous) == 1
            and span.start == previous.end + 1
            and span.doc[previous.end].text in ("for", "i")
            and previous.text.casefold().endswith(DEFINITE_ENDINGS)
            and is_common_noun_name(previous.text.casefold(), word_form)
        ):
            merged[-1] = Span(span.doc, previous.start, span.end, label="ORG")
        else:
            merged.append(span)
    return merged


def is_common_noun_name(word: str, word_form: Callable[[str], bool]) -> bool:
    """A one-word organisation's name that is a common word or ends in one ("Sysselmannen")."""
    return (
        any(word.endswith(head) for head in ORGANISATION_HEADS)
        or is_common_form(word, word_form)
        or (ends_in_common_word(word, word_form))
    )


def entity_spans(
    doc: Doc, labels: frozenset[str], names: CorpusNames, word_form: Callable[[str], bool] = is_word_form
) -> list[Span]:
    """The document's entities with a kept label, plus learnt acronyms the model did not tag."""
    # Model entities that are common words written with a capital (sentence starts, headings) or
    # what cannot be a person's name but is tagged as one go; listed actors (they carry an id) always stay.
    spans = [
        e if e.ent_id_ else without_trailing_words(without_leading_words(e, names, word_form))
        for e in kept_entities(doc, labels)
    ]
    spans = with_place_complements(spans, word_form)
    if "GPE_LOC" in labels:
        spans = [as_located_place(as_country(span, names)) for span in spans]
    spans = [as_organisation(with_introduced_kind(span, labels)) for span in spans]
    # A name that a noun introduces ("datteren Colette") is one, whatever its word.
    spans = [
        e
        for e in spans
        if e.ent_id_
        or introduced_kind(e) is not None
        or not (
            (names.is_common_word(e.text) and opens_sentence(e))
            or (names.is_no_person(e.text, e.label_) and not is_lone_name(e, names, word_form))
            or is_capitalised_word_form(e, names, word_form)
            or is_common_phrase(e, names, word_form)
            or is_legal_text(e)
        )
    ]
    covered = {i for ent in doc.ents for i in range(ent.start, ent.end)}
    # Only what looks like an acronym is ever learnt as one, so nothing else is looked up; the
    # test runs once per distinct word, on the word ids, which build no Token.
    strings, orths = doc.vocab.strings, doc.to_array(ORTH).tolist()
    acronym_like = {orth for orth in set(orths) if looks_like_acronym(strings[orth])}
    for i, orth in enumerate(orths):
        if orth not in acronym_like or i in covered:
            continue
        defined = names.acronym(strings[orth])
        if defined is not None and defined[1] in labels:
            spans.append(Span(doc, i, i + 1, label=defined[1]))
    return sorted(spans, key=lambda span: (span.start, span.end))


# What may be followed by a capital that is no name: a sentence the splitter did not end, a
# colon, an opening quote or bracket, a dash or a bullet.
UNIT_OPENERS = frozenset({".", "!", "?", ":", "«", '"', "“", "„", "'", "(", "[", "–", "—", "-", "•", "|"})


def starts_unit(token) -> bool:
    """Whether ``token`` opens a line, a quotation or a clause after a colon, where Norwegian
    capitalises any word ("sier: «Den …»"), though the sentence splitter ran on past it."""
    i = token.i - 1
    while i >= 0 and token.doc[i].is_space:
        if "\n" in token.doc[i].text:
            return True
        i -= 1
    return i < 0 or token.doc[i].text in UNIT_OPENERS


def names_extract(doc: Doc, labels: frozenset[str]) -> dict:
    """First pass: what one document tells about names corpus-wide (see :meth:`CorpusNames.learn`):
    the acronyms it defines, its lower-case words, the words it capitalises inside a sentence
    (not where a line, a quotation or a clause after a colon opens, see :func:`starts_unit`) and
    every entity's spelling. Plain lists, so that it can be cached as JSON."""
    capitalised: set[str] = set()
    for sentence in doc.sents if len(doc) else ():
        words = [token for token in sentence if not (token.is_punct or token.is_space)]
        capitalised.update(
            token.text.casefold() for token in words[1:] if token.is_title and token.is_alpha and not starts_unit(token)
        )
    names = [(ent.text, ent.label_) for ent in kept_entities(doc, labels)]
    for author in byline_authors(doc):
        if "PER" in labels:
            names.append((author.name, "PER"))
        if author.organisation and "ORG" in labels:
            names.append((author.organisation, "ORG"))
    return {
        "acronyms": defined_acronyms(doc, labels),
        "lower_case_words": sorted(
            {
                doc.vocab.strings[orth]
                for orth, alpha, lower in doc.to_array([ORTH, IS_ALPHA, IS_LOWER]).tolist()
                if alpha and lower
            }
        ),
        "capitalised_inside": sorted(capitalised),
        "names": names,
    }


def byline_entities(doc: Doc, canon: Canonicaliser, labels: frozenset[str]) -> tuple[list[Mention], list[dict]]:
    """The byline's authors and their organisations as mentions without a sentence, and a people
    row for each author the byline gives a role or organisation, with the byline as its evidence."""
    doc_id, source = str(meta(doc, "doc_id", "")), str(meta(doc, "source", ""))
    mentions, people = [], []
    for author in byline_authors(doc):
        person = canon.canonical(author.name, "PER")[0]
        if "PER" in labels:
            mentions.append(Mention(doc_id, source, None, None, None, author.name, "PER", person, ""))
        organisation = ""
        if author.organisation:
            organisation, fixed = canon.canonical(author.organisation, "ORG")
            if (fixed or "ORG") in labels:
                mentions.append(
                    Mention(
                        doc_id,
                        source,
                        None,
                        None,
                        None,
                        author.organisation,
                        fixed or "ORG",
                        organisation,
                        "",
                        fixed_label=fixed is not None,
                    )
                )
        if "PER" in labels and (author.role or organisation):
            people.append(
                {
                    "person": person,
                    "role": author.role,
                    "organisation": organisation,
                    "source": source,
                    "sentence": author.byline,
                }
            )
    return mentions, people


def name_end(span: Span) -> int:
    """Where the name ends: a sentence-final full stop the tokeniser kept on an abbreviation
    ("regjere med Frp.", "i Washington D.C.") ends the sentence, not the name; so does one on a
    word without other stops before a capital, where the splitter ran on ("til France 24. Han …",
    "på KrF. De …")."""
    last = span[-1]
    if len(last.text) < 2 or not last.text.endswith("."):
        return span.end_char
    rest = [token for token in span.doc[last.i + 1 : span.sent.end] if not token.is_space]
    closes = all(token.is_punct and token.text != "." for token in rest)
    following = next((token for token in span.doc[last.i + 1 :] if not token.is_space), None)
    runs_on = "." not in last.text[:-1] and following is not None and following.text[:1].isupper()
    return span.end_char - 1 if closes or runs_on else span.end_char


SURNAME_LABELS = frozenset({"ORG", "GPE_ORG", "GPE_LOC", "LOC"})


def document_mentions(
    doc: Doc, sentences: Sentences, spans: list[Span], canon: Canonicaliser, references: BackReferences
) -> list[Mention]:
    """The body's mentions in reading order.

    A definite noun referring back to a listed actor named earlier ("Rådet") is a mention of that
    actor, also where the recogniser's span of it was dropped as a common word.
    """
    doc_id = str(meta(doc, "doc_id", ""))
    source = str(meta(doc, "source", ""))
    text = sentences.doc_text

    def mention(span: Span, name: str, fixed: str | None) -> Mention:
        sentence_id, end = sentences.of_token[span.start], name_end(span)
        return Mention(
            doc_id,
            source,
            sentence_id,
            span.start_char,
            end,
            " ".join(text[span.start_char : end].split()),
            fixed or span.label_,
            name,
            sentences.line(sentence_id),
            fixed_label=fixed is not None,
        )

    body = [mention(span, *canon.canonical(text[span.start_char : name_end(span)], span.label_)) for span in spans]
    people = [m for m in body if m.label == "PER" and not m.fixed_label]
    for person, full in zip(people, resolve_surnames([m.canonical for m in people])):
        person.canonical = full
    # A surname standing alone that the recogniser typed as an organisation or a place ("Bortens
    # forslag" after "Per Borten", "Ifølge Nordmo" after "Kari Nordmo") is the person the
    # document has named in full.
    full_names = [m.canonical for m in people if len(m.canonical.split()) > 1]
    for lone in body:
        if full_names and lone.label in SURNAME_LABELS and not lone.fixed_label and " " not in lone.canonical:
            full = resolve_surnames([*full_names, lone.canonical])[-1]
            if full != lone.canonical:
                lone.label, lone.canonical = "PER", full
    return _with_back_references(doc, spans, body, references, mention)


def _with_back_references(
    doc: Doc,
    spans: list[Span],
    body: list[Mention],
    references: BackReferences,
    mention: Callable[[Span, str, str | None], Mention],
) -> list[Mention]:
    # A one-token name the recogniser found and nobody listed ("Rådet" kept as its own ORG) may be
    # such a reference too; listed actors and longer names are what they say.
    covered = {i for span in spans if span.ent_id_ or len(span) > 1 for i in range(span.start, span.end)}
    named: dict[str, list[int]] = {}
    for found in body:
        named.setdefault(found.canonical, []).append(found.start_char)
    found = references.find(doc, covered, named)
    if not found:
        return body
    replaced = {span.start_char for span, _ in found}
    body = [m for m in body if m.start_char not in replaced]
    body += [mention(span, actor.name, actor.label) for span, actor in found]
    return sorted(body, key=lambda m: m.start_char)


def document_people(
    doc: Doc, spans: list[Span], by_start: dict[int, str], roles: RoleFinder, canon: Canonicaliser
) -> list[dict]:
    """people.csv rows for one document's body."""
    source = str(meta(doc, "source", ""))
    rows = []
    for match in roles.find(doc, spans):
        organisation = ""
        if match.organisation is not None:
            organisation = (
                by_start.get(match.organisation.start_char)
                or canon.canonical(match.organisation.text, match.organisation.label_)[0]
            )
        rows.append(
            {
                "person": by_start.get(match.person.start_char, tidy(match.person.text)),
                "role": match.role,
                "organisation": organisation,
                "source": source,
                "sentence": sentence_text(match.person.sent),
            }
        )
    return rows


@dataclass
class DocumentEntities:
    """Second pass over one document: its mentions, people rows and number of sentences."""

    mentions: list[Mention]
    people: list[dict]
    sentences: int

    # What the cache keeps: the document's name and source are filled in from its metadata on
    # reading, so a renamed file with the same text reuses the entry.
    _MENTION_FIELDS = ("sentence_id", "start_char", "end_char", "text", "label", "canonical", "sentence", "fixed_label")
    _PEOPLE_FIELDS = ("person", "role", "organisation", "sentence")

    def to_json(self) -> dict:
        return {
            "mentions": [[getattr(m, name) for name in self._MENTION_FIELDS] for m in self.mentions],
            "people": [[row[name] for name in self._PEOPLE_FIELDS] for row in self.people],
            "sentences": self.sentences,
        }

    @classmethod
    def from_json(cls, data: dict, doc_id: str, source: str) -> DocumentEntities:
        mentions = [Mention(doc_id, source, **dict(zip(cls._MENTION_FIELDS, values))) for values in data["mentions"]]
        people = [{**dict(zip(cls._PEOPLE_FIELDS, values)), "source": source} for values in data["people"]]
        return cls(mentions, people, data["sentences"])


def document_entities(
    doc: Doc,
    labels: frozenset[str],
    names: CorpusNames,
    canon: Canonicaliser,
    roles: RoleFinder,
    references: BackReferences,
) -> DocumentEntities:
    """Second pass: one document's mentions and people, given the corpus's names."""
    spans = [span for span in entity_spans(doc, labels, names) if not roles.is_role_phrase(span)]
    bylines, byline_people = byline_entities(doc, canon, labels)
    sentences = Sentences.of(doc)
    mentions = bylines + document_mentions(doc, sentences, spans, canon, references)
    by_start = {m.start_char: m.canonical for m in mentions if m.start_char is not None}
    people = byline_people + document_people(doc, spans, by_start, roles, canon)
    return DocumentEntities(mentions, people, len(sentences))
