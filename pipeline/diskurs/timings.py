"""How long a stage took and how much memory it needed, kept apart from its results.

Timings differ from run to run, so they never enter the tables or reports/metrics.json, whose
bytes must be the same for the same inputs. Each stage writes reports/timings/<stage>.json, which
`dvc metrics show` lists (dvc.yaml names them as metrics of no stage, so dvc.lock never records
them).
"""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from diskurs.io import atomic_open

try:
    import resource
except ImportError:  # Windows has no getrusage; the timings then leave out memory.
    resource = None


def peak_memory_mb() -> float | None:
    """Largest resident set of this process or of any worker process it waited for, in MB."""
    if resource is None:
        return None
    peak = max(resource.getrusage(who).ru_maxrss for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN))
    # ru_maxrss is in kilobytes on Linux and in bytes on macOS.
    return round(peak / (1 << 20 if sys.platform == "darwin" else 1 << 10), 1)


def cpu_seconds() -> float:
    if resource is None:
        return time.process_time()
    return sum(
        usage.ru_utime + usage.ru_stime
        for usage in (resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN))
    )


@contextmanager
def timed(stage: str, path: Path) -> Iterator[None]:
    """Write the stage's wall and CPU seconds and peak memory to ``path`` when it ends without error."""
    wall, cpu = time.perf_counter(), cpu_seconds()
    yield
    timings = {
        "stage": stage,
        "seconds": round(time.perf_counter() - wall, 2),
        "cpu_seconds": round(cpu_seconds() - cpu, 2),
        "peak_memory_mb": peak_memory_mb(),
    }
    with atomic_open(path) as handle:
        handle.write(json.dumps(timings, indent=2) + "\n")
