"""Cleaned documents kept per text, so that a re-run cleans only new documents and those whose
repeated lines changed.

Layers 1 and 3 depend on a document's text and title, the clean code and the settings; the
folder key covers the code and settings (the pattern library and stop-word list by content, so
an edited user file counts). Layer 2 depends on the corpus, and a new document can change the
repeated lines of any other. An entry therefore records which of the lines layer 2 tested were
repeated lines, and is used only while exactly these still are; a document is cleaned again
when one of its lines becomes or stops being repeated. The layer's own settings (minimum
documents and share, maximum length) only decide which lines are repeated, so they are not in
the key.
"""

from __future__ import annotations

import json
import platform
from pathlib import Path

import diskurs.clean
import diskurs.ingest.metadata
from diskurs.cache import KeyedCache, cache_key, digest
from diskurs.clean.cleaner import TITLE_RULE, CleanedDocument, CleanSettings, Removal, clean_text
from diskurs.clean.repeated import line_key

# The code a cached result depends on: dvc.yaml lists its files among the stage's deps (tested).
CODE = (diskurs.clean, diskurs.ingest.metadata)


def clean_cache(root: Path, settings: CleanSettings) -> KeyedCache:
    """The cache of cleaned documents under the key of the code and the settings of layers 1 and 3."""
    patterns = settings.patterns
    classifier = settings.classifier
    described = {
        "patterns": None
        if patterns is None
        else [[pattern.name, pattern.regex.pattern, pattern.regex.flags, pattern.and_next] for pattern in patterns],
        "classifier": None
        if classifier is None
        else {
            "stoplist": digest("\n".join(sorted(classifier.stoplist))),
            "length": [classifier.length_low, classifier.length_high],
            "stopwords": [classifier.stopwords_low, classifier.stopwords_high],
        },
        # Python's Unicode tables decide case folding, \w and what counts as upper case.
        "python": platform.python_version(),
    }
    return KeyedCache(root, cache_key(CODE, described), ".json")


def entry_key(text: str, title: str | None) -> str:
    """The name of a document's entry: what it was cleaned from besides the corpus."""
    return digest(json.dumps([title, text], ensure_ascii=False))


def cached_clean(
    text: str, title: str | None, settings: CleanSettings, cache: KeyedCache
) -> tuple[CleanedDocument, bool]:
    """``clean_text(text, title, settings)``, and whether it was read from ``cache``."""
    repeated = settings.repeated.keys if settings.repeated is not None else frozenset()
    lines = {line_key(line) for line in text.split("\n")}

    def load(entry: dict) -> CleanedDocument:
        # The entry holds while the corpus repeats the same of the document's lines as then.
        if entry["repeated"] != sorted(repeated & lines.union(entry["cut"])):
            raise ValueError("the corpus's repeated lines have changed")
        removals = [Removal(line, removed, rule) for line, removed, rule in entry["removals"]]
        return CleanedDocument(entry["title"], entry["paragraphs"], removals)

    def dump(cleaned: CleanedDocument) -> dict:
        cut = _cut_keys(text, cleaned)
        return {
            "repeated": sorted(repeated & lines.union(cut)),
            "cut": cut,
            "title": cleaned.title,
            "paragraphs": cleaned.paragraphs,
            "removals": [[removal.line, removal.text, removal.rule] for removal in cleaned.removals],
        }

    return cache.fetch(entry_key(text, title), lambda: clean_text(text, title, settings), load=load, dump=dump)


def _cut_keys(text: str, cleaned: CleanedDocument) -> list[str]:
    """Keys of what is left of lines whose start was removed as the title ("Site: <title>…").

    Layer 2 tests that rest, not the whole line, so its key belongs with the lines' keys.
    """
    lines = text.split("\n")
    # The title removed is the start of the stripped line (see cleaner._first_layer); the rest
    # of a whole-line title is empty.
    rests = (
        lines[removal.line - 1].strip()[len(removal.text) :]
        for removal in cleaned.removals
        if removal.rule == TITLE_RULE
    )
    return sorted({line_key(rest) for rest in rests} - {""})
