"""Workshops 00-03: every console block runs in order, and each workshop's checkpoints hold.

The page's own expected output is checked by run_page; the checks below ask `ao` again,
independently of what the page shows, so a checkpoint cannot be weakened by trimming its
expected lines.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml
from docs_site_helpers import SITE, file_blocks, fresh_repo, run_page

from conftest import git

WORKSHOPS = SITE / "workshops"
_CHECKPOINT = re.compile(r"^### Checkpoint (\d+): ([^\n]+)\n\n```console\n(.*?)^```",
                         re.MULTILINE | re.DOTALL)


def ao(repo: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "agentops_os", *args], cwd=repo, capture_output=True,
                          text=True)


def ao_json(repo: Path, *args: str) -> dict:
    proc = ao(repo, *args, "--json")
    assert proc.stdout, proc.stderr
    return json.loads(proc.stdout)


def check_00(repo: Path) -> None:
    assert ao(repo, "doctor").returncode == 0
    assert "billing schema" in (repo / ".agents" / "CONSTITUTION.md").read_text()
    message = git(repo, "log", "-1", "--format=%B")
    check = subprocess.run([sys.executable, "-m", "agentops_os", "commit", "check", "-"], cwd=repo,
                           input=message, capture_output=True, text=True)
    assert check.returncode == 0, check.stdout + check.stderr
    assert git(repo, "status", "--short") == ""


def check_01(repo: Path) -> None:
    assert ao(repo, "agents", "lint").returncode == 0
    assert ao_json(repo, "route", "add the new export flag to the changelog")["agent"] == "changelog-writer"
    ci_task = "the GitHub Actions build fails on the lint step"
    assert ao_json(repo, "route", ci_task)["agent"] == "ci-pipeline-engineer"
    assert ao_json(repo, "route", "suggest a good novel for my holiday")["abstained"] is True
    listed = {a["name"] for a in ao_json(repo, "agents", "list", "--kind", "agent")["entries"]}
    assert {"changelog-writer", "security-auditor", "reviewer"} <= listed and "helper" not in listed


def check_02(repo: Path) -> None:
    assert ao(repo, "gate", "run", "ci").returncode == 0
    log = ao(repo, "audit", "log", "--kind", "gate").stdout
    assert "gate ci FAILED" in log and "gate ci passed" in log and "gate quick FAILED" in log
    assert ao(repo, "audit", "verify").returncode == 0
    hook = (repo / ".git" / "hooks" / "pre-commit").read_text()
    assert "ao gate run quick --changed" in hook
    subjects = git(repo, "log", "--format=%s").splitlines()
    assert subjects[:2] == ["Add refunds", "Add the shop module"], subjects
    assert "Tweak" not in subjects  # the pre-commit gate stopped it
    assert "DEBUG" not in (repo / "shop.py").read_text()


def check_03(repo: Path) -> None:
    state = ao_json(repo, "rpi", "status")
    assert state["status"] == "done"
    assert all(phase["status"] == "done" for phase in state["phases"].values()), state["phases"]
    assert state["attempts"]["implement"] == 2  # validation sent the first attempt back
    assert state["phases"]["validate"]["gate"]["passed"] is True
    swarm = ao_json(repo, "swarm", "report")
    assert swarm["status"] == "done" and {t["id"]: t["status"] for t in swarm["tasks"]} == {
        "money": "passed", "readme": "passed"}
    assert (repo / "money.py").is_file() and "discount" in (repo / "shop.py").read_text()
    assert git(repo, "worktree", "list").count("\n") == 1  # no worktree left behind
    tests = subprocess.run([sys.executable, "-m", "unittest", "-q"], cwd=repo, capture_output=True, text=True)
    assert tests.returncode == 0, tests.stderr


CHECKS: dict[str, Callable[[Path], None]] = {
    "00-setup.md": check_00,
    "01-focused-agents-and-routing.md": check_01,
    "02-gates-and-the-commit-law.md": check_02,
    "03-rpi-and-swarm.md": check_03,
}


def test_there_are_four_workshops() -> None:
    assert sorted(p.name for p in WORKSHOPS.glob("*.md")) == sorted(CHECKS)


@pytest.mark.parametrize("name", sorted(CHECKS))
def test_workshop(name: str, tmp_path: Path) -> None:
    page = WORKSHOPS / name
    text = page.read_text(encoding="utf-8")
    checkpoints = _CHECKPOINT.findall(text)
    assert len(checkpoints) >= 3, f"{name}: fewer than 3 checkpoints"
    assert [int(n) for n, _, _ in checkpoints] == list(range(1, len(checkpoints) + 1)), f"{name}: numbering"
    for number, title, block in checkpoints:
        # A checkpoint is a claim about output: its block must expect some.
        assert any(line and not line.startswith("$ ") and line != "..." for line in block.splitlines()), (
            f"{name}: checkpoint {number} ({title}) expects no output")
    for _, file_name, content in file_blocks(text):
        if file_name.endswith((".yaml", ".yml")):
            yaml.safe_load(content)  # what the reader saves is valid YAML
    repo = fresh_repo(tmp_path)
    run_page(page, repo)
    for _, file_name, content in file_blocks(text):
        assert (repo / file_name).read_text(encoding="utf-8") == content
    CHECKS[name](repo)
