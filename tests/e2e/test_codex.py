"""Codex itself (the npm CLI) after `ao init`: its hooks are ao's, trusted explicitly
through Codex's own app-server, and its rollouts are ingested with cached input counted
once. What the model receives is read from the scripted server's recording."""

from __future__ import annotations

import json
from typing import Any

from tests.e2e.conftest import Host
from tests.e2e.model_server import ModelServer, Turn


def codex(host: Host, prompt: str, *extra: str) -> list[dict[str, Any]]:
    proc = host.run("codex", "exec", "--json", "--skip-git-repo-check", *extra, prompt)
    assert proc.returncode == 0, proc.stderr[-2000:] + proc.stdout[-2000:]
    return [json.loads(line) for line in proc.stdout.splitlines() if line.startswith("{")]


def outputs(body: dict[str, Any]) -> dict[str, str]:
    """call_id -> the tool output the client sent back to the model."""
    return {
        item["call_id"]: str(item.get("output"))
        for item in body.get("input", [])
        if isinstance(item, dict) and item.get("type") == "function_call_output"
    }


def test_trusted_ao_hooks_make_the_guard_deny_a_dangerous_exec_command(host: Host) -> None:
    turns = [
        Turn(text="Publishing.", tools=[("exec_command", {"cmd": "git push --force origin main"})]),
        Turn(text="Listing.", tools=[("exec_command", {"cmd": "ls"})]),
    ]
    with ModelServer(turns) as server:
        host.codex_config(server)
        before = host.ao("init")
        assert "not trusted by Codex" in before.stderr + before.stdout
        trusted = host.ao("init", "--trust-codex", "--json")
        assert trusted.returncode == 0, trusted.stderr
        report = json.loads(trusted.stdout)["codex_trust"]
        assert report["trusted"] is True and report["hooks"]
        assert {h["event"] for h in report["hooks"]} >= {"preToolUse", "sessionStart", "stop"}
        doctor = host.ao("doctor", "--json")
        checks = {c["name"]: c for c in json.loads(doctor.stdout)["checks"]}
        assert checks["codex hook trust"]["ok"] is True
        codex(host, "publish the branch")  # no bypass flag: Codex runs only trusted hooks
    agent = server.agent_requests()
    denied = outputs(agent[1].body)
    assert any("AgentOps guard [force-push]" in text for text in denied.values()), denied
    listed = outputs(agent[2].body)
    assert any("keep.txt" in text for text in listed.values()), listed
    audit = "".join(p.read_text() for p in (host.repo / ".agents/audit").glob("*.jsonl"))
    assert '"kind":"guard.deny"' in audit and "git push --force origin main" in audit


def test_a_changed_hook_definition_is_named_as_no_longer_trusted(host: Host) -> None:
    with ModelServer([]) as server:
        host.codex_config(server)
        assert host.ao("init", "--trust-codex").returncode == 0
        path = host.repo / ".codex/hooks.json"
        data = json.loads(path.read_text())
        data["hooks"]["PreToolUse"][0]["hooks"][0]["timeout"] = 30  # an edit to ao's definition
        path.write_text(json.dumps(data, indent=2))
        doctor = host.ao("doctor", "--json")
    checks = {c["name"]: c for c in json.loads(doctor.stdout)["checks"]}
    trust = checks["codex hook trust"]
    assert doctor.returncode == 1 and trust["ok"] is False
    assert "changed since you trusted them" in trust["detail"] and "preToolUse" in trust["detail"]
    assert "ao init --trust-codex" in trust["fix"]


def test_an_untrusted_project_is_reported_not_trusted_for_the_user(host: Host) -> None:
    with ModelServer([]) as server:
        host.codex_config(server, trust_project=False)
        proc = host.ao("init", "--trust-codex", "--json")
    assert proc.returncode == 0, proc.stderr
    report = json.loads(proc.stdout)["codex_trust"]
    assert report["trusted"] is False and "project trusted in Codex" in report["detail"]
    config = (host.home / ".codex/config.toml").read_text()
    assert "trust_level" not in config  # the project's trust stays the user's decision


def test_the_rollout_is_ingested_with_cached_input_counted_once(host: Host) -> None:
    turns = [
        Turn(
            text="Looking.",
            tools=[("exec_command", {"cmd": "ls"})],
            input_tokens=5000,
            output_tokens=80,
            cache_read=3500,
        ),
        Turn(
            text="Again.",
            tools=[("exec_command", {"cmd": "cat keep.txt"})],
            input_tokens=6200,
            output_tokens=90,
            cache_read=4900,
        ),
    ]
    with ModelServer(turns, final_text="Seen it.") as server:
        host.codex_config(server)
        events = codex(host, "look around", "--dangerously-bypass-hook-trust")
    turn = [e for e in events if e["type"] == "turn.completed"][-1]["usage"]
    reported = server.reported()
    assert (
        turn["input_tokens"] == reported["input_tokens"]
        and turn["cached_input_tokens"] == reported["cached_input_tokens"]
    )
    assert host.ao("sessions", "ingest").returncode == 0
    usage = host.ao("usage", "daily", "--json", "--agent", "codex")
    totals = json.loads(usage.stdout)["totals"]
    # Codex's input_tokens include the cached part: ao counts it once, as cache reads.
    assert totals["cache_read_tokens"] == reported["cached_input_tokens"]
    assert totals["input_tokens"] == reported["input_tokens"] - reported["cached_input_tokens"]
    assert totals["output_tokens"] == reported["output_tokens"]


def test_a_forked_session_counts_the_parents_turns_once(host: Host) -> None:
    """`codex exec fork` writes a second rollout whose running token total starts at the
    parent's: every request the server answered is counted exactly once, in its session."""
    turns = [
        Turn(text="Looking.", tools=[("exec_command", {"cmd": "ls"})],
             input_tokens=5000, output_tokens=80, cache_read=3500),
        Turn(text="Seen.", input_tokens=6000, output_tokens=40, cache_read=4000),
        Turn(text="Forked look.", tools=[("exec_command", {"cmd": "cat keep.txt"})],
             input_tokens=7000, output_tokens=60, cache_read=5500),
        Turn(text="Forked done.", input_tokens=7600, output_tokens=30, cache_read=6000),
    ]
    with ModelServer(turns) as server:
        host.codex_config(server)
        first = codex(host, "look around", "--dangerously-bypass-hook-trust")
        thread = next(e["thread_id"] for e in first if e["type"] == "thread.started")
        proc = host.run("codex", "exec", "--json", "--skip-git-repo-check",
                        "--dangerously-bypass-hook-trust", "fork", thread, "now read keep.txt")
        assert proc.returncode == 0, proc.stderr[-2000:]
        assert '"turn.completed"' in proc.stdout
    rollouts = sorted((host.home / ".codex/sessions").rglob("*.jsonl"))
    assert len(rollouts) == 2
    reported = server.reported()
    ingested = host.ao("sessions", "ingest", "--json")
    assert ingested.returncode == 0, ingested.stderr
    assert json.loads(ingested.stdout)["unknown_by_type"] == {}  # every record type is known
    usage = json.loads(host.ao("usage", "session", "--json", "--agent", "codex").stdout)
    totals = usage["totals"]
    assert totals["cache_read_tokens"] == reported["cached_input_tokens"]
    assert totals["input_tokens"] == reported["input_tokens"] - reported["cached_input_tokens"]
    assert totals["output_tokens"] == reported["output_tokens"]
    assert usage["cost_partial"] is False and usage["unpriced_models"] == []
    forked = [row for row in usage["session"] if row["session_id"] != thread]
    assert len(forked) == 1 and forked[0]["output_tokens"] == 60 + 30  # its own turns only
