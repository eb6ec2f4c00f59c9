"""Shared benchmark helpers: timing, JSON results, the bare-interpreter baseline."""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

RESULTS = Path(__file__).resolve().parent / "results"


def time_command(args: list[str], runs: int, *, input: bytes | None = None,
                 env: dict[str, str] | None = None, cwd: str | None = None) -> list[float]:
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(args, input=input, env=env, cwd=cwd, stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL, check=False)
        samples.append(time.perf_counter() - start)
    return samples


def bare_interpreter(runs: int = 20) -> float:
    """Median start-up of this very interpreter (not a version-manager shim)."""
    return statistics.median(time_command([sys.executable, "-c", "pass"], runs))


def write_results(name: str, data: dict[str, Any]) -> Path:
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / f"{name}.json"
    path.write_text(json.dumps(data, indent=2, sort_keys=True) + "\n")
    print(f"results: {path}")
    return path


def compile_package() -> None:
    """Byte-compile agentops_os, as installing a wheel does.

    Latency benchmarks must time the installed state: with PYTHONDONTWRITEBYTECODE set
    (as in some CI and sandbox environments) an editable checkout would otherwise
    recompile every module on every start, and the benchmark would time the compiler.
    """
    import compileall

    import agentops_os

    compileall.compile_dir(str(Path(agentops_os.__file__).parent), quiet=1)


def ao_command() -> list[str]:
    """`ao` as users run it: the installed script beside this interpreter (no `-m`, whose
    runpy start-up alone costs ~8 ms), or `python -m agentops_os` when not installed."""
    script = Path(sys.executable).parent / "ao"
    return [str(script)] if script.exists() else [sys.executable, "-m", "agentops_os"]
