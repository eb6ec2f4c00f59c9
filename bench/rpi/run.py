"""bench/rpi: ao's own overhead per phase of `ao rpi` with the scripted runtime.

Times the real command (`ao rpi GOAL --runtime scripted --approve auto`) end to end in a
temporary repository with a few hundred files and some learnings, and in the same run
the runtime's own time: every agent call's duration as the runtime measured it (spawn
to exit of the scripted agent process). Overhead = all time - the runtime's; reported per
phase (7 phases) and as a ratio to the runtime's time. Target: <= 300 ms per phase.
No gate checks are configured, so validate measures ao, not a test suite.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

from bench.common import ao_command, compile_package, write_results

TARGET_PER_PHASE_S = 0.300
PHASES = 7
SCRIPT = {"phases": {
    "research": [{"turns": [{"tools": [{"read": "src/mod_0.py"}]}],
                  "result": "mod_0 defines f0 in src/mod_0.py."}],
    "plan": [{"result": "## Steps\n1. Edit f0\n## Files in scope\n- src/mod_0.py\n## Tests to add\n- none\n"
                        "## Checklist\n- [ ] done\n"}],
    "implement": [{"turns": [{"tools": [{"edit": "src/mod_0.py", "old": "return 0", "new": "return 1"}]}],
                   "result": "Changed f0.\nLearning: small edits keep validation quick."}],
}}


def make_repo(root: Path, files: int, env: dict[str, str]) -> None:
    def git(*args: str) -> None:
        subprocess.run(["git", *args], cwd=root, env=env, check=True, capture_output=True)

    git("init", "-q", "-b", "main")
    (root / "src").mkdir()
    for i in range(files):
        (root / "src" / f"mod_{i}.py").write_text(f"def f{i}():\n    return 0\n")
    learnings = root / ".agents" / "learnings"
    learnings.mkdir(parents=True)
    for i in range(200):
        (learnings / f"l{i:04d}.md").write_text(f"---\nschema_version: 1\ntitle: Learning {i} about mod_{i}\n"
                                                f"tags: [mod]\n---\nEdit mod_{i} with care.\n")
    subprocess.run([*ao_command(), "init"], cwd=root, env=env, check=True, capture_output=True)
    git("add", "-A")
    git("commit", "-q", "--no-verify", "-m", "initial")


def one_run(root: Path, script: Path, env: dict[str, str]) -> tuple[float, float, int]:
    started = time.perf_counter()
    proc = subprocess.run([*ao_command(), "rpi", "Change f0 to return 1", "--runtime", "scripted",
                           "--approve", "auto", "--script", str(script), "--json"],
                          cwd=root, env=env, capture_output=True, text=True)
    wall = time.perf_counter() - started
    if proc.returncode != 0:
        raise SystemExit(f"bench rpi: the run failed:\n{proc.stderr}")
    state = json.loads(proc.stdout)
    runtime = sum(float(c["duration_s"]) for c in state["calls"])
    return wall, runtime, len(state["calls"])


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m bench rpi")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--files", type=int, default=500)
    args, _ = parser.parse_known_args()
    compile_package()
    with tempfile.TemporaryDirectory(prefix="ao-bench-rpi-") as tmp:
        base = Path(tmp)
        home = base / "home"
        home.mkdir()
        env = {**os.environ, "HOME": str(home), "GIT_CONFIG_NOSYSTEM": "1",
               "GIT_AUTHOR_NAME": "Bench", "GIT_AUTHOR_EMAIL": "b@example.com",
               "GIT_COMMITTER_NAME": "Bench", "GIT_COMMITTER_EMAIL": "b@example.com"}
        env.pop("CLAUDE_CONFIG_DIR", None)
        script = base / "script.json"
        script.write_text(json.dumps(SCRIPT))
        root = base / "repo"
        root.mkdir()
        make_repo(root, args.files, env)
        one_run(root, script, env)  # warm: the index, the routing model, the page cache
        samples = [one_run(root, script, env) for _ in range(args.runs)]
    walls = [w for w, _, _ in samples]
    runtimes = [r for _, r, _ in samples]
    overheads = [w - r for w, r, _ in samples]
    per_phase = statistics.median(overheads) / PHASES
    ratio = statistics.median(overheads) / statistics.median(runtimes)
    print(f"ao rpi, scripted runtime, {args.files} files, {args.runs} runs (median):")
    print(f"  whole run          {statistics.median(walls):.3f} s  "
          f"(min {min(walls):.3f}, max {max(walls):.3f})")
    print(f"  runtime's own time {statistics.median(runtimes):.3f} s  ({samples[0][2]} agent calls)")
    print(f"  ao overhead        {statistics.median(overheads):.3f} s = {per_phase * 1000:.0f} ms per phase "
          f"over {PHASES} phases (target <= {TARGET_PER_PHASE_S * 1000:.0f} ms)")
    print(f"  overhead / runtime {ratio:.2f}x")
    ok = per_phase <= TARGET_PER_PHASE_S
    print("  " + ("OK" if ok else "MISSED"))
    write_results("rpi", {"runs": args.runs, "files": args.files, "wall_s": walls, "runtime_s": runtimes,
                          "overhead_s": overheads, "overhead_per_phase_s": round(per_phase, 4),
                          "overhead_to_runtime_ratio": round(ratio, 3),
                          "target_per_phase_s": TARGET_PER_PHASE_S, "ok": ok})
    return 0 if ok else 1
