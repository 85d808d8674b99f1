"""Raw running text for the model: word vectors trained on all of it, pretraining on a sample.

floret (fastText with subword hashing into a fixed table) gives every word a vector, also one
never seen in the raw text, from a table whose size does not grow with the vocabulary: what a
small model needs to type names it never saw in NorNE. Pretraining runs far slower than floret,
so it reads a sample of the same text.
"""

from __future__ import annotations

import gzip
import hashlib
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


def sample_paragraphs(paths: Iterable[Path | str], output: Path | str, *, words: int, seed: int = 0) -> tuple[int, int]:
    """Write about ``words`` words of ``paths``' paragraphs as JSON Lines (``{"text": ...}``, what
    ``spacy pretrain`` reads), each paragraph kept or not by a seeded hash of its position, so the
    sample is spread evenly over every file and the same for the same seed; return (paragraphs,
    words) written.

    Paragraphs, not documents: ``spacy pretrain`` skips any text longer than its ``max_length``.
    """
    paths = list(paths)
    total = sum(len(paragraph.split()) for paragraph in paragraphs(paths))
    if total == 0:
        raise ValueError(f"no text in {', '.join(map(str, paths))}")
    threshold = min(1.0, words / total) * 2**64
    kept = kept_words = 0
    with atomic_open(output) as handle:
        for number, paragraph in enumerate(paragraphs(paths)):
            digest = hashlib.blake2b(f"{seed}:{number}".encode(), digest_size=8).digest()
            if int.from_bytes(digest, "big") < threshold:
                handle.write(json.dumps({"text": paragraph}, ensure_ascii=False) + "\n")
                kept += 1
                kept_words += len(paragraph.split())
    return kept, kept_words


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
