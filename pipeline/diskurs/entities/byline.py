"""A byline author as the document record gives it: a name, or a name with its affiliation
("Kari Nordvik, seniorrådgiver i KS", as the byline "Av Kari Nordvik, seniorrådgiver i KS" has it).
"""

from __future__ import annotations

from dataclasses import dataclass

from diskurs.entities.canonical import tidy
from diskurs.entities.people import AFFILIATION_PREPOSITIONS


@dataclass(frozen=True)
class Author:
    name: str
    role: str = ""
    organisation: str = ""
    byline: str = ""  # the entry as given, the evidence for role and organisation


def parse_author(entry: str) -> Author:
    """Name, role and organisation of one author entry.

    The role runs up to the first preposition followed by a capitalised word, which starts the
    organisation ("leder for innovasjon i Helse Vest"); an affiliation that starts with a capital
    is the organisation alone ("Kari Nordvik, KS").
    """
    name, _, affiliation = entry.partition(",")
    name, byline, words = tidy(name), " ".join(entry.split()), affiliation.split()
    if not words:
        return Author(name, byline=byline)
    if words[0][:1].isupper():
        return Author(name, "", tidy(" ".join(words)), byline)
    for i, word in enumerate(words[:-1]):
        if i and word.casefold() in AFFILIATION_PREPOSITIONS and words[i + 1][:1].isupper():
            return Author(name, tidy(" ".join(words[:i])), tidy(" ".join(words[i + 1 :])), byline)
    return Author(name, tidy(" ".join(words)), "", byline)
