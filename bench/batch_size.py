"""Bare ``nlp.pipe`` at several batch sizes, side by side in one run: seconds and peak memory
of each against the largest batch size, the evidence for ``nlp.batch_size``'s default.

    .venv/bin/python bench/batch_size.py --texts CLEAN.jsonl [--sizes 16 8 4 2 1] [--rounds 2]

``--texts`` is a clean.jsonl (a benchmark corpus's ``corpus/processed/clean.jsonl``; its first
``--documents`` records are used). Each size runs ``--rounds`` times, the sizes interleaved, so
that a drift of the machine's speed falls on all of them alike; the fastest round counts.
"""

from __future__ import annotations

import argparse
import itertools
import json
import sys
import tempfile
from pathlib import Path

import yaml

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

from bench import bare_pipe  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--texts", required=True, type=Path)
    parser.add_argument("--model", default=None, help="default: nlp.model in params.yaml")
    parser.add_argument("--sizes", type=int, nargs="+", default=[16, 8, 4, 2, 1])
    parser.add_argument("--documents", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()
    model = args.model or yaml.safe_load((BENCH.parent / "params.yaml").read_text(encoding="utf-8"))["nlp"]["model"]
    with tempfile.TemporaryDirectory() as work:
        texts, log = Path(work) / "clean.jsonl", Path(work) / "bench.log"
        with args.texts.open(encoding="utf-8") as source:
            texts.write_text("".join(itertools.islice(source, args.documents)), encoding="utf-8")
        runs: dict[int, list[dict]] = {size: [] for size in args.sizes}
        for _ in range(args.rounds):
            for size in args.sizes:
                runs[size].append(bare_pipe(model, texts, size, 1, log))
    best = {size: min(reports, key=lambda report: report["pipe_seconds"]) for size, reports in runs.items()}
    base = best[args.sizes[0]]
    print(f"{base['documents']} documents, {base['words']} words; against batch size {args.sizes[0]}:")
    print("| batch size | seconds | peak MB | time ratio | memory ratio |")
    print("|---:|---:|---:|---:|---:|")
    for size, report in best.items():
        print(
            f"| {size} | {report['pipe_seconds']:.1f} | {report['peak_mb']:.0f} | "
            f"{report['pipe_seconds'] / base['pipe_seconds']:.2f} | {report['peak_mb'] / base['peak_mb']:.2f} |"
        )
    print(json.dumps({str(size): report for size, report in best.items()}))


if __name__ == "__main__":
    main()
