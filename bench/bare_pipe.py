"""Bare ``nlp.pipe`` over the texts of a clean.jsonl: the yardstick for the pipeline's throughput.

Run as its own process so that its peak memory is measured apart from everything else; prints
one JSON object (seconds to load, seconds to annotate, documents, words, tokens).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from diskurs.io import read_jsonl  # noqa: E402
from diskurs.nlp.loader import load_model  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--model", required=True)
    parser.add_argument("--texts", required=True, type=Path, help="clean.jsonl")
    parser.add_argument("--batch-size", type=int, default=16)
    parser.add_argument("--n-process", type=int, default=1)
    args = parser.parse_args()

    start = time.perf_counter()
    nlp = load_model(args.model)
    nlp.max_length = 2_000_000
    loaded = time.perf_counter()
    texts = (record["text"] for record in read_jsonl(args.texts))
    documents = tokens = 0
    for doc in nlp.pipe(texts, batch_size=args.batch_size, n_process=args.n_process):
        documents += 1
        tokens += len(doc)
    done = time.perf_counter()
    words = sum(len(record["text"].split()) for record in read_jsonl(args.texts))
    print(
        json.dumps(
            {
                "load_seconds": loaded - start,
                "pipe_seconds": done - loaded,
                "documents": documents,
                "words": words,
                "tokens": tokens,
            }
        )
    )


if __name__ == "__main__":
    main()
