"""The quickstart, executed start to finish as a newcomer would, in the repository its
step 0 tells them to make, with HOME a temp directory (tests/conftest.py)."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

from docs_site_helpers import SITE, examples, fresh_repo, run_page

from conftest import git

QUICKSTART = SITE / "quickstart.md"


def ao_json(repo: Path, *args: str) -> object:
    proc = subprocess.run([sys.executable, "-m", "agentops_os", *args, "--json"], cwd=repo,
                          capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


def test_quickstart_start_to_finish(tmp_path: Path) -> None:
    repo = fresh_repo(tmp_path)
    ran = run_page(QUICKSTART, repo)
    assert len(ran) >= 25

    # Step 2: the commit that got in documents its context.
    message = git(repo, "log", "-1", "--format=%B", "--grep=Set up AgentOps")
    for part in ("Context:", "Solution:", "Learning:", "Impact:"):
        assert part in message
    # Step 3: the four sample sessions are recorded, one summary file each.
    assert len(list((repo / ".agents" / "sessions").glob("*.json"))) == 4
    # Step 5: the gate failed once and passed twice, and the ledger says so.
    log = subprocess.run([sys.executable, "-m", "agentops_os", "audit", "log", "--kind", "gate"], cwd=repo,
                         capture_output=True, text=True).stdout
    assert log.count("gate quick passed") == 2 and log.count("gate quick FAILED") == 1, log
    # Step 6 and 7: a learning and a handoff on disk, as plain text.
    assert len(list((repo / ".agents" / "learnings").glob("l-*.md"))) == 1
    assert len(list((repo / ".agents" / "handoffs").glob("*.md"))) == 1
    # Step 9: the router's pick, asked independently of the page's expected text.
    routed = ao_json(repo, "route", "write unit tests for the discount calculation")
    assert isinstance(routed, dict) and routed["agent"] == "test-writer"
    abstained = ao_json(repo, "route", "suggest a good novel for my holiday")
    assert isinstance(abstained, dict) and abstained["abstained"] is True


def test_quickstart_stays_short() -> None:
    # A proxy for "under 30 minutes": few steps, few commands, nothing that waits on a model.
    text = QUICKSTART.read_text(encoding="utf-8")
    commands = examples(text)
    assert len(commands) <= 40, len(commands)
    prose = re.sub(r"^```.*?^```", "", text, flags=re.MULTILINE | re.DOTALL)
    assert len([line for line in prose.splitlines() if line.startswith("## ")]) <= 11
    assert "30 minutes" in text.splitlines()[0]
    assert not any("--runtime claude" in c.command or "--runtime codex" in c.command for c in commands)
