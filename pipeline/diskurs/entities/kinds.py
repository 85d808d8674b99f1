"""What the words around a name say about its kind, where the recogniser's label says otherwise.

Norwegian introduces a name it expects the reader not to know with a definite noun that says
what it is ("datteren Colette", "sushirestauranten Etika", "tv-kanalen Telesur"), and names a
country or town as a place after a locative preposition ("i Tromsø", "fra Serbia"). On NorNE's
bokmål and nynorsk training data, of the people, organisations and places named right after one
of the nouns below, 136 of 136 after a person's noun are people, 77 of 77 after an
organisation's noun are organisations and 40 of 42 after a place's noun are places; of the
geo-political names after "i", "på", "fra", "utenfor" or "rundt" (genitives, acronyms and
"… kommune" left out, as below), 2,132 of 2,146 are the place.
"""

from __future__ import annotations

import re

from spacy.tokens import Span

from diskurs.labels import ORGANISATION_LABELS, PLACE_LABELS

# Definite nouns (and the compounds ending in them: "kaffebaren", "spillutviklerne") that
# introduce a place or a venue; NorNE counts restaurants, shops and clubs as places.
PLACE_NOUNS = (
    "restauranten",
    "kafeen",
    "kaféen",
    "baren",
    "puben",
    "nattklubben",
    "utestedet",
    "hotellet",
    "butikken",
    "galleriet",
    "området",
    "bydelen",
    "tettstedet",
    "byen",
    "bygda",
    "landsbyen",
    "øya",
    "halvøya",
    "fjellet",
    "dalen",
    "fjorden",
    "elva",
    "elven",
    "innsjøen",
    "gata",
    "gaten",
    "veien",
    "plassen",
    "parken",
    "provinsen",
    "regionen",
    "delstaten",
    "hovedstaden",
)

# Definite nouns that introduce a person: kin, and what people are or do ("datteren Colette",
# "sønnen Frede", "popartisten …"). A compound on "-modellen" is mostly a model of something.
PERSON_NOUNS = (
    "datteren",
    "dattera",
    "sønnen",
    "broren",
    "søsteren",
    "søstera",
    "moren",
    "mora",
    "faren",
    "kona",
    "konen",
    "ektemannen",
    "kjæresten",
    "forloveden",
    "barnebarnet",
    "vennen",
    "venninnen",
    "kollegaen",
    "forfatteren",
    "kunstneren",
    "artisten",
    "sangeren",
    "sangerinnen",
    "skuespilleren",
    "musikeren",
    "representanten",
    "presidenten",
    "statsministeren",
    "ministeren",
    "bloggeren",
    "arkitekten",
    "legen",
    "treneren",
    "spilleren",
    "kapteinen",
    "dommeren",
    "advokaten",
    "journalisten",
    "fotografen",
    "regissøren",
    "komponisten",
    "politikeren",
    "professoren",
    "forskeren",
    "ordføreren",
    "biskopen",
    "kongen",
    "dronningen",
    "prinsen",
    "prinsessen",
    "lederen",
    "sjefen",
    "direktøren",
    "eieren",
    "gründeren",
    "pasienten",
    "gutten",
    "jenta",
    "kvinnen",
    "mannen",
    "filosofen",
    "dikteren",
    "rapperen",
    "vokalisten",
    "hovedpersonen",
)

# Definite nouns that introduce an organisation. Magazines and journals are left out: NorNE
# names them as products.
ORGANISATION_NOUNS = (
    "avisa",
    "avisen",
    "kanalen",
    "partiet",
    "partiene",
    "selskapet",
    "selskapene",
    "firmaet",
    "bedriften",
    "bedriftene",
    "organisasjonen",
    "organisasjonene",
    "foreningen",
    "forbundet",
    "stiftelsen",
    "klubben",
    "klubbene",
    "forlaget",
    "bandet",
    "utvikleren",
    "utviklerne",
    "produsentene",
    "konsernet",
    "byrået",
    "kjeden",
    "rederiet",
    "banken",
    "leverandøren",
    "leverandørene",
    "institusjonen",
)

# Definite head nouns of organisations' names: a compound ending in one names a body
# ("Pasientforeningen", "Forskningsrådet") even where it is a common word too.
ORGANISATION_HEADS = (
    "foreningen",
    "forbundet",
    "rådet",
    "direktoratet",
    "departementet",
    "tilsynet",
    "etaten",
    "instituttet",
    "universitetet",
    "høgskolen",
    "høyskolen",
    "selskapet",
    "partiet",
    "organisasjonen",
    "stiftelsen",
    "senteret",
    "utvalget",
    "nemnda",
    "kontoret",
    "verket",
    "foretaket",
    "akademiet",
    "banken",
    "sykehuset",
    "klinikken",
    "kommunen",
    "fondet",
)
# The same heads in the indefinite form that names of bodies keep ("Kristent Samlingsparti",
# "Capio Anoreksi Senter", "Norsk Polarinstitutt").
INDEFINITE_ORGANISATION_HEADS = (
    "parti",
    "senter",
    "forbund",
    "forening",
    "klubb",
    "selskap",
    "institutt",
    "universitet",
    "sykehus",
    "direktorat",
    "departement",
    "tilsyn",
    "stiftelse",
    "utvalg",
    "organisasjon",
    "akademi",
    "lag",
    "råd",
)


KIND_NOUNS = (("PER", PERSON_NOUNS), ("LOC", PLACE_NOUNS), ("ORG", ORGANISATION_NOUNS))

# A host name: words joined by dots, ending in a top-level domain of letters ("Dagbladet.no").
WEB_ADDRESS = re.compile(r"[\w-]+(?:\.[\w-]+)*\.[a-z]{2,6}", re.IGNORECASE)

# Prepositions after which a country or town is the place, not the actor ("bor i Tromsø");
# "til" and "med" often take the actor ("forholdet til Russland").
LOCATIVE_PREPOSITIONS = frozenset({"i", "på", "fra", "utenfor", "rundt"})


def introduced_kind(span: Span) -> str | None:
    """The kind ("PER", "LOC" or "ORG") that the word before ``span`` names, where it is a
    definite noun of one."""
    if span.start == 0:
        return None
    # A common noun, so in lower case but at a sentence's start ("Utestedet Sirkus er …"):
    # "… undersøkte Dalen Hotel" is one name, not a hotel in a valley.
    token = span.doc[span.start - 1]
    word = token.text
    if not (word.islower() or (token.is_sent_start and word[1:].islower())):
        return None
    if not word.replace("-", "").isalpha():
        return None
    word = word.casefold()
    # The longest ending decides: "nattklubben" is a venue, though it ends in "klubben".
    endings = [(len(noun), kind) for kind, nouns in KIND_NOUNS for noun in nouns if word.endswith(noun)]
    return max(endings)[1] if endings else None


def with_introduced_kind(span: Span, labels: frozenset[str]) -> Span:
    """The span labelled as the noun before it says, where its label is of another kind and the
    noun's kind is among ``labels``; a listed actor keeps its label."""
    kind = None if span.ent_id_ else introduced_kind(span)
    if kind is None or kind not in labels:
        return span
    if span.label_ in {"PER": {"PER"}, "LOC": PLACE_LABELS, "ORG": ORGANISATION_LABELS}[kind]:
        return span
    return Span(span.doc, span.start, span.end, label=kind)


def as_organisation(span: Span) -> Span:
    """A "person" whose last word is a compound on an organisation's head noun is the
    organisation ("Kristent Samlingsparti", "Haukeli-Edland grendelag"), and so is a "person"
    written as an acronym ("KrF", "NDL"; in NorNE's training data 6 of 8,320 names of people are
    one, against 1,152 names of organisations). A "person" or "place" written as a web address
    ("Dagbladet.no") is the organisation behind it: in NorNE such names are 51 organisations and
    27 products, never a person or a place. A listed actor keeps its label."""
    if span.ent_id_:
        return span
    if (span.label_ == "PER" or span.label_ in PLACE_LABELS) and WEB_ADDRESS.fullmatch(span.text):
        return Span(span.doc, span.start, span.end, label="ORG")
    if span.label_ != "PER":
        return span
    last = span[-1].text.casefold()
    heads = ORGANISATION_HEADS + INDEFINITE_ORGANISATION_HEADS
    if not (
        any(last.endswith(head) and (last != head or len(span) > 1) for head in heads)
        or (len(span) == 1 and is_acronym(span.text))
    ):
        return span
    return Span(span.doc, span.start, span.end, label="ORG")


def is_acronym(word: str) -> bool:
    """Two to six letters, at least two of them capitals and no two small letters in a row:
    "KrF", "NDL", "SV"; not "McCarthy"."""
    letters = word.replace("&", "")
    if not (2 <= len(letters) <= 6 and letters.isalpha()) or sum(char.isupper() for char in letters) < 2:
        return False
    return not any(a.islower() and b.islower() for a, b in zip(letters, letters[1:]))


def as_located_place(span: Span) -> Span:
    """A geo-political name taken as the actor right after a locative preposition is the place:
    "en mann fra Serbia". Genitives ("i Kinas …"), municipalities and councils as employers
    ("ansatt i Bodø kommune") and acronyms ("medlemskap i EU") stay actors."""
    if span.label_ != "GPE_ORG" or span.ent_id_ or span.start == 0:
        return span
    if span.doc[span.start - 1].text.casefold() not in LOCATIVE_PREPOSITIONS:
        return span
    last = span[-1].text
    if last.endswith("s") or last.isupper() or not span[-1].text[:1].isupper():
        return span
    return Span(span.doc, span.start, span.end, label="GPE_LOC")
