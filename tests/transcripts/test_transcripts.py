from __future__ import annotations

import json
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from agentops_os.transcripts import model as m
from agentops_os.transcripts.jsonl import ReadStats, read_records
from agentops_os.transcripts.locate import (
    claude_config_dirs,
    claude_parent_session_of,
    claude_project_slug,
    claude_transcripts,
    codex_transcripts,
)
from agentops_os.transcripts.read import read_events

SID = "5b3c1f0e-1111-4222-8333-944455556666"


def claude_lines() -> list[dict]:
    base = {"parentUuid": None, "isSidechain": False, "userType": "external", "cwd": "/w/shop",
            "sessionId": SID, "version": "2.0.61", "gitBranch": "main"}
    usage_partial = {"input_tokens": 4, "cache_creation_input_tokens": 1000,
                     "cache_read_input_tokens": 2000, "output_tokens": 1,
                     "cache_creation": {"ephemeral_5m_input_tokens": 1000, "ephemeral_1h_input_tokens": 0}}
    usage_final = {**usage_partial, "output_tokens": 250}
    return [
        {**base, "type": "user", "uuid": "u1", "timestamp": "2026-11-01T10:00:00.000Z",
         "message": {"role": "user", "content": "Fix the failing order total test"}},
        {**base, "type": "assistant", "uuid": "a1", "timestamp": "2026-11-01T10:00:03.000Z",
         "requestId": "req_1", "message": {"id": "msg_1", "type": "message", "role": "assistant",
                                           "model": "claude-sonnet-4-5-20250929",
                                           "content": [{"type": "text", "text": "Looking."}],
                                           "usage": usage_partial}},
        {**base, "type": "assistant", "uuid": "a2", "timestamp": "2026-11-01T10:00:04.000Z",
         "requestId": "req_1", "message": {"id": "msg_1", "type": "message", "role": "assistant",
                                           "model": "claude-sonnet-4-5-20250929",
                                           "content": [{"type": "tool_use", "id": "toolu_1", "name": "Bash",
                                                        "input": {"command": "pytest -q"}}],
                                           "usage": usage_final}},
        {**base, "type": "user", "uuid": "u2", "timestamp": "2026-11-01T10:00:09.000Z",
         "message": {"role": "user", "content": [{"type": "tool_result", "tool_use_id": "toolu_1",
                                                  "content": "1 failed", "is_error": True}]}},
        {**base, "type": "system", "subtype": "compact_boundary", "uuid": "s1",
         "timestamp": "2026-11-01T10:30:00.000Z", "content": "Conversation compacted",
         "compactMetadata": {"trigger": "auto", "preTokens": 155000}},
        {"type": "summary", "summary": "Fix order totals", "leafUuid": "a2"},
        {"type": "file-history-snapshot", "messageId": "x", "snapshot": {}},
        {"type": "brand-new-type"},
    ]


def write_jsonl(path: Path, records: list[dict], tail: str = "") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(json.dumps(r) + "\n" for r in records) + tail)
    return path


def test_claude_events_are_normalized(tmp_path: Path) -> None:
    path = write_jsonl(tmp_path / "s.jsonl", claude_lines())
    events = list(read_events(path))
    kinds = [e.kind for e in events]
    assert kinds == [m.USER_PROMPT, m.ASSISTANT, m.ASSISTANT_TEXT, m.ASSISTANT, m.TOOL_USE,
                     m.TOOL_RESULT, m.COMPACT, m.SUMMARY, m.OTHER, m.UNKNOWN]
    tool = events[4]
    assert tool.tool_name == "Bash" and tool.tool_input == {"command": "pytest -q"}
    assert events[5].is_error and events[5].text == "1 failed"
    assert events[3].usage["output_tokens"] == 250 and events[3].request_id == "req_1"
    assert events[6].extra == {"trigger": "auto", "pre_tokens": 155000}
    assert events[0].git_branch == "main" and events[0].session_id == SID


def test_codex_events_carry_model_from_turn_context(tmp_path: Path) -> None:
    records = [
        {"timestamp": "2026-11-01T09:00:00Z", "type": "session_meta",
         "payload": {"id": "c0de", "cwd": "/w/shop", "cli_version": "0.46.0", "git": {"branch": "dev"}}},
        {"timestamp": "2026-11-01T09:00:01Z", "type": "turn_context",
         "payload": {"cwd": "/w/shop", "model": "gpt-5-codex", "approval_policy": "on-request"}},
        {"timestamp": "2026-11-01T09:00:02Z", "type": "event_msg",
         "payload": {"type": "user_message", "message": "add a test", "kind": "plain"}},
        {"timestamp": "2026-11-01T09:00:03Z", "type": "response_item",
         "payload": {"type": "function_call", "name": "shell", "call_id": "call_1",
                     "arguments": json.dumps({"command": ["bash", "-lc", "pytest"]})}},
        {"timestamp": "2026-11-01T09:00:05Z", "type": "response_item",
         "payload": {"type": "function_call_output", "call_id": "call_1",
                     "output": json.dumps({"output": "boom", "metadata": {"exit_code": 1}})}},
        {"timestamp": "2026-11-01T09:00:06Z", "type": "event_msg",
         "payload": {"type": "token_count", "info": {
             "total_token_usage": {"input_tokens": 900, "cached_input_tokens": 100, "output_tokens": 50},
             "last_token_usage": {"input_tokens": 900, "cached_input_tokens": 100, "output_tokens": 50},
             "model_context_window": 272000}}},
        {"timestamp": "2026-11-01T09:00:07Z", "type": "event_msg",
         "payload": {"type": "token_count", "info": None}},
    ]
    path = write_jsonl(tmp_path / "sessions/2026/11/01/rollout-2026-11-01T09-00-00-c0de.jsonl", records)
    events = list(read_events(path))
    assert [e.kind for e in events] == [m.SESSION_META, m.SESSION_META, m.USER_PROMPT, m.TOOL_USE,
                                        m.TOOL_RESULT, m.TOKEN_COUNT, m.OTHER]
    assert events[3].tool_input == {"command": ["bash", "-lc", "pytest"]}
    assert events[4].is_error and events[4].text == "boom"
    assert all(e.model == "gpt-5-codex" for e in events[2:])
    assert events[2].session_id == "c0de" and events[2].git_branch == "dev"


def test_partial_last_line_is_left_for_next_read(tmp_path: Path) -> None:
    path = write_jsonl(tmp_path / "s.jsonl", [{"a": 1}, {"a": 2}], tail='{"a": 3')
    stats = ReadStats()
    assert [r["a"] for _, r in read_records(path, stats=stats)] == [1, 2]
    with path.open("a") as handle:
        handle.write("}\n")
    rest = [r["a"] for _, r in read_records(path, stats.end_offset, stats.end_line)]
    assert rest == [3]


def test_malformed_and_invalid_utf8_lines_are_counted_not_fatal(tmp_path: Path) -> None:
    path = tmp_path / "s.jsonl"
    path.write_bytes(b'{"a": 1}\nnot json\n{"a": "caf\xe9"}\n[1, 2]\n')
    stats = ReadStats()
    got = [(n, r["a"]) for n, r in read_records(path, stats=stats)]
    assert got == [(1, 1), (3, "caf\ufffd")]
    assert stats.malformed == 2 and stats.malformed_at == [2, 4]


INT64 = st.integers(min_value=-(2**63), max_value=2**63 - 1)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.dictionaries(st.text(max_size=5), INT64 | st.text(max_size=20), max_size=3),
                max_size=30),
       st.integers(min_value=0, max_value=30))
def test_incremental_read_equals_single_read(tmp_path_factory, records, cut) -> None:
    path = tmp_path_factory.mktemp("inc") / "s.jsonl"
    lines = [json.dumps(r) + "\n" for r in records]
    cut = min(cut, len(lines))
    path.write_text("".join(lines[:cut]))
    stats = ReadStats()
    first = [r for _, r in read_records(path, stats=stats)]
    with path.open("a") as handle:
        handle.write("".join(lines[cut:]))
    second = [r for _, r in read_records(path, stats.end_offset, stats.end_line)]
    assert first + second == records


def test_locations_honour_env(tmp_path: Path, monkeypatch) -> None:
    one, two = tmp_path / "c1", tmp_path / "c2"
    write_jsonl(one / "projects" / claude_project_slug("/w/shop") / f"{SID}.jsonl", claude_lines())
    sub = write_jsonl(two / "projects" / "-w-x" / SID / "subagents" / "agent-a1b2.jsonl", [{"a": 1}])
    monkeypatch.setenv("CLAUDE_CONFIG_DIR", f"{one},{two}")
    assert claude_config_dirs() == [one, two]
    files = list(claude_transcripts())
    assert len(files) == 2 and sub in files
    assert claude_parent_session_of(sub) == SID
    assert claude_project_slug("/Users/me/.config/app") == "-Users-me--config-app"
    monkeypatch.setenv("CODEX_HOME", str(tmp_path / "cx"))
    rollout = write_jsonl(tmp_path / "cx/sessions/2026/11/01/rollout-x.jsonl", [{"a": 1}])
    assert list(codex_transcripts()) == [rollout]
