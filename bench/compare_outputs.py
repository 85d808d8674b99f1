"""Compare two output folders of `diskurs run` file by file, byte for byte.

    python bench/compare_outputs.py OLD_OUT NEW_OUT

Every file under each folder's ``reports/``, ``corpus/interim/`` and ``corpus/processed/`` is
compared, except the stage timings (wall-clock seconds). Annotated documents are stored under
``<pipeline key>-<text key>``, and the pipeline key covers diskurs's own code, so they are paired
by their text key and compared by content. Prints the files that differ or exist on one side
only, and exits with 1 when there are any: a restructuring that should not change results must
print nothing but the count of identical files.
"""

from __future__ import annotations

import hashlib
import re
import sys
from pathlib import Path

COMPARED = ("reports", "corpus/processed", "corpus/interim")
SKIPPED = ("reports/timings/",)
ANNOTATED = "corpus/processed/annotated/"
PIPELINE_KEY = re.compile(r"\b[0-9a-f]{16}-(?=[0-9a-f]{32}\b)")


def digests(root: Path) -> dict[str, str]:
    found = {}
    for part in COMPARED:
        folder = root / part
        for path in sorted(folder.rglob("*")) if folder.is_dir() else ():
            name = path.relative_to(root).as_posix()
            if not path.is_file() or name.startswith(SKIPPED):
                continue
            content = path.read_bytes()
            if name.startswith(ANNOTATED):
                name = PIPELINE_KEY.sub("", name)
                if name.endswith(".jsonl"):
                    content = PIPELINE_KEY.sub("", content.decode("utf-8")).encode("utf-8")
            found[name] = hashlib.sha256(content).hexdigest()
    return found


def main(old: Path, new: Path) -> int:
    before, after = digests(old), digests(new)
    if not before or not after:
        print(f"no outputs under {old if not before else new}: give two folders `diskurs run … --out` wrote")
        return 2
    differ = sorted(name for name in before.keys() & after.keys() if before[name] != after[name])
    only_old = sorted(before.keys() - after.keys())
    only_new = sorted(after.keys() - before.keys())
    for name in differ:
        print(f"differs: {name}")
    for name in only_old:
        print(f"only in {old}: {name}")
    for name in only_new:
        print(f"only in {new}: {name}")
    same = len(before.keys() & after.keys()) - len(differ)
    print(f"{same} files identical, {len(differ)} differ, {len(only_old) + len(only_new)} on one side only")
    return 1 if differ or only_old or only_new else 0


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    sys.exit(main(Path(sys.argv[1]), Path(sys.argv[2])))
