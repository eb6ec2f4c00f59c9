"""CPU time (user + sys) of child commands: robust when the machine is shared.

Wall time on a loaded 2-core machine measures the neighbours; the CPU a command burns
is close to what it costs on an idle machine. Benchmarks print both.
"""

from __future__ import annotations

import resource
import statistics
import subprocess


def cpu_median(args: list[str], runs: int, *, input: bytes | None = None,
               env: dict[str, str] | None = None, cwd: str | None = None) -> float:
    samples = []
    for _ in range(runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        subprocess.run(args, input=input, env=env, cwd=cwd, stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL, check=False)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        samples.append((after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime))
    return statistics.median(samples)
