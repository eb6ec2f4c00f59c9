"""`make demo` (`ao demo`) end to end, as a newcomer runs it: every step reports ok, the
repository it leaves behind (`--dir`) holds what each step promised, and the audit
ledger of that repository verifies."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path


def test_ao_demo_runs_every_step(tmp_path: Path) -> None:
    work = tmp_path / "demo"
    env = {**os.environ, "HOME": str(tmp_path / "home"), "NO_COLOR": "1", "COLUMNS": "100"}
    proc = subprocess.run([sys.executable, "-m", "agentops_os", "demo", "--dir", str(work)], env=env,
                          capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-2000:]
    summary = proc.stdout.split("== Summary ==", 1)[1]
    steps = [line for line in summary.splitlines() if line.strip().startswith(("ok", "FAIL", "fail"))]
    assert len(steps) >= 8 and all(line.strip().startswith("ok") for line in steps), summary
    repo = next(p.parent for p in work.rglob(".git") if (p.parent / ".agents").is_dir())
    agents = repo / ".agents"
    assert (agents / "CONSTITUTION.md").is_file()
    assert list((agents / "handoffs").glob("*.md")), "the context step writes a handoff"
    assert list((agents / "learnings").glob("*.md")), "the knowledge step reviews learnings in"
    assert list((agents / "audit").glob("*.jsonl")), "the safety step records a denial"
    verified = subprocess.run([sys.executable, "-m", "agentops_os", "audit", "verify", "--json"], cwd=repo,
                              env=env, capture_output=True, text=True)
    assert verified.returncode == 0 and json.loads(verified.stdout)["ok"], verified.stdout + verified.stderr
    branches = subprocess.run(["git", "branch", "--list", "ao/rpi-*"], cwd=repo, capture_output=True,
                              text=True).stdout
    assert branches.strip(), "the rpi step leaves its branch for review"
