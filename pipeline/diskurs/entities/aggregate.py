"""From mentions to the entity, co-occurrence and document tables (all rows sorted)."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable
from itertools import combinations

from diskurs.entities.mentions import Mention
from diskurs.labels import GPE_ROLES, ORGANISATION_LABELS

ENTITY_COLUMNS = ["canonical", "label", "type", "aliases", "mentions", "documents", "first_source"]
COOCCURRENCE_COLUMNS = ["actor_a", "label_a", "actor_b", "label_b", "sentences", "documents"]
DOCUMENT_COLUMNS = [
    "doc_id",
    "source",
    "title",
    "published",
    "authors",
    "sentences",
    "mentions",
    "people",
    "organisations",
]


def entity_labels(mentions: list[Mention]) -> dict[str, str]:
    """One label per canonical name: the actor list's, else the most frequent (ties alphabetical)."""
    fixed: dict[str, str] = {}
    votes: dict[str, Counter] = defaultdict(Counter)
    for mention in mentions:
        if mention.fixed_label:
            fixed.setdefault(mention.canonical, mention.label)
        votes[mention.canonical][mention.label] += 1
    return {
        name: fixed.get(name) or min(counts, key=lambda label: (-counts[label], label))
        for name, counts in votes.items()
    }


def relabel(mentions: list[Mention]) -> dict[str, str]:
    """Give every mention its entity's label, so one actor never shows under two labels; only a
    geo-political name keeps each mention's role, place or actor, where the entity is one.
    Returns the entities' labels."""
    labels = entity_labels(mentions)
    for mention in mentions:
        label = labels[mention.canonical]
        if not (label in GPE_ROLES and mention.label in GPE_ROLES and not mention.fixed_label):
            mention.label = label
    return labels


def entity_rows(
    mentions: list[Mention],
    labels: dict[str, str],
    published: dict[str, str | None],
    type_of: Callable[[str], str],
) -> list[dict]:
    """entities.csv: most-mentioned first; ``first_source`` is the earliest published document;
    an organisation's ``type`` is the kind of actor ``type_of`` gives its name (people and places
    have none)."""
    grouped: dict[str, list[Mention]] = defaultdict(list)
    for mention in mentions:
        grouped[mention.canonical].append(mention)
    rows = []
    for name, group in grouped.items():
        first = min(group, key=lambda m: (published.get(m.doc_id) is None, published.get(m.doc_id) or "", m.source))
        rows.append(
            {
                "canonical": name,
                "label": labels[name],
                "type": type_of(name) if labels[name] in ORGANISATION_LABELS else "",
                "aliases": "|".join(sorted({m.text for m in group} - {name})),
                "mentions": len(group),
                "documents": len({m.doc_id for m in group}),
                "first_source": first.source,
            }
        )
    return sorted(rows, key=lambda row: (-row["mentions"], row["canonical"], row["label"]))


def cooccurrence_rows(mentions: list[Mention], labels: frozenset[str]) -> list[dict]:
    """Pairs of canonical actors named in the same sentence: sentences and documents counted."""
    sentences: dict[tuple[str, int], dict[str, str]] = defaultdict(dict)
    for mention in mentions:
        if mention.sentence_id is not None and mention.label in labels:
            sentences[(mention.doc_id, mention.sentence_id)][mention.canonical] = mention.label
    counts: Counter = Counter()
    documents: dict[tuple, set] = defaultdict(set)
    for (doc_id, _), actors in sentences.items():
        for a, b in combinations(sorted(actors), 2):
            pair = (a, actors[a], b, actors[b])
            counts[pair] += 1
            documents[pair].add(doc_id)
    rows = [
        {
            "actor_a": a,
            "label_a": la,
            "actor_b": b,
            "label_b": lb,
            "sentences": n,
            "documents": len(documents[(a, la, b, lb)]),
        }
        for (a, la, b, lb), n in counts.items()
    ]
    return sorted(rows, key=lambda row: (-row["sentences"], row["actor_a"], row["actor_b"]))


def document_row(info: dict, mentions: list[Mention]) -> dict:
    """documents sheet: one row per annotated document."""
    return {
        **info,
        "mentions": len(mentions),
        "people": len({m.canonical for m in mentions if m.label == "PER"}),
        "organisations": len({m.canonical for m in mentions if m.label in ORGANISATION_LABELS}),
    }
