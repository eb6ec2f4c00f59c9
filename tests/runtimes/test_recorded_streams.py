"""The stream readers on output recorded from the real CLIs (Claude Code 2.1.332 and
Codex 0.171.0, driven against the scripted model server by tests/e2e; re-record by
running those clients the same way when a new version changes its output)."""

from __future__ import annotations

from pathlib import Path

from agentops_os.runtimes import events as ev
from agentops_os.runtimes.claude_stream import ClaudeStream
from agentops_os.runtimes.codex_stream import CodexStream
from agentops_os.runtimes.tracker import Tracker

STREAMS = Path(__file__).resolve().parents[1] / "fixtures" / "streams"


def replay(name: str, stream: ClaudeStream | CodexStream) -> tuple[ev.RunResult, list[ev.Event]]:
    seen: list[ev.Event] = []
    tracker = Tracker("recorded", ev.RunOptions(), 200_000, seen.append)
    for line in (STREAMS / name).read_text().splitlines():
        for event in stream.feed(line):
            tracker(event)
    result = tracker.finish(
        returncode=0,
        timed_out=False,
        cancelled=False,
        stderr_tail="",
        duration_s=1.0,
        describe_failure=lambda failure, code: failure,
    )
    return result, seen


def test_claude_code_stream_with_a_guard_denial() -> None:
    result, seen = replay("claude-2.1.332-guard-denial.jsonl", ClaudeStream())
    assert result.ok and result.text == "Done."
    assert result.session_id == "dbc8bcee-511b-4671-b232-2617a762a89d"
    assert result.model == "claude-opus-5-5"
    calls = [e for e in seen if isinstance(e, ev.ToolCall)]
    results = [e for e in seen if isinstance(e, ev.ToolResult)]
    assert [c.input["command"] for c in calls] == ["rm -rf ~", "ls"]
    assert results[0].is_error and "AgentOps guard [rm-root]" in results[0].text
    assert not results[1].is_error and "keep.txt" in results[1].text
    # Three requests, each message counted once although it spans two stream lines;
    # the final result's modelUsage is authoritative.
    assert result.requests == 3
    assert result.usage == ev.Usage(input=3200, output=120, cache_read=700, cache_write=200)
    assert result.context_peak == 1000 + 700 + 200
    assert result.cost_usd is not None and result.cost_usd > 0


def test_codex_stream_with_a_guard_denial() -> None:
    result, seen = replay("codex-0.171.0-guard-denial.jsonl", CodexStream())
    assert result.ok and result.text.endswith("Done.")  # Codex's warning items are not failures
    assert result.session_id == "01a2485c-f577-7571-b068-7c185cfe13fa"
    calls = [e for e in seen if isinstance(e, ev.ToolCall)]
    # A call a PreToolUse hook blocked never appears in `codex exec --json`: only `ls` ran.
    assert [c.input["command"] for c in calls] == ["/bin/bash -lc ls"]
    assert result.usage == ev.Usage(input=3200 - 800, output=120, cache_read=800, cache_write=0)
