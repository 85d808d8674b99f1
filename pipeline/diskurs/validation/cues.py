"""Cues a coded sample suggests for the lexicon: the words that tell the sentences people coded
with a frame from those they did not.

Each content-word lemma of the coded sentences is scored, per frame and framing function, by
the weighted log-odds ratio with an informative Dirichlet prior (Monroe, Colaresi & Quinn 2008,
"Fightin' Words"): how much more often the sentences coded with the code contain it than the
others, as a z-score that shrinks rare words towards zero. A sentence counts a lemma once. Where
several coders coded a sentence, their majority decides. The suggestions are for a person to
read, not to copy: a word may stand for the corpus's topic, or for one document's subject.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from diskurs.frames.cache import FramesMap
from diskurs.frames.matcher import LexiconMatcher
from diskurs.io import write_csv
from diskurs.layout import Layout
from diskurs.params import section
from diskurs.themes.vectorise import is_content
from diskurs.validation.agreement import Coding, Problem, SentenceIndex, majority, read_coding, tool_codes
from diskurs.views import Sentences, token_lemma

SUGGESTION_COLUMNS = [
    "code",
    "lemma",
    "z",
    "coded_with",
    "coded_without",
    "missed_by_tool",
    "in_lexicon",
    "example",
]
# The prior's weight in sentences: enough that a word seen in two coded sentences does not top
# the list, little beside a sample of a few hundred sentences.
PRIOR_WEIGHT = 50.0


@dataclass
class CueCounts:
    """Per code, how many sentences coded with it (and without it) contain each lemma."""

    sentences: Counter = field(default_factory=Counter)  # code -> sentences coded with it
    total: int = 0
    coded_with: dict[str, Counter] = field(default_factory=dict)
    coded_without: dict[str, Counter] = field(default_factory=dict)
    missed: dict[str, Counter] = field(default_factory=dict)  # coded with it, the tool found nothing
    examples: dict[tuple[str, str], str] = field(default_factory=dict)

    def add(self, code: str, lemmas: Iterable[str], coded: bool, found: bool, text: str) -> None:
        counts = self.coded_with if coded else self.coded_without
        counts.setdefault(code, Counter()).update(lemmas)
        if coded:
            self.sentences[code] += 1
            if not found:
                self.missed.setdefault(code, Counter()).update(lemmas)
                for lemma in lemmas:
                    self.examples.setdefault((code, lemma), text)


def log_odds_z(with_code: int, without_code: int, n_with: int, n_without: int, prior_share: float) -> float:
    """The z-score of a word's log-odds ratio between the sentences coded with a code and the
    others, under a Dirichlet prior of ``PRIOR_WEIGHT`` sentences at the word's share overall."""
    prior = PRIOR_WEIGHT * prior_share
    odds_with = (with_code + prior) / (n_with + PRIOR_WEIGHT - with_code - prior)
    odds_without = (without_code + prior) / (n_without + PRIOR_WEIGHT - without_code - prior)
    delta = math.log(odds_with) - math.log(odds_without)
    return delta / math.sqrt(1 / (with_code + prior) + 1 / (without_code + prior))


def sentence_lemmas(
    frames_of: FramesMap, params: Mapping, doc_ids: frozenset[str] | None = None
) -> Iterator[tuple[str, frozenset[str]]]:
    """(unit, its content-word lemmas outside named entities) for every sentence of the corpus,
    or of the documents ``doc_ids``, the content words as the themes stage reads them."""
    settings = section(params, "themes")
    content_pos = frozenset(settings["content_pos"])
    min_chars, extra_stop = int(settings["min_chars"]), frozenset(settings["extra_stop_words"])
    for entry in frames_of.entries():
        doc_id = str(entry.metadata.get("doc_id", ""))
        if doc_ids is not None and doc_id not in doc_ids:
            continue
        doc = entry.doc()
        for sentence_id, span in enumerate(Sentences.of(doc).spans):
            lemmas = frozenset(
                token_lemma(token)
                for token in span
                if not token.ent_type_ and is_content(token, content_pos, min_chars, extra_stop)
            )
            yield f"{doc_id}:{sentence_id}", lemmas


def count_cues(
    lemmas: Iterable[tuple[str, frozenset[str]]],
    codings: Sequence[Coding],
    tool: Mapping[str, set[str]],
    index: SentenceIndex,
    codes: Sequence[str],
    counts: CueCounts | None = None,
) -> CueCounts:
    """Add the coded sentences of one corpus to ``counts`` (a new one if None)."""
    counts = counts if counts is not None else CueCounts()
    for unit, words in lemmas:
        coded = [coding.codes[unit] for coding in codings if unit in coding.codes]
        if not coded:
            continue
        counts.total += 1
        for code in codes:
            value = majority([float(codes_of.get(code, math.nan)) for codes_of in coded])
            if not math.isnan(value):
                counts.add(code, words, value == 1.0, code in tool.get(unit, ()), index.texts.get(unit, ""))
    return counts


def suggestions(
    counts: CueCounts, matcher: LexiconMatcher, min_coded: int = 3, min_z: float = 1.96, top: int = 15
) -> list[dict]:
    """Per code, the lemmas most typical of the sentences coded with it (z ≥ ``min_z``, in at
    least ``min_coded`` of them), best first, each marked by whether ``matcher`` takes it for a
    cue of the code already."""
    rows = []
    lexicon = matcher.lexicon
    for code in (*lexicon.frame_names, *lexicon.function_names):
        with_code, without_code = counts.coded_with.get(code, Counter()), counts.coded_without.get(code, Counter())
        n_with = counts.sentences[code]
        n_without = counts.total - n_with
        if not n_with or not n_without:
            continue
        scored = []
        for lemma, k in with_code.items():
            if k < min_coded:
                continue
            share = (k + without_code[lemma]) / counts.total
            z = log_odds_z(k, without_code[lemma], n_with, n_without, share)
            if z >= min_z:
                scored.append((z, lemma))
        for z, lemma in sorted(scored, key=lambda pair: (-pair[0], pair[1]))[:top]:
            rows.append(
                {
                    "code": code,
                    "lemma": lemma,
                    "z": round(z, 2),
                    "coded_with": with_code[lemma],
                    "coded_without": without_code[lemma],
                    "missed_by_tool": counts.missed.get(code, Counter())[lemma],
                    "in_lexicon": "yes" if code in matcher.codes_of_word(lemma) else "no",
                    "example": counts.examples.get((code, lemma), ""),
                }
            )
    return rows


@dataclass
class CueSummary:
    out: Path
    sentences: int = 0
    rows: list[dict] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    def describe(self) -> str:
        new = [row for row in self.rows if row["in_lexicon"] == "no"]
        lines = [
            f"suggest-cues: {self.sentences} coded sentences, {len(self.rows)} typical words of "
            f"{len({row['code'] for row in self.rows})} codes, {len(new)} not in the lexicon -> {self.out}"
        ]
        by_code: dict[str, list[str]] = {}
        for row in new:
            by_code.setdefault(row["code"], []).append(row["lemma"])
        lines += [f"  {code}: {', '.join(words[:8])}" for code, words in by_code.items()]
        if self.problems:
            lines.append(f"  {len(self.problems)} entries of the sheets could not be used (see `diskurs agreement`)")
        return "\n".join(lines)


def run_suggest_cues(layout: Layout, params: dict, coded: Sequence[Path], out: Path) -> CueSummary:
    """Suggest cues from the coded sheets, for the annotated corpus under ``layout``, into the
    CSV ``out``."""
    frames_of = FramesMap(layout, params)
    lexicon = frames_of.lexicon
    tool, index = tool_codes(frames_of)
    codes = [*lexicon.frame_names, *lexicon.function_names]
    summary = CueSummary(Path(out))
    codings = []
    for path in coded:
        coding, problems = read_coding(path, codes, index)
        codings.append(coding)
        summary.problems += problems
    # Only the coded documents' Docs are built.
    coded_docs = frozenset(unit.rsplit(":", 1)[0] for coding in codings for unit in coding.codes)
    counts = count_cues(sentence_lemmas(frames_of, params, coded_docs), codings, tool, index, codes)
    summary.sentences = counts.total
    summary.rows = suggestions(counts, frames_of.matcher)
    write_csv(summary.out, SUGGESTION_COLUMNS, summary.rows)
    return summary
