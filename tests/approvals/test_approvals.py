"""Approvals are bound to content: editing the file after a grant un-approves it."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from agentops_os.approvals.core import approvals, check, decide, request
from agentops_os.audit.verify import verify
from agentops_os.errors import CheckFailed, FatalError


def test_grant_binds_to_current_content(repo: Path) -> None:
    plan = repo / "PLAN.md"
    plan.write_text("1. migrate\n")
    item = request(repo, "plan", str(plan), by="agent")
    assert check(repo, "plan", str(plan)) == (False, f"PLAN.md: plan approval {item.id} is still pending")
    decide(repo, item.id, True, "lead")
    ok, why = check(repo, "plan", str(plan))
    assert ok and "approved by lead" in why
    plan.write_text("1. migrate\n2. drop old table\n")
    ok, why = check(repo, "plan", str(plan))
    assert not ok and "edited after its plan approval" in why
    plan.write_text("1. migrate\n")  # back to the approved bytes: approved again
    assert check(repo, "plan", str(plan))[0]
    assert check(repo, "deploy", str(plan))[0] is False  # another kind is another approval
    assert verify(repo)["ok"]


def test_grant_refused_when_changed_since_request(repo: Path) -> None:
    plan = repo / "PLAN.md"
    plan.write_text("a\n")
    item = request(repo, "plan", str(plan))
    plan.write_text("b\n")
    with pytest.raises(CheckFailed, match="changed since approval"):
        decide(repo, item.id, True, "lead")


def test_deny_and_bad_input(repo: Path) -> None:
    plan = repo / "PLAN.md"
    plan.write_text("a\n")
    item = request(repo, "plan", str(plan))
    decide(repo, item.id, False, "lead", "too risky")
    assert approvals(repo)[item.id].status == "denied"
    assert not check(repo, "plan", str(plan))[0]
    with pytest.raises(FatalError):
        decide(repo, item.id, True, "")
    with pytest.raises(FatalError):
        request(repo, "Bad Kind", str(plan))
    with pytest.raises(FatalError):
        request(repo, "plan", "/etc/hostname")


def test_forged_grant_is_caught_by_verify(repo: Path) -> None:
    plan = repo / "PLAN.md"
    plan.write_text("a\n")
    item = request(repo, "plan", str(plan))
    ledger = next((repo / ".agents" / "audit").glob("*.jsonl"))
    forged = json.loads(ledger.read_text().splitlines()[0])
    forged.update(kind="approval.grant", by="mallory", seq=2, prev=forged["hash"])
    with ledger.open("a") as handle:
        handle.write(json.dumps(forged) + "\n")
    assert approvals(repo)[item.id].status == "granted"  # the reader alone would be fooled...
    assert not verify(repo)["ok"]  # ...but the chain says the record is forged
    ok, why = check(repo, "plan", str(plan))
    assert not ok and "does not verify" in why


def test_cli(repo: Path) -> None:
    (repo / "PLAN.md").write_text("x\n")

    def ao(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "agentops_os", "approve", *args], cwd=repo,
                              capture_output=True, text=True)

    ident = json.loads(ao("request", "plan", "PLAN.md", "--json").stdout)["id"]
    assert ao("check", "plan", "PLAN.md").returncode == 1
    assert ao("grant", ident, "--by", "lead").returncode == 0
    assert ao("check", "plan", "PLAN.md").returncode == 0
    assert ident in ao("list").stdout
