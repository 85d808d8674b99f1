"""The `themes` stage: NMF themes over the annotated corpus, and the tables that show them."""

from __future__ import annotations

import json
import pickle
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

import numpy as np

import diskurs.themes.model
import diskurs.themes.vectorise
import diskurs.views
from diskurs.annotated import AnnotatedEntry, DocumentMap
from diskurs.cache import KeyedCache, cache_key, digest
from diskurs.compute import prefill
from diskurs.io import atomic_open, write_csv
from diskurs.layout import Layout
from diskurs.params import section
from diskurs.themes.model import (
    ThemeModel,
    TooLittleText,
    choose_themes,
    fit_vectorizer,
    leave_one_out,
    sample_rows,
)
from diskurs.themes.vectorise import document_units

# The code cached results depend on: dvc.yaml lists their files among the stage's deps (tested).
UNITS_CODE = (diskurs.themes.vectorise, diskurs.views)
MODEL_CODE = (diskurs.themes.model, diskurs.themes.vectorise)

THEMES = ("theme_id", "label", "top_terms", "size", "score")
DOCUMENT_THEMES = ("source", "doc_id", "theme_id", "weight")
THEME_SENTENCES = ("theme_id", "rank", "source", "doc_id", "unit_id", "weight", "sentence")
LEAVE_ONE_OUT = ("source", "doc_id", "agreement")
UNIT_THEMES = ("source", "doc_id", "unit_id", "theme_id", "weight")


@dataclass
class ThemesSummary:
    units: int = 0
    terms: int = 0
    themes: int = 0
    stability: float = 0.0
    stability_by_k: dict[int, float] = field(default_factory=dict)

    reason: str | None = None

    def describe(self) -> str:
        if self.reason:
            return f"themes: none from {self.units} units; {self.reason}"
        by_k = ", ".join(f"k={k}: {value:.3f}" for k, value in sorted(self.stability_by_k.items()))
        return (
            f"themes: {self.themes} themes from {self.units} units and {self.terms} terms; "
            f"stability across seeds {self.stability:.3f} ({by_k})"
        )


@dataclass(frozen=True)
class Settings:
    unit: str
    content_pos: frozenset[str]
    min_chars: int
    extra_stop: frozenset[str]
    ngram_range: tuple[int, int]
    min_df: int | float
    max_df: int | float
    k_range: tuple[int, int]
    seeds: tuple[int, ...]
    max_iter: int
    selection_units: int
    top_terms: int
    sentences_per_theme: int
    leave_one_out: int
    n_jobs: int

    @classmethod
    def from_params(cls, params: dict) -> Settings:
        p = section(params, "themes")
        return cls(
            unit=p["unit"],
            content_pos=frozenset(p["content_pos"]),
            min_chars=int(p["min_chars"]),
            extra_stop=frozenset(word.lower() for word in p["extra_stop_words"] or []),
            ngram_range=tuple(p["ngram_range"]),
            min_df=p["min_df"],
            max_df=p["max_df"],
            k_range=tuple(p["k_range"]),
            seeds=tuple(int(seed) for seed in p["seeds"]),
            max_iter=int(p["max_iter"]),
            selection_units=int(p["selection_units"]),
            top_terms=int(p["top_terms"]),
            sentences_per_theme=int(p["sentences_per_theme"]),
            leave_one_out=int(p["leave_one_out"]),
            n_jobs=int(p["n_jobs"]),
        )


def theme_rows(model: ThemeModel) -> list[dict]:
    """themes.csv: label from the three heaviest terms, size = units whose main theme it is,
    score = how well the theme is found again from the other seeds (mean matched Jaccard)."""
    dominant = np.argmax(model.weights, axis=1)
    has_weight = model.weights.sum(axis=1) > 0
    return [
        {
            "theme_id": theme,
            "label": " / ".join(terms[:3]),
            "top_terms": "|".join(terms),
            "size": int(np.sum((dominant == theme) & has_weight)),
            "score": round(model.theme_stability[theme], 4),
        }
        for theme, terms in enumerate(model.top_terms)
    ]


def document_theme_rows(keys: list[tuple[str, str]], model: ThemeModel) -> list[dict]:
    """document_themes.csv: each document's share of theme weight, summed over its units."""
    totals: dict[tuple[str, str], np.ndarray] = {}
    for key, row in zip(keys, model.weights):
        totals[key] = totals.get(key, 0) + row
    rows = []
    for (source, doc_id), total in sorted(totals.items()):
        mass = float(np.sum(total))
        for theme, value in enumerate(np.atleast_1d(total)):
            if mass > 0 and value > 0:
                rows.append(
                    {"source": source, "doc_id": doc_id, "theme_id": theme, "weight": round(float(value) / mass, 4)}
                )
    return rows


def unit_theme_rows(keys: list[tuple[str, str]], unit_ids: list[int], model: ThemeModel) -> Iterator[dict]:
    """unit_themes.csv: every unit with its main theme and that theme's weight; a unit with no
    term of the model has none, and is listed all the same, so that shares of units per group
    have every unit behind them."""
    dominant = np.argmax(model.weights, axis=1)
    for (source, doc_id), unit_id, theme, row in zip(keys, unit_ids, dominant, model.weights):
        weight = float(row[theme])
        yield {
            "source": source,
            "doc_id": doc_id,
            "unit_id": unit_id,
            "theme_id": int(theme) if weight > 0 else "",
            "weight": round(weight, 4) if weight > 0 else "",
        }


def representative_units(model: ThemeModel, n: int) -> list[tuple[int, int, int, float]]:
    """(theme, rank, unit index, weight) of the n units weighing most on each theme."""
    chosen = []
    for theme in range(model.k):
        column = model.weights[:, theme]
        order = [i for i in np.argsort(-column, kind="stable")[:n] if column[i] > 0]
        chosen += [(theme, rank, int(i), float(column[i])) for rank, i in enumerate(order, start=1)]
    return chosen


def write_status(out, themes: int, reason: str | None, left_out: dict[str, float] | None = None) -> None:
    """``status.json``: how many themes there are, why none when there are none, and how well
    they are found again with one document left out (mean, lowest and its document)."""
    status: dict = {"themes": themes, "reason": reason}
    if left_out:
        lowest = min(left_out, key=lambda doc_id: (left_out[doc_id], doc_id))
        status["leave_one_out"] = {
            "documents": len(left_out),
            "mean": round(sum(left_out.values()) / len(left_out), 4),
            "lowest": left_out[lowest],
            "lowest_doc_id": lowest,
        }
    with atomic_open(out / "status.json") as handle:
        handle.write(json.dumps(status, ensure_ascii=False, indent=2) + "\n")


def units_cache(root, settings: Settings) -> KeyedCache:
    """Each document's units (lemma strings and sentences), kept under its annotation key."""
    described = {
        "unit": settings.unit,
        "content_pos": sorted(settings.content_pos),
        "min_chars": settings.min_chars,
        "extra_stop": sorted(settings.extra_stop),
    }
    # spaCy's version stands for its Norwegian stop-word list.
    return KeyedCache(root, cache_key(UNITS_CODE, described, ["spacy"]), ".json")


def fit_cache(root, settings: Settings) -> KeyedCache:
    """The fitted themes, kept under the digest of the sample they were fitted on."""
    described = {
        "ngram_range": list(settings.ngram_range),
        "min_df": settings.min_df,
        "max_df": settings.max_df,
        "k_range": list(settings.k_range),
        "seeds": list(settings.seeds),
        "max_iter": settings.max_iter,
        "top_terms": settings.top_terms,
        "leave_one_out": settings.leave_one_out,
    }
    return KeyedCache(root, cache_key(MODEL_CODE, described, ["numpy", "scikit-learn", "scipy"]), ".pickle")


def fitted_themes(sample: Sequence[str], documents: Sequence[str], settings: Settings, cache: KeyedCache):
    """The vectorizer and theme model fitted on the lemma strings of ``sample`` (whose units
    belong to ``documents``), with the themes' stability when one document is left out.

    Choosing the number of themes takes dozens of NMF fits; a sample fitted in an earlier run is
    read from ``cache`` (a pickle this stage wrote) instead.
    """

    def fit():
        vectorizer, matrix = fit_vectorizer(sample, settings.ngram_range, settings.min_df, settings.max_df)
        model = choose_themes(
            matrix,
            list(vectorizer.get_feature_names_out()),
            settings.k_range,
            settings.seeds,
            settings.top_terms,
            settings.max_iter,
            settings.n_jobs,
        )
        model.leave_one_out = leave_one_out(
            matrix,
            documents,
            model,
            settings.seeds[0],
            settings.top_terms,
            settings.max_iter,
            settings.leave_one_out,
            settings.n_jobs,
        )
        return vectorizer, model

    fitted, _ = cache.fetch(
        digest("\0".join(sample) + "\0\0" + "\0".join(documents)),
        fit,
        encode=lambda value: pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL),
        decode=pickle.loads,
    )
    return fitted


class UnitsMap(DocumentMap):
    """The map half of the themes stage: each annotated document's units (unit id, lemma string,
    text)."""

    def __init__(self, layout: Layout, params: dict):
        self.settings = Settings.from_params(params)
        super().__init__(layout.annotated, units_cache(layout.cache("themes"), self.settings))

    def __call__(self, entry: AnnotatedEntry) -> list:
        settings = self.settings
        units, _ = self.cache.fetch(
            self.cache_key(entry),
            lambda: document_units(
                entry.doc(), settings.unit, settings.content_pos, settings.min_chars, settings.extra_stop
            ),
        )
        return units


def cached_units(units_of: UnitsMap) -> Iterator[tuple[str, str, int, str, str]]:
    """(source, doc_id, unit_id, lemma string, text) of every unit of the annotated corpus; a
    document seen in an earlier run is read from the cache without building its Doc."""
    for entry in units_of.entries():
        source, doc_id = str(entry.metadata.get("source", "")), str(entry.metadata.get("doc_id", ""))
        for unit_id, lemmas, text in units_of(entry):
            yield source, doc_id, unit_id, lemmas, text


def run_themes(layout: Layout, params: dict) -> ThemesSummary:
    units_of = UnitsMap(layout, params)
    settings, cache = units_of.settings, units_of.cache
    prefill("themes", units_of, layout, params)
    keys: list[tuple[str, str]] = []
    unit_ids: list[int] = []
    lemmas: list[str] = []
    # Sentences are a few percent of the size of the term matrix the model needs anyway; keeping
    # them spares a second pass over the annotated corpus for the representative sentences.
    texts: list[str] = []
    for source, doc_id, unit_id, unit_lemmas, text in cached_units(units_of):
        keys.append((source, doc_id))
        unit_ids.append(unit_id)
        lemmas.append(unit_lemmas)
        texts.append(text)
    rows = sample_rows([doc_id for _, doc_id in keys], settings.selection_units, settings.seeds[0])
    models = fit_cache(layout.cache("theme-models"), settings)
    out = layout.themes_dir
    try:
        vectorizer, model = fitted_themes([lemmas[i] for i in rows], [keys[i][1] for i in rows], settings, models)
    except TooLittleText as finding:
        # Too little text for themes is a finding: empty tables, and the reason for the report.
        for name, columns in (
            ("themes.csv", THEMES),
            ("document_themes.csv", DOCUMENT_THEMES),
            ("theme_sentences.csv", THEME_SENTENCES),
            ("leave_one_out.csv", LEAVE_ONE_OUT),
            ("unit_themes.csv", UNIT_THEMES),
        ):
            write_csv(out / name, columns, [])
        write_status(out, 0, str(finding))
        cache.prune()
        models.prune()
        return ThemesSummary(len(lemmas), reason=str(finding))
    if len(rows) < len(lemmas):
        model.weights = model.nmf.transform(vectorizer.transform(lemmas))
    sentence_rows = [
        {
            "theme_id": theme,
            "rank": rank,
            "source": keys[i][0],
            "doc_id": keys[i][1],
            "unit_id": unit_ids[i],
            "weight": round(weight, 4),
            "sentence": texts[i],
        }
        for theme, rank, i, weight in representative_units(model, settings.sentences_per_theme)
    ]
    write_csv(out / "themes.csv", THEMES, theme_rows(model))
    write_csv(out / "document_themes.csv", DOCUMENT_THEMES, document_theme_rows(keys, model))
    write_csv(out / "theme_sentences.csv", THEME_SENTENCES, sentence_rows)
    write_csv(out / "unit_themes.csv", UNIT_THEMES, unit_theme_rows(keys, unit_ids, model))
    write_status(out, model.k, None, model.leave_one_out)
    sources = dict((doc_id, source) for source, doc_id in keys)
    write_csv(
        out / "leave_one_out.csv",
        LEAVE_ONE_OUT,
        [
            {"source": sources.get(doc_id, ""), "doc_id": doc_id, "agreement": value}
            for doc_id, value in sorted(model.leave_one_out.items())
        ],
    )
    cache.prune()
    models.prune()
    return ThemesSummary(len(lemmas), len(model.terms), model.k, model.stability, model.stability_by_k)
