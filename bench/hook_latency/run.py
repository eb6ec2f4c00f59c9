"""Hook latency: `ao hook <event>` against a bare start of the same interpreter.

Claude Code runs `ao hook pre-tool-use` before every tool call, so its start-up is paid
hundreds of times per session. Target (DESIGN §3.3): median wall time <= 2.0x the median
of `sys.executable -c pass`, both measured in this run, interleaved so that load on a
shared machine hits both alike. The real installed `ao` script is timed (not
`python -m`), with Claude Code's payload shapes on stdin, in a real git repository.

    python -m bench hook_latency [--runs N] [--quick]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.common import ao_command, compile_package, write_results

TARGET = 2.0


def payloads(repo: Path) -> dict[str, dict[str, object]]:
    common = {"session_id": "0b8f7c1e-bench", "cwd": str(repo), "permission_mode": "default",
              "transcript_path": str(repo / "transcript.jsonl")}
    return {
        "pre-tool-use": {**common, "hook_event_name": "PreToolUse", "tool_name": "Bash",
                         "tool_input": {"command": "pytest -q tests/test_orders.py",
                                        "description": "Run the order tests"}},
        "session-start": {**common, "hook_event_name": "SessionStart", "source": "startup"},
        "user-prompt-submit": {**common, "hook_event_name": "UserPromptSubmit",
                               "prompt": "Fix the rounding bug in shop/orders.py total()"},
    }


def find_ao() -> str:
    command = ao_command()
    if len(command) == 1:
        return command[0]
    found = shutil.which("ao")  # `python -m` would time runpy, not the hook path
    if not found:
        raise SystemExit("bench hook_latency: no installed `ao` found (pip install -e .)")
    return found


def timed(args: list[str], stdin: bytes, cwd: Path, env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run(args, input=stdin, cwd=cwd, env=env, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL, check=False)
    return time.perf_counter() - start


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench hook_latency")
    parser.add_argument("--runs", type=int, default=40, help="runs per command (>= 20)")
    parser.add_argument("--quick", action="store_true", help="20 runs each")
    options = parser.parse_args(argv if argv is not None else [])
    runs = 20 if options.quick else max(20, options.runs)
    ao = find_ao()
    compile_package()
    with tempfile.TemporaryDirectory(prefix="ao-bench-hook-") as tmp:
        repo = Path(tmp) / "repo"
        repo.mkdir()
        subprocess.run(["git", "init", "-q", str(repo)], check=True)
        env = {**os.environ, "HOME": tmp}
        inputs = {event: json.dumps(data).encode() for event, data in payloads(repo).items()}
        bare = [sys.executable, "-c", "pass"]
        samples: dict[str, list[float]] = {"bare": [], **{event: [] for event in inputs}}
        for event, data in inputs.items():  # warm the file system cache and .pyc files
            timed([ao, "hook", event], data, repo, env)
        for _ in range(runs):
            samples["bare"].append(timed(bare, b"", repo, env))
            for event, data in inputs.items():
                samples[event].append(timed([ao, "hook", event], data, repo, env))
    base = statistics.median(samples["bare"])
    results: dict[str, object] = {"runs": runs, "interpreter": sys.executable, "ao": ao,
                                  "target_ratio": TARGET, "bare_median_ms": round(base * 1000, 2)}
    print(f"interpreter: {sys.executable}\nao: {ao}\nruns: {runs} each, interleaved")
    print(f"{'command':32} {'median ms':>10} {'ratio':>7}  target <= {TARGET}")
    print(f"{'python -c pass':32} {base * 1000:10.1f} {1.0:7.2f}")
    status = 0
    for event in inputs:
        median = statistics.median(samples[event])
        ratio = median / base
        met = ratio <= TARGET
        if event == "pre-tool-use" and not met:
            status = 1
        print(f"{'ao hook ' + event:32} {median * 1000:10.1f} {ratio:7.2f}  {'met' if met else 'MISSED'}")
        results[event] = {"median_ms": round(median * 1000, 2), "ratio": round(ratio, 3), "met": met}
    write_results("hook_latency", results)
    return status


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
