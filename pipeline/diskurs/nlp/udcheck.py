"""Checking the NDT → UD mapping against the same sentences annotated in UD (CoNLL-U)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from diskurs.nlp.ndt import ndt_files, read_sentences, sentence_upos
from diskurs.nlp.udmap import to_ud_feats


@dataclass(frozen=True)
class Agreement:
    sentences: int
    tokens: int
    upos_agree: int
    feats_agree: int

    @property
    def upos(self) -> float:
        return self.upos_agree / self.tokens if self.tokens else 0.0

    @property
    def feats(self) -> float:
        return self.feats_agree / self.tokens if self.tokens else 0.0


def read_conllu(path: Path | str) -> Iterator[list[list[str]]]:
    """Stream the sentences of a CoNLL-U file as lists of columns (multiword ranges skipped)."""
    sentence: list[list[str]] = []
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            line = line.rstrip("\n")
            if not line:
                if sentence:
                    yield sentence
                    sentence = []
            elif not line.startswith("#"):
                cols = line.split("\t")
                if cols[0].isdigit():
                    sentence.append(cols)
    if sentence:
        yield sentence


def _feature_set(value: str) -> frozenset[str]:
    return frozenset(f for f in value.split("|") if f and f != "_")


def agreement(ndt_folder: Path | str, conllu: Path | str) -> Agreement:
    """How often the mapped UPOS and features equal the UD annotation of the same sentence.

    Sentences are paired by their exact token sequence; one that differs in tokenisation
    between the two releases is left out (``sentences`` says how many were compared).
    """
    ud = {tuple(cols[1] for cols in s): s for s in read_conllu(conllu)}
    sentences = tokens = upos_agree = feats_agree = 0
    for path in ndt_files(ndt_folder):
        for sentence in read_sentences(path):
            gold = ud.get(tuple(t.form for t in sentence))
            if gold is None:
                continue
            sentences += 1
            for token, upos, cols in zip(sentence, sentence_upos(sentence), gold):
                tokens += 1
                upos_agree += upos == cols[3]
                feats_agree += _feature_set(to_ud_feats(token, upos)) == _feature_set(cols[5])
    return Agreement(sentences, tokens, upos_agree, feats_agree)
