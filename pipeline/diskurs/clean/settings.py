"""The clean stage's settings, read from the ``clean:`` section of params.yaml."""

from __future__ import annotations

from collections.abc import Iterable

import click

from diskurs.clean.classifier import ClassifierSettings, load_stoplist
from diskurs.clean.patterns import BoilerplatePattern, load_patterns
from diskurs.clean.repeated import RepeatedLines, document_keys, find_repeated
from diskurs.params import Section


def pattern_library(clean: Section) -> list[BoilerplatePattern] | None:
    """The pattern library, or None when layer 1 is switched off."""
    if not clean["patterns"]:
        return None
    return load_patterns(clean["pattern_file"])


def classifier_settings(clean: Section) -> ClassifierSettings | None:
    """The classifier's thresholds, or None when layer 3 is switched off."""
    if not clean["classifier"]:
        return None
    language = clean["classifier_stoplist"]
    try:
        stoplist = load_stoplist(language)
    except ValueError:
        raise click.UsageError(
            f"params.yaml: clean.classifier_stoplist '{language}' is not a jusText stop-word list; "
            "use Norwegian_Bokmal or Norwegian_Nynorsk."
        ) from None
    return ClassifierSettings(
        stoplist=stoplist,
        length_low=int(clean["classifier_length_low"]),
        length_high=int(clean["classifier_length_high"]),
        stopwords_low=float(clean["classifier_stopwords_low"]),
        stopwords_high=float(clean["classifier_stopwords_high"]),
    )


def repeated_lines(clean: Section, texts: Iterable[str]) -> RepeatedLines | None:
    """Lines repeated across ``texts`` (the corpus, streamed), or None when layer 2 is off."""
    if not clean["repeated"]:
        return None
    max_chars = int(clean["repeated_max_chars"])
    return find_repeated(
        (document_keys(text, max_chars) for text in texts),
        min_documents=int(clean["repeated_min_documents"]),
        min_share=float(clean["repeated_min_share"]),
    )
