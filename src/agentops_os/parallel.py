"""How many workers a parallel job may use (cold ingest, git history indexing)."""

from __future__ import annotations

import os


def usable_cpus() -> int:
    """CPUs this process may run on (a container's or taskset's limit, not the machine's)."""
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def worker_count(setting: int, cap: int) -> int:
    """`setting` workers when it is above 0; for 0, one per usable CPU, at most `cap`."""
    if setting > 0:
        return setting
    return min(usable_cpus(), cap)
