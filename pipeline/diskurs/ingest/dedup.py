"""Exact and near-duplicate detection over a stream of documents, with small state.

Exact duplicates share a doc_id (a hash of the normalised text). Near-duplicates are found
with MinHash LSH (datasketch): each document keeps a 128-value signature instead of its
shingle set, and the LSH index proposes candidates without comparing against every earlier
document, so memory and time stay flat as the corpus grows.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
from datasketch import LeanMinHash, MinHash, MinHashLSH

NUM_PERM = 128
_WORD_RE = re.compile(r"\w+")


@dataclass(frozen=True)
class NearDuplicate:
    source: str  # the earlier document this one repeats
    similarity: float  # estimated Jaccard similarity of their word shingles


def shingles(text: str, size: int) -> set[str]:
    """Word ``size``-grams of the lower-cased text; a shorter text is one shingle."""
    words = _WORD_RE.findall(text.lower())
    if len(words) <= size:
        return {" ".join(words)} if words else set()
    return {" ".join(words[i : i + size]) for i in range(len(words) - size + 1)}


class Deduplicator:
    """Remembers the documents seen so far and says which earlier one a new document repeats.

    Documents must be offered in a fixed order (the stage uses sorted sources), so the same
    document is always the original and the output is deterministic.
    """

    def __init__(self, threshold: float, shingle_size: int) -> None:
        if not 0 < threshold <= 1:
            raise ValueError(f"near-duplicate threshold must be in (0, 1], got {threshold}")
        if shingle_size < 1:
            raise ValueError(f"shingle size must be at least 1, got {shingle_size}")
        self.threshold = threshold
        self.shingle_size = shingle_size
        self._by_doc_id: dict[str, str] = {}
        # The index retrieves candidates below the threshold so that borderline pairs are not
        # missed by the banding; each candidate is then checked against the threshold itself.
        self._lsh = MinHashLSH(threshold=max(threshold * 0.8, 0.05), num_perm=NUM_PERM)
        self._signatures: dict[str, LeanMinHash] = {}
        self._template = MinHash(num_perm=NUM_PERM, seed=1)

    def exact(self, doc_id: str, source: str) -> str | None:
        """The source of an earlier document with this doc_id; otherwise remember this one."""
        original = self._by_doc_id.get(doc_id)
        if original is None:
            self._by_doc_id[doc_id] = source
        return original

    def signature(self, text: str) -> list[int] | None:
        """The MinHash signature of the text's word shingles; None for a text without words."""
        words = shingles(text, self.shingle_size)
        if not words:
            return None
        signature = MinHash(num_perm=NUM_PERM, permutations=self._template.permutations, scheme="affine32")
        signature.update_batch([shingle.encode("utf-8") for shingle in words])
        return [int(value) for value in signature.hashvalues]

    def near(self, source: str, signature: list[int] | None) -> NearDuplicate | None:
        """The most similar earlier document at or above the threshold; then index this one.

        ``signature`` is the document's :meth:`signature`, which the ingest cache keeps.
        """
        if signature is None:
            return None
        lean = LeanMinHash(
            seed=self._template.seed, hashvalues=np.asarray(signature, dtype=np.uint64), scheme="affine32"
        )
        best: NearDuplicate | None = None
        for candidate in sorted(self._lsh.query(lean)):
            similarity = lean.jaccard(self._signatures[candidate])
            if similarity >= self.threshold and (best is None or similarity > best.similarity):
                best = NearDuplicate(candidate, similarity)
        self._lsh.insert(source, lean)
        self._signatures[source] = lean
        return best
