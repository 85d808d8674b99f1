"""Word vectors for the model: raw running text tokenised as the model tokenises, then floret.

floret (fastText with subword hashing into a fixed table) gives every word a vector, also one
never seen in the raw text, from a table whose size does not grow with the vocabulary: what a
small model needs to type names it never saw in NorNE.
"""

from __future__ import annotations

import gzip
import json
from collections.abc import Iterable, Iterator
from pathlib import Path

from diskurs.io import atomic_open, atomic_path


def paragraphs(paths: Iterable[Path | str]) -> Iterator[str]:
    """Each non-blank line of the ``text`` field of every JSON Lines record (gzip or plain)."""
    for path in paths:
        opener = gzip.open if str(path).endswith(".gz") else open
        with opener(path, "rt", encoding="utf-8") as handle:
            for line in handle:
                if not line.strip():
                    continue
                for paragraph in json.loads(line)["text"].splitlines():
                    if paragraph.strip():
                        yield paragraph


def tokenize_text(paths: Iterable[Path | str], output: Path | str, lang: str = "nb") -> tuple[int, int]:
    """Write every paragraph of ``paths`` as one line of space-separated tokens, the input floret
    reads, with spaCy's tokeniser for ``lang``; return (lines, tokens)."""
    import spacy

    tokenizer = spacy.blank(lang).tokenizer
    lines = tokens = 0
    with atomic_open(output) as handle:
        for doc in tokenizer.pipe(paragraphs(paths), batch_size=2000):
            words = [token.text for token in doc if not token.is_space]
            if words:
                handle.write(" ".join(words) + "\n")
                lines += 1
                tokens += len(words)
    return lines, tokens


def train_floret(
    text: Path | str,
    output: Path | str,
    *,
    dim: int,
    bucket: int,
    minn: int,
    maxn: int,
    hash_count: int,
    epoch: int,
    min_count: int,
    threads: int,
) -> None:
    """Train CBOW floret vectors on ``text`` and save them in the text format that
    ``spacy init vectors --mode floret`` reads."""
    import floret

    model = floret.train_unsupervised(
        str(text),
        model="cbow",
        mode="floret",
        dim=dim,
        bucket=bucket,
        minn=minn,
        maxn=maxn,
        hashCount=hash_count,
        epoch=epoch,
        minCount=min_count,
        thread=threads,
        verbose=1,
    )
    with atomic_path(output) as tmp:
        model.save_floret_vectors(str(tmp))
