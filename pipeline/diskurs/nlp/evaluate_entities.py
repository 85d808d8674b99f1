"""How well the whole entities stage names people, organisations and places in unseen text.

Each NDT file of a folder is rebuilt as a plain-text document (its sentences as paragraphs) and
put through the real pipeline (ingest, clean, annotate, entities) with the project's parameters;
then, per document, the set of names the entities stage yields is compared with NorNE's gold
names, in three groups, a name matched by its text regardless of case. This measures what a
researcher gets from their own corpus, rules and actor list included, not the bare model.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

from diskurs.io import read_csv
from diskurs.layout import Layout
from diskurs.nlp.ndt import ndt_files, read_sentences, spaces_after

GROUPS = {"PER": "PER", "ORG": "ORG", "GPE_ORG": "ORG", "LOC": "LOC", "GPE_LOC": "LOC"}


def _sentence(tokens) -> tuple[str, list[tuple[str, str]]]:
    """The running text of one sentence and its gold names as (label, text)."""
    forms = [token.form for token in tokens]
    text, names, current, label = "", [], None, None
    for form, space, token in zip(forms, spaces_after(forms), tokens):
        start = len(text)
        text += form + (" " if space else "")
        tag = token.name
        if tag.startswith("B-") or (tag.startswith("I-") and current is None):
            if current is not None:
                names.append((label, text[current[0] : current[1]]))
            current, label = (start, start + len(form)), tag[2:]
        elif tag.startswith("I-") and current is not None:
            current = (current[0], start + len(form))
        else:
            if current is not None:
                names.append((label, text[current[0] : current[1]]))
            current = None
    if current is not None:
        names.append((label, text[current[0] : current[1]]))
    return text.strip(), names


def rebuild(folder: Path, out: Path) -> dict[str, dict[str, set[str]]]:
    """Write each NDT file of ``folder`` as ``out/<name>.txt``; return the gold names per file and group."""
    out.mkdir(parents=True, exist_ok=True)
    gold: dict[str, dict[str, set[str]]] = {}
    for path in ndt_files(folder):
        paragraphs, names = [], defaultdict(set)
        for tokens in read_sentences(path):
            text, found = _sentence(tokens)
            paragraphs.append(text)
            for label, name in found:
                if label in GROUPS:
                    names[GROUPS[label]].add(name.casefold())
        source = f"{path.stem}.txt"
        (out / source).write_text("\n\n".join(paragraphs) + "\n", encoding="utf-8")
        gold[source] = names
    return gold


def found_names(layout: Layout) -> dict[str, dict[str, set[str]]]:
    """The names the entities stage yields per document and group (mentions.csv, as written)."""
    found: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for row in read_csv(layout.entities_dir / "mentions.csv"):
        if row["label"] in GROUPS:
            found[row["source"]][GROUPS[row["label"]]].add(" ".join(row["text"].split()).casefold())
    return found


def score(gold: dict[str, dict[str, set[str]]], found: dict[str, dict[str, set[str]]], examples: int = 50) -> dict:
    """Precision, recall and F1 per group over (document, name) pairs, with misses and false positives."""
    scores = {}
    for group in ("PER", "ORG", "LOC"):
        true = {(doc, name) for doc, names in gold.items() for name in names.get(group, ())}
        predicted = {(doc, name) for doc, names in found.items() if doc in gold for name in names.get(group, ())}
        hits = len(true & predicted)
        precision = hits / len(predicted) if predicted else 0.0
        recall = hits / len(true) if true else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        scores[group] = {
            "precision": round(precision, 4),
            "recall": round(recall, 4),
            "f1": round(f1, 4),
            "gold": len(true),
            "found": len(predicted),
            "correct": hits,
            "missed": [f"{doc}: {name}" for doc, name in sorted(true - predicted)][:examples],
            "false_positives": [f"{doc}: {name}" for doc, name in sorted(predicted - true)][:examples],
        }
    return scores
