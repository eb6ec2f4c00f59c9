"""Ledger tamper detection: edit, delete, reorder, truncate are each caught and located."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from agentops_os.audit.ledger import append, iter_records
from agentops_os.audit.verify import verify


def fill(repo: Path, n: int = 4) -> Path:
    for i in range(n):
        data = {"gate": "quick", "check": f"c{i}", "passed": i % 2 == 0}
        append(repo, "gate.verdict", data, writer="alice@box")
    return repo / ".agents" / "audit" / "alice@box.jsonl"


def lines(path: Path) -> list[str]:
    return path.read_text().splitlines(keepends=True)


def test_intact_chain_verifies(repo: Path) -> None:
    path = fill(repo)
    result = verify(repo)
    assert result["ok"] and result["chains"][0]["records"] == 4
    records = [json.loads(line) for line in lines(path)]
    assert records[1]["prev"] == records[0]["hash"]
    assert [r["seq"] for r in iter_records(repo)] == [1, 2, 3, 4]


def test_edit_is_detected(repo: Path) -> None:
    path = fill(repo)
    text = lines(path)
    text[2] = text[2].replace('"passed":true', '"passed":false')
    path.write_text("".join(text))
    result = verify(repo)
    assert not result["ok"] and result["chains"][0]["line"] == 3
    assert "edited" in result["chains"][0]["problem"]


def test_delete_is_detected(repo: Path) -> None:
    path = fill(repo)
    text = lines(path)
    del text[1]
    path.write_text("".join(text))
    chain = verify(repo)["chains"][0]
    assert not chain["ok"] and chain["line"] == 2


def test_reorder_is_detected(repo: Path) -> None:
    path = fill(repo)
    text = lines(path)
    text[1], text[2] = text[2], text[1]
    path.write_text("".join(text))
    chain = verify(repo)["chains"][0]
    assert not chain["ok"] and chain["line"] == 2


def test_truncate_is_detected_by_head(repo: Path) -> None:
    path = fill(repo)
    path.write_text("".join(lines(path)[:2]))
    chain = verify(repo)["chains"][0]
    assert not chain["ok"] and "first missing is seq 3" in chain["problem"]


def test_truncate_of_chain_and_head_is_detected_by_git(repo: Path) -> None:
    path = fill(repo)
    subprocess.run(["git", "add", "-A"], cwd=repo, check=True)
    subprocess.run(["git", "commit", "-qm", "ledger"], cwd=repo, check=True)
    kept = lines(path)[:2]
    path.write_text("".join(kept))
    head = json.loads(kept[-1])
    (path.parent / "alice@box.head.json").write_text(json.dumps({"seq": head["seq"], "hash": head["hash"]}))
    chain = verify(repo)["chains"][0]
    assert not chain["ok"] and chain["line"] == 3 and "truncated" in chain["problem"]


def test_writers_have_separate_chains(repo: Path) -> None:
    append(repo, "approval.grant", {"id": "a1"}, writer="alice@box")
    append(repo, "approval.grant", {"id": "b1"}, writer="bob@laptop")
    result = verify(repo)
    assert result["ok"] and sorted(c["writer"] for c in result["chains"]) == ["alice@box", "bob@laptop"]


def test_secrets_are_redacted_before_hashing(repo: Path) -> None:
    append(repo, "guard.deny", {"subject": "export TOKEN=ghp_" + "a" * 36}, writer="w")
    assert "ghp_" not in (repo / ".agents" / "audit" / "w.jsonl").read_text()
    assert verify(repo)["ok"]


@pytest.mark.parametrize("args,code", [(["audit", "verify"], 0), (["audit", "log", "--kind", "gate"], 0)])
def test_cli(repo: Path, args: list[str], code: int) -> None:
    fill(repo, 2)
    proc = subprocess.run([sys.executable, "-m", "agentops_os", *args], cwd=repo, capture_output=True,
                          text=True)
    assert proc.returncode == code, proc.stderr
    if args[1] == "log":
        assert "gate.verdict" in proc.stdout


def test_cli_verify_fails_on_tamper(repo: Path) -> None:
    path = fill(repo, 3)
    path.write_text(path.read_text().replace('"check":"c1"', '"check":"cX"'))
    proc = subprocess.run([sys.executable, "-m", "agentops_os", "audit", "verify"], cwd=repo,
                          capture_output=True, text=True)
    assert proc.returncode == 1 and "alice@box.jsonl:2" in proc.stderr
