"""Lemma repair from Norsk Ordbank's inflection tables.

A trainable lemmatiser guesses the lemma of a word it never saw from its ending, and for
Norwegian nouns in unstressed -e it often cuts one letter too many: "anskaffelser" becomes
"anskaffels", "helsetjenesten" "helsetjenest". Norsk Ordbank (Språkbanken, CC BY 4.0), shipped
in spaCy's ``spacy-lookups-data`` as the ``nb`` lemma exceptions, lists the forms of some 480,000
bokmål words. Where the model's lemma is no Ordbank lemma and the word's form is in Ordbank, the
form's Ordbank lemma replaces it; a lemma Ordbank knows is never touched, so the model still
decides between homographs ("retten": "rett" or "rette").

Compounds inflect at their last part, so a form or lemma Ordbank lacks is looked up by its longest
ending of at least ``MIN_PART`` letters: "innovasjonsanskaffelser" takes the lemma of
"anskaffelser" after its first part.

spaCy ships the tables as gzipped JSON, which takes seconds to read; the converted tables are
kept in the user's cache folder (``platformdirs.user_cache_dir("diskurs")``) in Python's marshal
format, which loads in a fraction of that. The file is named by this module's code, the
spacy-lookups-data version and the Python version, so any change of these converts afresh.
"""

from __future__ import annotations

import marshal
import os
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import click
import platformdirs
from spacy.language import Language
from spacy.lookups import load_lookups
from spacy.tokens import Doc

from diskurs.cache import cache_key
from diskurs.io import atomic_path

ORDBANK_LEMMAS = "ordbank_lemmas"
# Universal POS -> Ordbank's word class; proper nouns keep the model's lemma.
WORD_CLASSES = {"NOUN": "noun", "VERB": "verb", "AUX": "verb", "ADJ": "adj", "ADV": "adv"}
# Shorter endings match too much by chance ("rett" in "biffrett" is fine, "els" in "anskaffels" is not).
MIN_PART = 5


def endings(word: str) -> Iterator[tuple[int, str]]:
    """(start, ending) of ``word`` itself and of its endings of at least ``MIN_PART`` letters, longest first."""
    for start in range(0, max(1, len(word) - MIN_PART + 1)):
        yield start, word[start:]


@dataclass(frozen=True)
class Ordbank:
    """Forms and lemmas of each word class, all lower case. A form's lemmas are one string,
    separated by tabs: half a million small lists would make the tables slow to load."""

    forms: dict[str, dict[str, str]]
    lemmas: dict[str, frozenset[str]]

    @classmethod
    def from_forms(cls, forms: dict[str, dict[str, list[str]]]) -> Ordbank:
        joined = {pos: {form: "\t".join(options) for form, options in table.items()} for pos, table in forms.items()}
        lemmas = {
            pos: frozenset(lemma for options in table.values() for lemma in options) for pos, table in forms.items()
        }
        return cls(joined, lemmas)

    def known(self, word_class: str, lemma: str) -> bool:
        """Whether ``lemma`` is an Ordbank lemma, or a compound whose last part is one."""
        lemmas = self.lemmas.get(word_class, frozenset())
        return any(ending in lemmas for _, ending in endings(lemma))

    def is_form(self, word: str) -> bool:
        """Whether ``word`` (lower case) is, as a whole, an inflected form of a common word."""
        return any(word in table for table in self.forms.values())

    def candidates(self, word_class: str, form: str) -> list[str]:
        """Ordbank's lemmas of ``form``, found through its longest listed ending if need be."""
        table = self.forms.get(word_class, {})
        for start, ending in endings(form):
            options = table.get(ending)
            if options:
                return [form[:start] + option for option in options.split("\t")]
        return []

    def repair(self, word_class: str, form: str, lemma: str) -> str:
        """The model's ``lemma`` of ``form`` unless it is unknown to Ordbank and the form is listed."""
        lowered = lemma.lower()
        if self.known(word_class, lowered):
            return lemma
        options = self.candidates(word_class, form.lower())
        if not options:
            return lemma
        # Between homographs, the lemma closest to the model's guess.
        return max(options, key=lambda option: (len(os.path.commonprefix([option, lowered])), -options.index(option)))


def tables_path() -> Path:
    """Where the converted tables are kept for this code, lookups data and Python."""
    key = cache_key(
        [sys.modules[__name__]],
        {"marshal": marshal.version, "python": list(sys.version_info[:2])},
        ["spacy-lookups-data"],
    )
    return Path(platformdirs.user_cache_dir("diskurs")) / f"ordbank-{key}.marshal"


def _read_tables(path: Path) -> Ordbank | None:
    try:
        forms, lemmas = marshal.loads(path.read_bytes())
    # Missing, unreadable or not what this module wrote: converted afresh.
    except (OSError, EOFError, ValueError, TypeError):
        return None
    if not (isinstance(forms, dict) and isinstance(lemmas, dict) and forms.keys() == lemmas.keys()):
        return None
    return Ordbank(forms, lemmas)


def _write_tables(path: Path, ordbank: Ordbank) -> None:
    try:
        with atomic_path(path) as tmp:
            tmp.write_bytes(marshal.dumps((ordbank.forms, ordbank.lemmas)))
    # A read-only or full cache folder only costs the conversion on the next run.
    except OSError:
        pass


@cache
def load_ordbank() -> Ordbank:
    """Ordbank, read once per process: from the converted tables when they are kept, else from
    spacy-lookups-data (a few seconds, ~200 MB), keeping the converted tables for the next time."""
    path = tables_path()
    kept = _read_tables(path)
    if kept is not None:
        return kept
    try:
        table = load_lookups("nb", ["lemma_exc"]).get_table("lemma_exc")
    except ValueError as error:  # spaCy's message when spacy-lookups-data is missing
        raise click.ClickException(
            f"Norsk Ordbank's tables, which repair lemmas and spot common words, were not found ({error}). "
            "Install them with `pip install 'spacy-lookups-data>=1.0.5,<1.1'` (or `make run`, which installs diskurs's requirements)."
        ) from error
    ordbank = Ordbank.from_forms(
        {word_class: dict(table[word_class]) for word_class in sorted(set(WORD_CLASSES.values()))}
    )
    _write_tables(path, ordbank)
    return ordbank


class OrdbankLemmas:
    """Pipeline component: repairs the lemmas of the component before it (see module docstring)."""

    def __call__(self, doc: Doc) -> Doc:
        ordbank = load_ordbank()
        for token in doc:
            word_class = WORD_CLASSES.get(token.pos_)
            if word_class and token.lemma_:
                token.lemma_ = ordbank.repair(word_class, token.text, token.lemma_)
        return doc


@Language.factory(ORDBANK_LEMMAS)
def make_ordbank_lemmas(nlp: Language, name: str) -> OrdbankLemmas:
    return OrdbankLemmas()


def add_ordbank_lemmas(nlp: Language) -> Language:
    """Put the repair right after the pipeline's lemmatiser (in place); a pipeline without one is unchanged."""
    lemmatizer = next((name for name in ("trainable_lemmatizer", "lemmatizer") if name in nlp.pipe_names), None)
    if lemmatizer is not None and ORDBANK_LEMMAS not in nlp.pipe_names:
        nlp.add_pipe(ORDBANK_LEMMAS, after=lemmatizer)
    return nlp
