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

spaCy ships the tables as gzipped JSON, which takes seconds to read and about 200 MB as Python
dicts. They are converted once into MARISA tries (``marisa-trie``: about 4 MB on disk) kept in the
user's cache folder (``platformdirs.user_cache_dir("diskurs")``), which every process maps into
memory rather than reads: loading is instant, and the processes of one machine share one copy.
The folder is named by this module's code and the spacy-lookups-data and marisa-trie versions,
so any change of these converts afresh.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

import click
import marisa_trie
import platformdirs
from spacy.language import Language
from spacy.lookups import load_lookups
from spacy.tokens import Doc

from diskurs.cache import cache_key

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
    """Forms and lemmas of each word class, all lower case: per class, a trie from each form to
    its lemmas (one value, the lemmas in Ordbank's order separated by tabs) and a trie of lemmas."""

    forms: dict[str, marisa_trie.BytesTrie]
    lemmas: dict[str, marisa_trie.Trie]

    @classmethod
    def from_forms(cls, forms: dict[str, dict[str, list[str]]]) -> Ordbank:
        return cls(
            {
                pos: marisa_trie.BytesTrie((form, "\t".join(options).encode()) for form, options in table.items())
                for pos, table in forms.items()
            },
            {
                pos: marisa_trie.Trie(lemma for options in table.values() for lemma in options)
                for pos, table in forms.items()
            },
        )

    def known(self, word_class: str, lemma: str) -> bool:
        """Whether ``lemma`` is an Ordbank lemma, or a compound whose last part is one."""
        lemmas = self.lemmas.get(word_class)
        return lemmas is not None and any(ending in lemmas for _, ending in endings(lemma))

    def is_form(self, word: str) -> bool:
        """Whether ``word`` (lower case) is, as a whole, an inflected form of a common word."""
        return any(word in table for table in self.forms.values())

    def candidates(self, word_class: str, form: str) -> list[str]:
        """Ordbank's lemmas of ``form``, found through its longest listed ending if need be."""
        table = self.forms.get(word_class)
        for start, ending in endings(form) if table is not None else ():
            options = table.get(ending)
            if options:
                return [form[:start] + option for option in options[0].decode().split("\t")]
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
    """Where the converted tables are kept for this code, lookups data and trie library."""
    key = cache_key([sys.modules[__name__]], {}, ["spacy-lookups-data", "marisa-trie"])
    return Path(platformdirs.user_cache_dir("diskurs")) / f"ordbank-{key}"


def _files(folder: Path, word_class: str) -> tuple[Path, Path]:
    return folder / f"{word_class}.forms", folder / f"{word_class}.lemmas"


def _map_tables(folder: Path) -> Ordbank | None:
    classes = sorted(set(WORD_CLASSES.values()))
    try:
        forms, lemmas = {}, {}
        for word_class in classes:
            form_file, lemma_file = _files(folder, word_class)
            forms[word_class] = marisa_trie.BytesTrie().mmap(str(form_file))
            lemmas[word_class] = marisa_trie.Trie().mmap(str(lemma_file))
    # Missing, unreadable or not what this module wrote: converted afresh.
    except (OSError, RuntimeError, ValueError):
        return None
    return Ordbank(forms, lemmas)


def _save_tables(folder: Path, ordbank: Ordbank) -> None:
    """Write the tries into a new folder beside ``folder`` and move it into place in one step, so
    that no process maps half-written tables; a damaged folder is replaced. A read-only or full
    cache folder, or another process moving its copy in first, only costs the conversion again."""
    try:
        folder.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f".{folder.name}-", dir=folder.parent))
    except OSError:
        return
    try:
        for word_class in ordbank.forms:
            form_file, lemma_file = _files(staging, word_class)
            ordbank.forms[word_class].save(str(form_file))
            ordbank.lemmas[word_class].save(str(lemma_file))
        shutil.rmtree(folder, ignore_errors=True)
        os.replace(staging, folder)
    except OSError:
        shutil.rmtree(staging, ignore_errors=True)


@cache
def load_ordbank() -> Ordbank:
    """Ordbank, mapped once per process from the converted tables, converted from
    spacy-lookups-data first (a few seconds) when they are not kept."""
    folder = tables_path()
    kept = _map_tables(folder)
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
    _save_tables(folder, ordbank)
    return _map_tables(folder) or ordbank


class OrdbankLemmas:
    """Pipeline component: repairs the lemmas of the component before it (see module docstring)."""

    def __init__(self):
        self._repair = None

    def __call__(self, doc: Doc) -> Doc:
        if self._repair is None:
            # Running text repeats its words: the answers for the commonest are kept, in bounds.
            self._repair = lru_cache(maxsize=2**16)(load_ordbank().repair)
        for token in doc:
            word_class = WORD_CLASSES.get(token.pos_)
            if word_class and token.lemma_:
                token.lemma_ = self._repair(word_class, token.text, token.lemma_)
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
