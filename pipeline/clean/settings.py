"""The clean stage's settings, read from the ``clean:`` section of params.yaml."""

from __future__ import annotations

from typing import Any, Iterable

import click

from pipeline.clean.classifier import ClassifierSettings, load_stoplist
from pipeline.clean.patterns import BoilerplatePattern, load_patterns
from pipeline.clean.repeated import RepeatedLines, document_keys, find_repeated


def section(params: dict) -> dict:
    clean = params.get("clean")
    if not isinstance(clean, dict):
        raise click.UsageError("params.yaml: the 'clean:' section is missing. Copy it from the project's params.yaml.")
    return clean


def setting(clean: dict, key: str) -> Any:
    """``clean.<key>``, failing with the fix when it is missing."""
    if key not in clean:
        raise click.UsageError(
            f"params.yaml: clean.{key} is missing. Add it to the 'clean:' section "
            "(see the project's params.yaml for its meaning and default)."
        )
    return clean[key]


def pattern_library(clean: dict) -> list[BoilerplatePattern] | None:
    """The pattern library, or None when layer 1 is switched off."""
    if not setting(clean, "patterns"):
        return None
    return load_patterns(setting(clean, "pattern_file"))


def classifier_settings(clean: dict) -> ClassifierSettings | None:
    """The classifier's thresholds, or None when layer 3 is switched off."""
    if not setting(clean, "classifier"):
        return None
    language = setting(clean, "classifier_stoplist")
    try:
        stoplist = load_stoplist(language)
    except ValueError:
        raise click.UsageError(
            f"params.yaml: clean.classifier_stoplist '{language}' is not a jusText stop-word list; "
            "use Norwegian_Bokmal or Norwegian_Nynorsk."
        )
    return ClassifierSettings(
        stoplist=stoplist,
        length_low=int(setting(clean, "classifier_length_low")),
        length_high=int(setting(clean, "classifier_length_high")),
        stopwords_low=float(setting(clean, "classifier_stopwords_low")),
        stopwords_high=float(setting(clean, "classifier_stopwords_high")),
    )


def repeated_lines(clean: dict, texts: Iterable[str]) -> RepeatedLines | None:
    """Lines repeated across ``texts`` (the corpus, streamed), or None when layer 2 is off."""
    if not setting(clean, "repeated"):
        return None
    max_chars = int(setting(clean, "repeated_max_chars"))
    return find_repeated(
        (document_keys(text, max_chars) for text in texts),
        min_documents=int(setting(clean, "repeated_min_documents")),
        min_share=float(setting(clean, "repeated_min_share")),
    )
