"""A benchmark corpus of plain .txt documents rebuilt from NorNE's running text.

Each NorNE file (train and dev) is one source text. Its sentences are joined back into running
text and grouped into paragraphs. To reach a target size the texts are used again, each further
round grouping the sentences into paragraphs of a different length and starting at a different
paragraph, so no copy is an exact duplicate (ingest would drop it) and no paragraph line is
shared by enough documents to be taken for boilerplate.
"""

from __future__ import annotations

import hashlib
import sys
from collections.abc import Iterator
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from diskurs.nlp.ndt import ndt_files, read_sentences, spaces_after  # noqa: E402

SPLITS = ("train", "dev")
MAX_ROUNDS = 200


def source_sentences(norne: Path) -> Iterator[tuple[str, list[str]]]:
    """(file stem, sentences as running text) for every NorNE train and dev file."""
    for split in SPLITS:
        for path in ndt_files(norne / split):
            sentences = []
            for sentence in read_sentences(path):
                forms = [token.form for token in sentence]
                # NDT closes a headline with a "|" token; it is no part of the text.
                if forms and forms[-1] == "|":
                    forms = forms[:-1]
                if forms:
                    spaces = spaces_after(forms)
                    sentences.append("".join(f + (" " if s else "") for f, s in zip(forms, spaces)).strip())
            yield f"{split}_{path.stem}", sentences


def document_text(sentences: list[str], round_: int) -> str:
    """The sentences as paragraphs of 3 to 6 sentences, rotated by ``round_`` paragraphs."""
    size = 3 + round_ % 4
    paragraphs = [" ".join(sentences[i : i + size]) for i in range(0, len(sentences), size)]
    shift = round_ % len(paragraphs) if paragraphs else 0
    return "\n\n".join(paragraphs[shift:] + paragraphs[:shift]) + "\n"


def build_corpus(norne: Path, out: Path, target_words: int) -> tuple[int, int]:
    """Write .txt documents under ``out`` until ``target_words`` words; return (documents, words)."""
    out.mkdir(parents=True, exist_ok=True)
    sources = list(source_sentences(norne))
    documents = words = 0
    seen: set[bytes] = set()
    round_ = 0
    while words < target_words:
        if round_ >= MAX_ROUNDS:
            raise ValueError(f"NorNE gives no more distinct documents after {MAX_ROUNDS} rounds")
        for stem, sentences in sources:
            if words >= target_words:
                break
            text = document_text(sentences, round_)
            digest = hashlib.sha256(text.encode("utf-8")).digest()
            if digest in seen:
                continue
            seen.add(digest)
            (out / f"r{round_:02d}_{stem}.txt").write_text(text, encoding="utf-8")
            documents += 1
            words += len(text.split())
        round_ += 1
    return documents, words


def extra_document(norne: Path) -> str:
    """A document no round of :func:`build_corpus` writes: the first source text backwards."""
    _, sentences = next(source_sentences(norne))
    return document_text(sentences[::-1], 1)
