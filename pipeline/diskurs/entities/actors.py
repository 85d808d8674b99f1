"""The curated actor list: loading it, turning it into entity-ruler patterns, and looking names up.

A name in running text rarely matches the list exactly: Norwegian adds a genitive -s
("Helse Vests"), definite endings ("Leverandørutviklingsprogrammet") and varies the case of
the first letter. :func:`name_key` and :func:`key_variants` reduce those forms to one key, so a
listed actor is one canonical row however it is written.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import yaml

from diskurs.labels import NORNE_LABELS, UNKNOWN_TYPE

SHIPPED_ACTORS = Path(__file__).resolve().parents[1] / "resources" / "actors.yaml"
LABELS = frozenset(NORNE_LABELS)

_DASHES = str.maketrans({"\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-"})
_EDGE_PUNCT = " \t\n\"'«»“”‘’()[]{}.,;:!?"
# Definite endings tried when a form does not resolve as written, longest first.
_DEFINITE = ("ene", "et", "en", "a")


class ActorListError(ValueError):
    """The actor list file cannot be used; the message names the file, the entry and the fix."""


@dataclass(frozen=True)
class Actor:
    name: str
    label: str
    aliases: tuple[str, ...] = ()
    acronyms: tuple[str, ...] = ()
    type: str = UNKNOWN_TYPE


def name_key(text: str) -> str:
    """Case-, dash- and whitespace-insensitive key for a name."""
    text = unicodedata.normalize("NFC", text).translate(_DASHES)
    text = " ".join(text.split()).strip(_EDGE_PUNCT)
    return text.casefold()


def _genitive_stems(key: str) -> list[str]:
    if key.endswith("'") or (key.endswith("s") and len(key) > 2):
        return [key[:-1]]
    return []


def _definite_stems(key: str) -> list[str]:
    stems = []
    for ending in _DEFINITE:
        if key.endswith(ending) and len(key) - len(ending) >= 4:
            stem = key[: -len(ending)]
            stems.append(stem)
            # "programmet" -> "programm" -> "program": definite forms double a final consonant.
            if len(stem) > 2 and stem[-1] == stem[-2] and stem[-1].isalpha():
                stems.append(stem[:-1])
            break
    return stems


def key_variants(key: str) -> list[str]:
    """The key itself, then genitive-less, definite-less and both-less forms, in that order."""
    variants = [key]
    for stem in _genitive_stems(key):
        variants.append(stem)
    for form in list(variants):
        variants.extend(_definite_stems(form))
    return list(dict.fromkeys(variants))


def genitive(text: str) -> str:
    """Norwegian genitive of a name: -s, or an apostrophe after s, x and z ("KS'")."""
    return text + ("'" if text[-1:].lower() in {"s", "x", "z"} else "s")


def _first_letter_variants(text: str) -> list[str]:
    if not text[:1].isalpha():
        return [text]
    return list(dict.fromkeys([text, text[0].upper() + text[1:], text[0].lower() + text[1:]]))


@dataclass(frozen=True)
class NameShape:
    """A token pattern (spaCy Matcher syntax) for actors of a kind too many to list."""

    label: str
    pattern: tuple[dict, ...]
    type: str = UNKNOWN_TYPE


class ActorList:
    """Lookup from any alias, acronym or inflected form to its listed actor."""

    def __init__(self, actors: list[Actor], role_words: tuple[str, ...] = (), shapes: tuple[NameShape, ...] = ()):
        self.actors = actors
        self.role_words = role_words
        self.shapes = shapes
        self._by_key: dict[str, Actor] = {}
        self._by_acronym: dict[str, Actor] = {}
        for actor in actors:
            for form in (actor.name, *actor.aliases):
                if looks_like_acronym(form):
                    self._by_acronym.setdefault(form, actor)
                else:
                    self._by_key.setdefault(name_key(form), actor)
            for acronym in actor.acronyms:
                self._by_acronym.setdefault(acronym, actor)

    def resolve(self, text: str) -> Actor | None:
        """The listed actor a piece of text names, allowing genitive and definite forms."""
        stripped = text.strip(_EDGE_PUNCT)
        forms = [stripped, stripped[:-1]] if stripped.endswith(("s", "'")) else [stripped]
        for form in forms:
            if form in self._by_acronym:
                return self._by_acronym[form]
        for variant in key_variants(name_key(text)):
            if variant in self._by_key:
                return self._by_key[variant]
        return None

    def type_of(self, canonical: str) -> str:
        """The kind of actor a canonical name is: its listed actor's type, else that of the first
        name shape matching the whole name ("Bærum kommune" a municipality), else unknown."""
        actor = self.resolve(canonical)
        if actor is not None:
            return actor.type
        if self.shapes and canonical:
            doc = self._tokenizer(canonical)
            whole = [
                int(self._tokenizer.vocab.strings[key])
                for key, start, end in self._shape_matcher(doc)
                if start == 0 and end == len(doc)
            ]
            if whole:
                return self.shapes[min(whole)].type
        return UNKNOWN_TYPE

    @cached_property
    def _tokenizer(self):
        import spacy  # only the stages that type actors pay for it

        return spacy.blank("nb")

    @cached_property
    def _shape_matcher(self):
        from spacy.matcher import Matcher

        # One key per shape, its position in the list: the first shape that matches wins.
        matcher = Matcher(self._tokenizer.vocab)
        for number, shape in enumerate(self.shapes):
            matcher.add(str(number), [list(shape.pattern)])
        return matcher

    def ruler_patterns(self) -> list[dict]:
        """Phrase patterns for spaCy's entity ruler; each carries the canonical name as its id."""
        patterns = []
        for actor in self.actors:
            forms: list[str] = []
            for form in (actor.name, *actor.aliases):
                forms.extend([form] if looks_like_acronym(form) else _first_letter_variants(form))
            forms.extend(actor.acronyms)
            for form in dict.fromkeys(forms):
                for surface in (form, genitive(form)):
                    patterns.append({"label": actor.label, "pattern": surface, "id": actor.name})
        return patterns

    def shape_patterns(self) -> list[dict]:
        """Token patterns for the name shapes; no id, since the matched text is its own name."""
        return [{"label": shape.label, "pattern": list(shape.pattern)} for shape in self.shapes]


def _strings(value, where: str, path: Path) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise ActorListError(f"{path}: {where} must be a list of non-empty names. Fix that entry.")
    return tuple(v.strip() for v in value)


def load_actors(path: Path | str | None = None) -> ActorList:
    """Read the actor list (YAML); ``None`` means the list shipped with diskurs."""
    path = Path(path) if path is not None else SHIPPED_ACTORS
    if not path.is_file():
        raise ActorListError(
            f"{path}: actor list not found. Set `entities.actors` in params.yaml to an existing "
            f"YAML file, or to null for the shipped list ({SHIPPED_ACTORS})."
        )
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as error:
        raise ActorListError(f"{path}: not valid YAML ({error}). Fix the syntax and run again.") from None
    entries = data.get("actors") if isinstance(data, dict) else None
    if not isinstance(entries, list):
        raise ActorListError(f"{path}: expected a top-level `actors:` list of entries.")
    actors = []
    for number, entry in enumerate(entries, start=1):
        if not isinstance(entry, dict) or not str(entry.get("name") or "").strip():
            raise ActorListError(f"{path}: actor entry {number} has no `name`. Give every entry a name.")
        name = str(entry["name"]).strip()
        label = str(entry.get("label", "ORG")).strip()
        if label not in LABELS:
            raise ActorListError(f"{path}: actor '{name}' has label '{label}'; use one of {', '.join(sorted(LABELS))}.")
        actors.append(
            Actor(
                name=name,
                label=label,
                aliases=_strings(entry.get("aliases"), f"aliases of '{name}'", path),
                acronyms=_strings(entry.get("acronyms"), f"acronyms of '{name}'", path),
                type=str(entry.get("type") or UNKNOWN_TYPE),
            )
        )
    role_words = _strings(data.get("role_words"), "role_words", path)
    return ActorList(actors, tuple(word.casefold() for word in role_words), _shapes(data.get("shapes"), path))


def _shapes(entries, path: Path) -> tuple[NameShape, ...]:
    shapes = []
    for number, entry in enumerate(entries or [], start=1):
        pattern = entry.get("pattern") if isinstance(entry, dict) else None
        label = str(entry.get("label", "")).strip() if isinstance(entry, dict) else ""
        if label not in LABELS or not isinstance(pattern, list) or not all(isinstance(t, dict) for t in pattern):
            raise ActorListError(
                f"{path}: shape {number} needs a `label` (one of {', '.join(sorted(LABELS))}) and a "
                "`pattern` list of token patterns in spaCy Matcher syntax. Fix that entry."
            )
        shapes.append(NameShape(label, tuple(pattern), str(entry.get("type") or UNKNOWN_TYPE)))
    return tuple(shapes)


ACRONYM = re.compile(r"^(?=.*[A-ZÆØÅ])[A-ZÆØÅ0-9][A-Za-zÆØÅæøå0-9]{1,9}$")


def looks_like_acronym(text: str) -> bool:
    """Short token with at least two capitals or a capital and a digit ("DFØ", "UiO", "C3")."""
    if not ACRONYM.match(text):
        return False
    capitals = sum(1 for c in text if c.isupper())
    digits = sum(1 for c in text if c.isdigit())
    return capitals >= 2 or (capitals >= 1 and digits >= 1)
