"""The frame lexicon: a YAML file researchers edit, read into checked, lower-cased entries."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

from diskurs.settings import Cues

DEFAULT_LEXICON = Path(__file__).resolve().parents[1] / "resources" / "frames.yaml"
_ENTRY_KEYS = set(Cues.model_fields)


class LexiconError(ValueError):
    """The lexicon file cannot be used; the message names the file, the entry and the fix."""


@dataclass(frozen=True)
class Entry:
    """The cues of one frame or one framing function."""

    name: str
    label: str
    lemmas: frozenset[str]
    phrases: tuple[str, ...]
    stems: tuple[str, ...]
    # Words and word sequences inside which the entry's cues do not count, matched as its lemmas
    # and phrases are ("Næringsdepartementet"; "innovative anskaffelser", the corpus's topic, for
    # innovation; "dialog med markedet", the buyer's tool, for collaboration).
    exclude: frozenset[str]
    description: str = ""  # for readers of the report; no part of the matching
    # A cue right after a negation denies what it names rather than evoking it: "ikke et hinder",
    # "ingen store problemer" put no obstacle forward.
    negatable: bool = False


@dataclass(frozen=True)
class Lexicon:
    frames: tuple[Entry, ...]
    # In priority order: the first function found names a sentence's function.
    functions: tuple[Entry, ...]

    @property
    def frame_names(self) -> tuple[str, ...]:
        return tuple(entry.name for entry in self.frames)

    @property
    def function_names(self) -> tuple[str, ...]:
        return tuple(entry.name for entry in self.functions)


def _words(path: Path, where: str, value: object) -> list[str]:
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(item, str) and item.strip() for item in value):
        raise LexiconError(f"{path}: {where} must be a list of non-empty strings. Fix the entry and run again.")
    return [" ".join(item.lower().split()) for item in value]


def _entry(path: Path, section: str, name: str, body: object, min_stem: int) -> Entry:
    where = f"{section}.{name}"
    if not isinstance(body, dict):
        raise LexiconError(f"{path}: {where} must be a mapping with lemmas, phrases and stems.")
    unknown = set(body) - _ENTRY_KEYS
    if unknown:
        raise LexiconError(f"{path}: {where} has unknown keys {sorted(unknown)}; allowed are {sorted(_ENTRY_KEYS)}.")
    lemmas = _words(path, f"{where}.lemmas", body.get("lemmas"))
    phrases = _words(path, f"{where}.phrases", body.get("phrases"))
    stems = _words(path, f"{where}.stems", body.get("stems"))
    short = [stem for stem in stems if len(stem) < min_stem]
    if short:
        raise LexiconError(
            f"{path}: {where}.stems {short} are shorter than {min_stem} letters and would match "
            "inside unrelated words. Use a longer stem or list the words under lemmas."
        )
    if not (lemmas or phrases or stems):
        raise LexiconError(f"{path}: {where} has no lemmas, phrases or stems; add some or remove it.")
    negatable = body.get("negatable", False)
    if not isinstance(negatable, bool):
        raise LexiconError(f"{path}: {where}.negatable must be true or false, not {negatable!r}.")
    # A one-word phrase is a lemma in all but name; matching it as such keeps the matchers simple.
    lemmas += [phrase for phrase in phrases if " " not in phrase]
    return Entry(
        name=name,
        label=str(body.get("label") or name),
        lemmas=frozenset(lemmas),
        phrases=tuple(phrase for phrase in phrases if " " in phrase),
        stems=tuple(stems),
        exclude=frozenset(_words(path, f"{where}.exclude", body.get("exclude"))),
        description=str(body.get("description") or ""),
        negatable=negatable,
    )


def load_lexicon(path: Path | str | None = None, min_stem: int = 5) -> Lexicon:
    """Read a frame lexicon (the shipped one when ``path`` is None) and check every entry."""
    path = Path(path) if path else DEFAULT_LEXICON
    if not path.is_file():
        raise LexiconError(
            f"{path}: frame lexicon not found. Set frames.lexicon in params.yaml to an existing file, or null for the shipped one."
        )
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as error:
        raise LexiconError(f"{path}: not valid YAML ({error}). Fix the syntax and run again.") from error
    if not isinstance(data, dict) or not isinstance(data.get("frames"), dict) or not data["frames"]:
        raise LexiconError(f"{path}: expected a mapping with a non-empty 'frames' section.")
    functions = data.get("functions") or {}
    if not isinstance(functions, dict):
        raise LexiconError(f"{path}: 'functions' must be a mapping of function name to cues.")
    return Lexicon(
        frames=tuple(_entry(path, "frames", name, body, min_stem) for name, body in data["frames"].items()),
        functions=tuple(_entry(path, "functions", name, body, min_stem) for name, body in functions.items()),
    )
