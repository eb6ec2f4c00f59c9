"""What ao served: learnings served by `ao prime` and `ao search`, and `ao route` decisions,
as append-only per-writer monthly JSON Lines under `.agents/runs/` (knowledge/retrievals.py)."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path
from typing import Any

import pytest

from agentops_os.knowledge import retrievals
from conftest import git, run_ao

WRITER = "dev@laptop"


@pytest.fixture
def served(repo: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, list[str]]:
    monkeypatch.setenv("AO_AUDIT_WRITER", WRITER)
    assert run_ao("init", cwd=repo).returncode == 0
    ids = []
    for title in ("Retry flaky network tests with backoff", "Pin the redis image in CI",
                  "Flaky checkout tests need a frozen clock"):
        added = run_ao("learn", "add", title, "--json", cwd=repo)
        assert added.returncode == 0, added.stderr
        ids.append(json.loads(added.stdout)["id"])
    return repo, ids


def records(repo: Path, kind: str) -> list[dict[str, Any]]:
    month = time.strftime("%Y-%m", time.gmtime())
    path = repo / ".agents" / kind / f"{WRITER}-{month}.jsonl"
    assert sorted(p.name for p in path.parent.iterdir()) == [path.name]  # one file per writer and month
    return [json.loads(line) for line in path.read_text().splitlines()]


def test_search_and_prime_record_the_learnings_they_served(served: tuple[Path, list[str]]) -> None:
    repo, ids = served
    found = json.loads(run_ao("search", "flaky", "--json", cwd=repo).stdout)
    hit_ids = [h["id"] for h in found["hits"] if h["type"] == "learning"]
    assert set(hit_ids) == {ids[0], ids[2]}
    packet = json.loads(run_ao("prime", "fix the flaky checkout tests", "--json", cwd=repo).stdout)
    in_packet = [i["source"].rsplit("/", 1)[-1][:-3] for i in packet["items"] if i["section"] == "learnings"]
    assert in_packet
    assert run_ao("search", "nothing-matches-this", cwd=repo).returncode == 0  # no hits: no line
    lines = records(repo, retrievals.RETRIEVALS)
    assert [(r["by"], r["ids"]) for r in lines] == [("search", hit_ids), ("prime", in_packet)]
    assert all(r["schema_version"] == 1 and r["at"].endswith("Z") for r in lines)
    assert "flaky" not in json.dumps(lines)  # ids, caller and time only: never the query or task


def test_the_session_start_packet_is_not_counted(served: tuple[Path, list[str]]) -> None:
    repo, _ = served
    git(repo, "checkout", "-q", "-b", "retry-flaky-network-tests")  # the packet's guess at the task
    payload = {"session_id": "s-1", "cwd": str(repo), "hook_event_name": "SessionStart", "source": "startup"}
    proc = run_ao("hook", "session-start", cwd=repo, input=json.dumps(payload))
    assert proc.returncode == 0 and "Retry flaky network tests" in proc.stdout
    assert not (repo / ".agents" / retrievals.RETRIEVALS).exists()


def test_route_records_each_decision_and_abstention_without_the_task(
        repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AO_AUDIT_WRITER", WRITER)
    assert run_ao("init", cwd=repo).returncode == 0
    chosen = json.loads(run_ao("route", "review the diff of this branch", "--json", cwd=repo).stdout)
    out_of_scope = run_ao("route", "what is the weather in Lisbon tomorrow", "--json", cwd=repo)
    abstained = json.loads(out_of_scope.stdout)
    assert chosen["agent"] and abstained["abstained"]
    again = run_ao("route", "review the diff of this branch", cwd=repo)
    assert "model rebuilt" not in again.stderr  # decisions are not the router's training data
    lines = records(repo, retrievals.DECISIONS)
    assert [(r["by"], r["agent"], r["abstained"]) for r in lines] == [
        ("route", chosen["agent"], False), ("route", None, True), ("route", chosen["agent"], False)]
    assert lines[0]["confidence"] == round(chosen["matches"][0]["score"], 4) > lines[1]["confidence"]
    assert lines[1]["best"] == abstained["matches"][0]["name"]
    assert lines[0]["runner_up"] == chosen["runner_up"]
    assert lines[0]["task_digest"] == lines[2]["task_digest"] != lines[1]["task_digest"]
    assert "Lisbon" not in json.dumps(lines) and "diff" not in json.dumps(lines)
    assert not (repo / ".agents" / "runs" / "routing").exists()


def test_records_are_redacted_and_say_who_served(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AO_AUDIT_WRITER", WRITER)
    (repo / ".agents" / "learnings").mkdir(parents=True)
    secret = "ghp_" + "A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8"
    retrievals.record_learnings(repo, ["l-1", secret, "l-1"], "search")
    monkeypatch.setenv("AO_CALLER", "mcp")
    retrievals.record_learnings(repo, ["l-2"], "prime")
    monkeypatch.setenv("AO_CALLER", "somebody-else")  # not a known caller: the command's own name
    retrievals.record_learnings(repo, ["l-3"], "prime")
    assert retrievals.record_learnings(repo, [], "prime") is None
    lines = records(repo, retrievals.RETRIEVALS)
    assert secret not in json.dumps(lines) and lines[0]["ids"][0] == "l-1" and len(lines[0]["ids"]) == 2
    assert [r["by"] for r in lines] == ["search", "mcp", "prime"]
    assert [r["ids"] for r in retrievals.load(repo, retrievals.RETRIEVALS, since="2999-01-01")] == []


def test_nothing_is_written_without_agents_dir_and_a_failed_write_only_warns(
        repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    agents = repo / ".claude" / "agents"
    agents.mkdir(parents=True)
    for name, what in (("reviewer", "Reviews a diff or pull request for bugs"),
                       ("implementer", "Implements one planned step with its tests")):
        (agents / f"{name}.md").write_text(f"---\nname: {name}\ndescription: {what}.\n---\n{what}.\n")
    routed = run_ao("route", "review the diff of this branch", cwd=repo)
    assert routed.returncode == 0, routed.stderr
    assert os.listdir(repo / ".agents") == [".index"]  # without `ao init`: only the derived cache
    (repo / ".agents" / "runs").mkdir(parents=True)
    (repo / ".agents" / "runs" / "retrievals").write_text("not a directory\n")
    assert retrievals.record_learnings(repo, ["l-1"], "search") is None
    assert "warning: not recorded in .agents/runs/retrievals/" in capsys.readouterr().err


def test_a_malformed_line_is_reported_not_fatal(repo: Path) -> None:
    directory = repo / ".agents" / retrievals.RETRIEVALS
    directory.mkdir(parents=True)
    (directory / "a@b-2026-11.jsonl").write_text(
        '{"at": "2026-11-02T09:00:00Z", "by": "search", "ids": ["l-1"]}\n{torn\n{"by": "prime"}\n')
    errors: list[str] = []
    assert [r["ids"] for r in retrievals.load(repo, retrievals.RETRIEVALS, errors)] == [["l-1"]]
    assert len(errors) == 2 and "a@b-2026-11.jsonl:2" in errors[0] and "without `at`" in errors[1]
