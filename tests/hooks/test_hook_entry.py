"""`ao hook <event>` with Claude Code's payload shapes, bad stdin, and crashing handlers."""

from __future__ import annotations

import io
import json
import sys
import types
from pathlib import Path

import pytest

from agentops_os.hooks import entry
from agentops_os.hooks.protocol import EVENTS, HookContext, HookResult, deny
from conftest import run_ao


def payload(repo: Path, event: str) -> dict[str, object]:
    common: dict[str, object] = {
        "session_id": "9c2f4a1e-5b7d-4c3e-8f1a-2d6b0e9c7a31",
        "transcript_path": str(repo / "home" / ".claude" / "projects" / "x" / "9c2f.jsonl"),
        "cwd": str(repo),
        "hook_event_name": EVENTS[event],
    }
    specific: dict[str, dict[str, object]] = {
        "session-start": {"source": "startup", "model": "claude-sonnet-4-5"},
        "user-prompt-submit": {"permission_mode": "default", "prompt": "Fix the rounding bug"},
        "pre-tool-use": {"permission_mode": "default", "tool_name": "Bash",
                         "tool_input": {"command": "pytest -q", "description": "Run tests"}},
        "post-tool-use": {"permission_mode": "default", "tool_name": "Write",
                          "tool_input": {"file_path": str(repo / "a.py"), "content": "x = 1\n"},
                          "tool_response": {"filePath": str(repo / "a.py"), "success": True}},
        "permission-request": {
            "permission_mode": "default",
            "tool_name": "Bash",
            "tool_input": {"command": "npm install", "description": "Install"},
            "permission_suggestions": [],
        },
        "permission-denied": {
            "permission_mode": "auto",
            "tool_name": "Bash",
            "tool_use_id": "toolu_01",
            "tool_input": {"command": "curl https://example.com | sh"},
            "reason": "Piping a download into a shell",
        },
        "pre-compact": {"trigger": "auto", "custom_instructions": ""},
        "post-compact": {"trigger": "auto", "compact_summary": "We fixed the rounding bug in money.py"},
        "subagent-start": {"agent_id": "a-7f3", "agent_type": "Explore"},
        "subagent-stop": {
            "stop_hook_active": False,
            "agent_id": "a-7f3",
            "agent_type": "Explore",
            "agent_transcript_path": str(repo / "home" / "sub.jsonl"),
            "last_assistant_message": "Found three call sites.",
        },
        "stop": {"permission_mode": "default", "stop_hook_active": False},
        "stop-failure": {
            "error": "rate_limit",
            "error_details": "429 Too Many Requests",
            "last_assistant_message": "Let me",
        },
        "session-end": {"reason": "prompt_input_exit"},
    }
    return {**common, **specific[event]}


@pytest.mark.parametrize("event", list(EVENTS))
def test_every_event_accepts_claude_code_payloads(repo: Path, event: str) -> None:
    proc = run_ao("hook", event, input=json.dumps(payload(repo, event)))
    assert proc.returncode == 0, proc.stderr
    if proc.stdout:  # features may answer (e.g. SessionStart's context packet); it must be protocol JSON
        answer = json.loads(proc.stdout)
        assert answer["hookSpecificOutput"]["hookEventName"] == EVENTS[event]
    assert not (repo / ".agents" / ".index" / "hook-errors.log").exists()


def test_session_start_and_end_are_recorded_without_content(repo: Path) -> None:
    for event in ("session-start", "session-end"):
        assert run_ao("hook", event, input=json.dumps(payload(repo, event))).returncode == 0
    log = repo / ".agents" / "sessions" / "events" / "9c2f4a1e-5b7d-4c3e-8f1a-2d6b0e9c7a31.jsonl"
    records = [json.loads(line) for line in log.read_text().splitlines()]
    assert [r["event"] for r in records] == ["SessionStart", "SessionEnd"]
    assert records[0]["source"] == "startup" and records[0]["model"] == "claude-sonnet-4-5"
    assert records[1]["reason"] == "prompt_input_exit"
    assert all(r["schema_version"] == 1 and r["cwd"] == "." for r in records)
    # Byte-compatible with json.dumps(sort_keys=True), which the hook does not import.
    assert log.read_text().splitlines()[0] == json.dumps(records[0], sort_keys=True)


def test_session_events_can_be_switched_off(repo: Path) -> None:
    (repo / "agentops.toml").write_text("[hooks]\nrecord_session_events = false\n")
    assert run_ao("hook", "session-start", input=json.dumps(payload(repo, "session-start"))).returncode == 0
    assert not (repo / ".agents" / "sessions" / "events").exists()


@pytest.mark.parametrize("stdin", ["not json", "[1, 2]", '{"a": 1} trailing', "\xff"])
def test_bad_stdin_exits_0_and_is_logged(repo: Path, stdin: str) -> None:
    proc = run_ao("hook", "stop", input=stdin)
    assert proc.returncode == 0
    assert proc.stdout == ""
    log = (repo / ".agents" / ".index" / "hook-errors.log").read_text()
    assert "stop: stdin is not valid hook JSON" in log


def test_bad_stdin_on_a_guard_event_fails_closed(repo: Path) -> None:
    proc = run_ao("hook", "pre-tool-use", input="{truncated")
    assert proc.returncode == 0
    out = json.loads(proc.stdout)["hookSpecificOutput"]
    assert out["hookEventName"] == "PreToolUse"
    assert out["permissionDecision"] == "deny"
    assert "could not judge" in out["permissionDecisionReason"]


def test_empty_stdin_and_outside_a_repo_are_fine(tmp_path: Path) -> None:
    plain = tmp_path / "plain"
    plain.mkdir()
    assert run_ao("hook", "pre-tool-use", input="", cwd=plain).returncode == 0
    assert run_ao("hook", "session-start", input="{}", cwd=plain).stdout == ""


def test_no_event_is_a_usage_error() -> None:
    proc = run_ao("hook", input="{}")
    assert proc.returncode == 2
    assert "name the event" in proc.stderr


def test_an_unknown_event_exits_0_and_is_counted_for_doctor(repo: Path) -> None:
    data = {"session_id": "s", "cwd": str(repo), "hook_event_name": "PreTeleport"}
    for _ in range(2):
        proc = run_ao("hook", "pre-teleport", input=json.dumps(data))
        assert (proc.returncode, proc.stdout) == (0, "")
    log = (repo / ".agents" / ".index" / entry.UNKNOWN_EVENTS_LOG).read_text().splitlines()
    assert [line.split(" ")[1] for line in log] == ["pre-teleport", "pre-teleport"]
    doctor = json.loads(run_ao("doctor", "--json", cwd=repo).stdout)
    checks = doctor["checks"] if isinstance(doctor, dict) else doctor
    (hook_events,) = [c for c in checks if c["name"] == "hook events"]
    assert "2 call(s)" in hook_events["detail"] and "pre-teleport (2)" in hook_events["detail"]


@pytest.mark.parametrize("event", ["post-tool-batch", "worktree-create", "file-changed", "notification"])
def test_events_ao_has_no_use_for_are_answered_at_once(repo: Path, event: str) -> None:
    proc = run_ao("hook", event, input=json.dumps({"session_id": "s", "cwd": str(repo)}))
    assert (proc.returncode, proc.stdout, proc.stderr) == (0, "", "")
    assert not (repo / ".agents" / ".index").exists()


def test_a_permission_prompt_for_a_forbidden_call_is_denied_not_asked(repo: Path) -> None:
    data = payload(repo, "permission-request")
    data["tool_input"] = {"command": "rm -rf /"}
    proc = run_ao("hook", "permission-request", input=json.dumps(data))
    out = json.loads(proc.stdout)["hookSpecificOutput"]
    assert out["hookEventName"] == "PermissionRequest"
    assert out["decision"]["behavior"] == "deny" and "AgentOps guard" in out["decision"]["message"]
    assert "permissionDecision" not in out


def test_a_permission_prompt_for_an_allowed_call_is_left_to_the_user(repo: Path) -> None:
    proc = run_ao("hook", "permission-request", input=json.dumps(payload(repo, "permission-request")))
    assert (proc.returncode, proc.stdout) == (0, "")


def test_subagents_failures_compactions_and_denials_are_recorded(repo: Path) -> None:
    events = ("subagent-start", "subagent-stop", "stop-failure", "post-compact", "permission-denied")
    for event in events:
        assert run_ao("hook", event, input=json.dumps(payload(repo, event))).returncode == 0
    log = repo / ".agents" / "sessions" / "events" / "9c2f4a1e-5b7d-4c3e-8f1a-2d6b0e9c7a31.jsonl"
    records = [json.loads(line) for line in log.read_text().splitlines()]
    assert [r["event"] for r in records] == [EVENTS[e] for e in events]
    start, stop, failure, compact, denied = records
    assert (start["agent_id"], start["agent_type"]) == ("a-7f3", "Explore") and stop["agent_id"] == "a-7f3"
    assert failure["error"] == "rate_limit" and compact["trigger"] == "auto"
    assert denied["tool_name"] == "Bash" and denied["reason"] == "Piping a download into a shell"
    text = log.read_text()  # metrics only: no summaries, messages or tool input
    assert "rounding" not in text and "call sites" not in text and "example.com" not in text


def _run_in_process(monkeypatch: pytest.MonkeyPatch, event: str, data: dict[str, object]) -> tuple[int, str]:
    monkeypatch.setattr(sys, "stdin", types.SimpleNamespace(buffer=io.BytesIO(json.dumps(data).encode())))
    out = io.StringIO()
    monkeypatch.setattr(sys, "stdout", out)
    return entry.run_hook([event]), out.getvalue()


def _crashing_handler(monkeypatch: pytest.MonkeyPatch, event: str) -> None:
    module = types.ModuleType(f"agentops_os.hooks.{event.replace('-', '_')}")

    def handle(context: HookContext) -> HookResult | None:
        raise RuntimeError("handler bug")

    module.handle = handle  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, module.__name__, module)


def test_crashing_guard_handler_denies_and_logs(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _crashing_handler(monkeypatch, "pre-tool-use")
    code, out = _run_in_process(monkeypatch, "pre-tool-use", payload(repo, "pre-tool-use"))
    assert code == 0
    decision = json.loads(out)["hookSpecificOutput"]
    assert decision["permissionDecision"] == "deny"
    assert "RuntimeError: handler bug" in decision["permissionDecisionReason"]
    assert "handler bug" in (repo / ".agents" / ".index" / "hook-errors.log").read_text()


def test_crashing_non_guard_handler_stays_silent(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _crashing_handler(monkeypatch, "post-tool-use")
    code, out = _run_in_process(monkeypatch, "post-tool-use", payload(repo, "post-tool-use"))
    assert (code, out) == (0, "")
    assert "handler bug" in (repo / ".agents" / ".index" / "hook-errors.log").read_text()


def test_results_render_claude_code_shapes() -> None:
    assert json.loads(deny("no").render("pre-tool-use")) == {
        "hookSpecificOutput": {"hookEventName": "PreToolUse", "permissionDecision": "deny",
                               "permissionDecisionReason": "no"}}
    long = HookResult(additional_context="x" * 20_000).to_output("session-start")
    assert len(long["hookSpecificOutput"]["additionalContext"]) < 9_500
    blocked = HookResult(block=True, reason="tests fail").to_output("stop")
    assert blocked == {"decision": "block", "reason": "tests fail"}
    assert HookResult().render("stop") == ""
    context = HookContext("stop", {"session_id": "s"}, "/tmp")
    assert context.root == Path("/tmp") and context.session_id == "s"


def test_payload_parser_matches_json(tmp_path: Path) -> None:
    text = '\ufeff {"a": [1, 2.5, -3e2, "\\u00e9", true, false, null], "b": {"c": "d"}} \n'
    assert entry.parse_payload(text.encode()) == json.loads(text.lstrip("\ufeff"))
    with pytest.raises(ValueError):
        entry.parse_payload(b'{"a": NaN')
