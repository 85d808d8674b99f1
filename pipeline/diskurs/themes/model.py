"""NMF themes over TF-IDF of lemma strings, with the number of themes chosen by stability.

Why NMF: the units are short (a sentence or a paragraph), where LDA's word-count model has too
little to go on; NMF on TF-IDF gives sparse, additive themes that read well from their top terms,
and, unlike k-means, lets a unit belong to several themes with a weight, which document_themes.csv
needs.

How many themes: for every k in the range, the model is fitted from several random starts (one
per seed); two fits agree as much as their themes' top-term sets overlap (Jaccard), after pairing
the themes one-to-one with the Hungarian method (Greene, O'Callaghan and Cunningham 2014, "How many
topics? Stability analysis for topic models"). The k whose fits agree most is taken; ties go to
the smaller k. As in that paper, a large corpus is measured on a random sample of its units: the
fits per k and seed are what costs time, and a sample of some thousand sentences shows the same
structure. The sample is drawn by whole documents, in an order fixed by a hash of each document's
id and the first seed, and the terms and their weights (TF-IDF) are learnt on it too. The themes
are then those fitted on the sample from the first seed, and every unit of the corpus gets its
weights on them (NMF's transform): the reported themes are exactly the ones whose stability was
measured. A document added to a large corpus falls outside the sample unless its hash places it
there, and then the fitted themes are those of the run before (see pipeline/diskurs/themes/stage.py).

The fits are independent, and scikit-learn's coordinate-descent NMF and SciPy's sparse products
release the GIL, so ``n_jobs`` threads (scikit-learn's convention: -1 for every CPU) run them side
by side. Each fit is fixed by its seed, so the themes do not depend on the number of threads.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from itertools import combinations

import numpy as np
from joblib import Parallel, delayed
from sklearn.decomposition import NMF
from sklearn.exceptions import ConvergenceWarning
from sklearn.feature_extraction.text import TfidfVectorizer

from diskurs.cache import digest
from diskurs.themes.vectorise import NgramAnalyzer


@dataclass
class ThemeModel:
    k: int
    terms: list[str]
    weights: np.ndarray  # units x themes (W)
    components: np.ndarray  # themes x terms (H)
    top_terms: list[list[str]]
    theme_stability: list[float]  # per theme: mean best-match Jaccard with the other seeds' fits
    stability_by_k: dict[int, float]
    nmf: NMF  # the fit of the first seed, which weighs units outside the sample
    # Document id -> how well the themes are found again when that document is left out.
    leave_one_out: dict[str, float] = field(default_factory=dict)

    @property
    def stability(self) -> float:
        return self.stability_by_k[self.k]


class TooLittleText(ValueError):
    """The corpus holds too little text for themes: a finding to report, not a failure."""


def fit_vectorizer(
    units: Sequence[str], ngram_range: tuple[int, int], min_df, max_df
) -> tuple[TfidfVectorizer, object]:
    """The TF-IDF vectorizer learnt on the lemma strings, and their matrix."""
    vectorizer = TfidfVectorizer(analyzer=NgramAnalyzer(ngram_range), min_df=min_df, max_df=max_df, sublinear_tf=True)
    try:
        matrix = vectorizer.fit_transform(units)
    except ValueError as error:
        raise TooLittleText(
            f"too little text for themes: no term of the {len(units)} units occurs in at least "
            f"themes.min_df ({min_df}) and at most themes.max_df ({max_df}) of them. Add documents, "
            "lower themes.min_df or raise themes.max_df in params.yaml."
        ) from error
    return vectorizer, matrix


def vectorise(units: Sequence[str], ngram_range: tuple[int, int], min_df, max_df):
    """TF-IDF matrix and term list of the lemma strings."""
    vectorizer, matrix = fit_vectorizer(units, ngram_range, min_df, max_df)
    return matrix, list(vectorizer.get_feature_names_out())


def fit_nmf(matrix, k: int, seed: int, max_iter: int) -> tuple[np.ndarray, NMF]:
    """W (units x k) and the fitted model, whose ``components_`` are H (k x terms), from one random start."""
    model = NMF(n_components=k, init="random", random_state=seed, max_iter=max_iter)
    return model.fit_transform(matrix), model


def fit_many(fits: Iterable[tuple], max_iter: int, n_jobs: int) -> list[tuple[np.ndarray, NMF]]:
    """:func:`fit_nmf` of each (matrix, k, seed) in ``fits``, in their order, on ``n_jobs`` threads.

    scikit-learn sorts a sparse matrix's indices in place on its first fit: threads sharing one
    would race on it, so each matrix is sorted before it is handed on (the fits are the same)."""

    def sorted_indices(matrix):
        matrix.sort_indices()
        return matrix

    with warnings.catch_warnings():
        # Small corpora may stop at max_iter a little short of the tolerance; the fit is still usable
        # and its stability is measured, not assumed. Set here, not per fit: the filters are global
        # and catch_warnings is not thread-safe.
        warnings.simplefilter("ignore", ConvergenceWarning)
        return Parallel(n_jobs=n_jobs, prefer="threads")(
            delayed(fit_nmf)(sorted_indices(matrix), k, seed, max_iter) for matrix, k, seed in fits
        )


def top_terms(components: np.ndarray, terms: Sequence[str], n: int) -> list[list[str]]:
    """The n heaviest terms of each theme (terms of weight zero left out)."""
    result = []
    for row in components:
        order = np.argsort(-row, kind="stable")[:n]
        result.append([terms[i] for i in order if row[i] > 0])
    return result


def _jaccard(a: Sequence[str], b: Sequence[str]) -> float:
    a, b = set(a), set(b)
    return len(a & b) / len(a | b) if a | b else 0.0


def match_themes(a: list[list[str]], b: list[list[str]]) -> list[float]:
    """Jaccard of each theme of ``a`` with its partner in ``b`` under the best one-to-one pairing."""
    # Imported here: only fitting needs it, and scipy.optimize takes half a second to import,
    # which a re-run that reads its fitted themes from the cache would pay for nothing.
    from scipy.optimize import linear_sum_assignment

    similarity = np.array([[_jaccard(x, y) for y in b] for x in a])
    rows, cols = linear_sum_assignment(-similarity)
    scores = [0.0] * len(a)
    for row, col in zip(rows, cols):
        scores[row] = float(similarity[row, col])
    return scores


def agreement(runs: list[list[list[str]]]) -> float:
    """Mean matched top-term Jaccard over every pair of fits: 1 means the same themes every time."""
    pairs = [float(np.mean(match_themes(a, b))) for a, b in combinations(runs, 2)]
    return float(np.mean(pairs)) if pairs else 1.0


def seeded_order(documents, seed: int) -> list[str]:
    """The distinct documents in an order fixed by ``seed`` (a hash of each id): the same on every
    machine, and a new document falls anywhere in it."""
    return sorted(set(documents), key=lambda document: digest(f"{seed}:{document}", 64))


def sample_rows(documents: Sequence[str], limit: int, seed: int) -> np.ndarray:
    """Indices of the units the themes are chosen on: all, or those of whole documents (given by
    each unit's document id) taken in an order fixed by ``seed`` until at least ``limit`` units."""
    if len(documents) <= limit:
        return np.arange(len(documents))
    rows: dict[str, list[int]] = {}
    for row, document in enumerate(documents):
        rows.setdefault(document, []).append(row)
    chosen: list[int] = []
    for document in seeded_order(rows, seed):
        if len(chosen) >= limit:
            break
        chosen += rows[document]
    return np.sort(np.asarray(chosen))


def choose_themes(
    matrix,
    terms: list[str],
    k_range: tuple[int, int],
    seeds: Sequence[int],
    n_top: int,
    max_iter: int,
    n_jobs: int = 1,
) -> ThemeModel:
    """Fit every k in the range from every seed on the units and keep the most stable k, as
    fitted from the first seed, with every unit's weights on its themes."""
    if len(seeds) < 2:
        raise ValueError("themes.seeds needs at least two seeds to measure stability.")
    low, high = k_range
    high = min(high, matrix.shape[0] - 1, matrix.shape[1] - 1)
    if high < max(low, 2):
        raise TooLittleText(
            f"too little text for themes: {matrix.shape[0]} units and {matrix.shape[1]} terms allow at most "
            f"{max(high, 0)} themes, fewer than themes.k_range {list(k_range)} asks for. Add documents, "
            "lower themes.min_df or lower themes.k_range in params.yaml."
        )
    ks = range(max(low, 2), high + 1)
    fitted = iter(fit_many([(matrix, k, seed) for k in ks for seed in seeds], max_iter, n_jobs))
    fits = {k: [next(fitted) for _ in seeds] for k in ks}
    stability = {k: agreement([top_terms(nmf.components_, terms, n_top) for _, nmf in fits[k]]) for k in ks}
    best = min(stability, key=lambda k: (-round(stability[k], 6), k))
    runs = [top_terms(nmf.components_, terms, n_top) for _, nmf in fits[best]]
    per_theme = np.mean([match_themes(runs[0], other) for other in runs[1:]], axis=0)
    weights, nmf = fits[best][0]
    return ThemeModel(best, terms, weights, nmf.components_, runs[0], [float(x) for x in per_theme], stability, nmf)


def leave_one_out(
    matrix,
    documents: Sequence[str],
    model: ThemeModel,
    seed: int,
    n_top: int,
    max_iter: int,
    limit: int,
    n_jobs: int = 1,
) -> dict[str, float]:
    """How much the themes depend on single documents: for up to ``limit`` documents (in an
    order fixed by ``seed``), the themes fitted (same k, same terms, the first seed) on the
    units of all the other documents, matched one-to-one with ``model``'s themes; the mean
    top-term Jaccard of the pairs. 1 means that leaving the document out changes no theme.
    A corpus of a single document has nothing to leave out."""
    chosen = seeded_order(documents, seed)[:limit]
    if len(chosen) < 2:
        return {}
    documents = np.asarray(documents)
    chosen = sorted(chosen)
    fits = fit_many(
        ((matrix[np.flatnonzero(documents != document)], model.k, seed) for document in chosen), max_iter, n_jobs
    )
    return {
        document: round(
            float(np.mean(match_themes(model.top_terms, top_terms(nmf.components_, model.terms, n_top)))), 4
        )
        for document, (_, nmf) in zip(chosen, fits)
    }
