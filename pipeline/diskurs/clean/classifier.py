"""Layer 3: a paragraph classifier in the spirit of jusText (Pomikálek 2011).

Each paragraph is first classed on its own by length and stop-word density (bad, short,
near-good, good), then short and near-good paragraphs are re-classed from their neighbours,
so that headings and list items inside an article survive while runs of short debris between
boilerplate go. Link density, jusText's third signal, is not available after text extraction.

Four changes make it conservative, because losing a sentence of an article costs more than
keeping a menu line:
- a paragraph of at least ``length_low`` characters with enough stop words that ends like a
  sentence is good whatever its length: news paragraphs are often shorter than jusText's
  200 characters, and boilerplate sentences (cookie and comment notices) are the pattern
  library's job;
- a long paragraph with few stop words that is a list item or ends like a sentence is only
  "short" (its neighbours decide), never bad on its own;
- a short paragraph between text and boilerplate is kept when it ends like a sentence, or when
  it leads into text (good text follows, or the very next paragraph is text) and has a stop
  word or is a list item: a heading or a list;
- a document without a single good paragraph is left alone: there is no text to anchor on.
Lines an earlier layer removed count as bad neighbours, which is the evidence they are.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

import justext

BAD, SHORT, NEARGOOD, GOOD = "bad", "short", "neargood", "good"

_WORD_RE = re.compile(r"\w+")
_SENTENCE_END_RE = re.compile(r"[.!?:…][\"'»”’)\]]*$")
_LIST_ITEM_RE = re.compile(r"^(?:[•·*–-]\s*|\d{1,2}[.)]\s|[a-zA-Z][.)]\s)")
_MIN_SENTENCE_WORDS = 3


@dataclass(frozen=True)
class ClassifierSettings:
    stoplist: frozenset[str]
    length_low: int = 70
    length_high: int = 200
    stopwords_low: float = 0.30
    stopwords_high: float = 0.32


@cache
def load_stoplist(language: str) -> frozenset[str]:
    """jusText's stop-word list for ``language`` (e.g. "Norwegian_Bokmal"), lower-cased."""
    return frozenset(word.casefold() for word in justext.get_stoplist(language))


def classify(paragraphs: Sequence[str | None], settings: ClassifierSettings) -> list[str | None]:
    """For each paragraph, the reason to remove it, or None to keep it.

    ``paragraphs`` lists a document's non-blank lines in order, with None for lines an earlier
    layer removed (they get None back: they are not this layer's to report).
    """
    classes: list[str] = []
    reasons: list[str | None] = []
    for text in paragraphs:
        if text is None:
            classes.append(BAD)
            reasons.append(None)
        else:
            cls, reason = _classify_alone(text, settings)
            classes.append(cls)
            reasons.append(reason)
    if not any(cls == GOOD for cls in classes):
        return [None] * len(paragraphs)

    revised = list(classes)
    for i, cls in enumerate(classes):
        if cls != SHORT:
            continue
        prev, following = _neighbour(classes, i, -1, True), _neighbour(classes, i, 1, True)
        if prev == GOOD and following == GOOD:
            revised[i] = GOOD
        elif prev == BAD and following == BAD:
            revised[i], reasons[i] = BAD, "short_among_boilerplate"
        elif (prev == BAD and _neighbour(classes, i, -1, False) == NEARGOOD) or (
            following == BAD and _neighbour(classes, i, 1, False) == NEARGOOD
        ):
            revised[i] = GOOD
        elif _keeps_next_to_text(
            paragraphs[i], leads_into_text=following == GOOD or _is_prose(paragraphs, classes, i + 1), settings=settings
        ):
            revised[i] = GOOD
        else:
            revised[i], reasons[i] = BAD, "short_next_to_boilerplate"

    for i, cls in enumerate(revised):
        if cls != NEARGOOD:
            continue
        if _neighbour(revised, i, -1, True) == BAD and _neighbour(revised, i, 1, True) == BAD:
            revised[i], reasons[i] = BAD, "isolated_among_boilerplate"
        else:
            revised[i] = GOOD

    return [
        reason if text is not None and cls == BAD else None for text, cls, reason in zip(paragraphs, revised, reasons)
    ]


def _classify_alone(text: str, settings: ClassifierSettings) -> tuple[str, str | None]:
    if "©" in text:
        return BAD, "copyright_sign"
    words = _WORD_RE.findall(text.casefold())
    if not words:
        return BAD, "no_words"
    if len(text) < settings.length_low:
        return SHORT, None
    density = sum(word in settings.stoplist for word in words) / len(words)
    if density >= settings.stopwords_high and len(text) > settings.length_high:
        return GOOD, None
    if density >= settings.stopwords_low:
        return (GOOD if _is_sentence(text, words) else NEARGOOD), None
    if _is_list_item(text) or _is_sentence(text, words):
        return SHORT, None
    return BAD, "few_stopwords"


def _keeps_next_to_text(text: str, leads_into_text: bool, settings: ClassifierSettings) -> bool:
    words = _WORD_RE.findall(text.casefold())
    if _is_sentence(text, words):
        return True
    has_stopword = any(word in settings.stoplist for word in words)
    return leads_into_text and (has_stopword or _is_list_item(text))


def _is_prose(paragraphs: Sequence[str | None], classes: Sequence[str], index: int) -> bool:
    """Whether the paragraph at ``index`` is text: good, near-good or a short sentence."""
    if index >= len(paragraphs) or paragraphs[index] is None:
        return False
    text = paragraphs[index]
    return classes[index] in (GOOD, NEARGOOD) or _is_sentence(text, _WORD_RE.findall(text.casefold()))


def _is_sentence(text: str, words: list[str]) -> bool:
    return len(words) >= _MIN_SENTENCE_WORDS and bool(_SENTENCE_END_RE.search(text.strip()))


def _is_list_item(text: str) -> bool:
    return bool(_LIST_ITEM_RE.match(text.strip()))


def _neighbour(classes: Sequence[str], index: int, step: int, skip_neargood: bool) -> str:
    """Class of the nearest paragraph in direction ``step`` that is not short (nor near-good,
    when ``skip_neargood``); the document's edges count as bad, as in jusText."""
    index += step
    while 0 <= index < len(classes):
        cls = classes[index]
        if cls != SHORT and not (skip_neargood and cls == NEARGOOD):
            return cls
        index += step
    return BAD
