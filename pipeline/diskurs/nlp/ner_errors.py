"""Where an entity recogniser goes wrong, entity by entity.

Each gold entity is found (same characters, same label), found with the wrong label, found with
the wrong span (a predicted entity overlaps it, but not exactly), or missed; a predicted entity
that overlaps no gold one is spurious. Split by whether a gold name also occurs as a name in
the training data, the counts tell what the model remembers from what it must generalise to.
Spans are compared by character offsets, so a tokeniser that splits differently from the gold
tokens is judged on the text it marks.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Iterable
from pathlib import Path

from spacy.training import Example
from spacy.vocab import Vocab

from diskurs.nlp.ndt import docs_from_folder

OUTCOMES = ("correct", "wrong_label", "wrong_span", "missed")


def names_in(vocab: Vocab, folder: Path | str) -> set[str]:
    """The text of every entity annotated in the NDT files of ``folder``."""
    return {ent.text for doc in docs_from_folder(vocab, folder) for ent in doc.ents}


def _overlaps(start: int, end: int, spans: Iterable[tuple[int, int]]) -> bool:
    return any(s < end and start < e for s, e in spans)


def entity_errors(examples: Iterable[Example], known_names: Collection[str] | None = None) -> dict:
    """Counts of each outcome over all gold entities, spurious predictions and label confusions.

    With ``known_names`` (the names of the training data), ``by_training_data`` gives the
    outcomes separately for gold names that occur there (``seen``) and those that do not.
    """
    outcomes: Counter[str] = Counter()
    by_seen: dict[str, Counter[str]] = {"seen": Counter(), "unseen": Counter()}
    confusions: Counter[tuple[str, str]] = Counter()
    spurious = predicted_total = 0
    for example in examples:
        predicted = {(e.start_char, e.end_char): e.label_ for e in example.predicted.ents}
        gold = {(e.start_char, e.end_char): (e.label_, e.text) for e in example.reference.ents}
        predicted_total += len(predicted)
        for span, (label, text) in gold.items():
            if span in predicted:
                outcome = "correct" if predicted[span] == label else "wrong_label"
                if outcome == "wrong_label":
                    confusions[(label, predicted[span])] += 1
            else:
                outcome = "wrong_span" if _overlaps(*span, predicted) else "missed"
            outcomes[outcome] += 1
            if known_names is not None:
                by_seen["seen" if text in known_names else "unseen"][outcome] += 1
        spurious += sum(1 for span in predicted if not _overlaps(*span, gold))
    result = {
        "gold": sum(outcomes.values()),
        "predicted": predicted_total,
        **{outcome: outcomes[outcome] for outcome in OUTCOMES},
        "spurious": spurious,
        "confusions": [
            {"gold": gold_label, "predicted": predicted_label, "count": count}
            for (gold_label, predicted_label), count in sorted(confusions.items(), key=lambda item: (-item[1], item[0]))
        ],
    }
    if known_names is not None:
        result["by_training_data"] = {
            group: {"gold": sum(counts.values()), **{outcome: counts[outcome] for outcome in OUTCOMES}}
            for group, counts in by_seen.items()
        }
    return result
