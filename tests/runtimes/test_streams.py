"""Stream readers: whatever a CLI prints, the reader never raises and never double-counts."""

from __future__ import annotations

import json

from hypothesis import given
from hypothesis import strategies as st

from agentops_os.runtimes import events as ev
from agentops_os.runtimes.claude_stream import ClaudeStream
from agentops_os.runtimes.codex_stream import CodexStream
from agentops_os.runtimes.tracker import Tracker

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=5),
    max_leaves=20)
records = st.fixed_dictionaries(
    {"type": st.sampled_from(["system", "assistant", "user", "result", "thread.started", "item.started",
                              "item.completed", "turn.completed", "turn.failed", "error", "other"])},
    optional={"subtype": st.sampled_from(["init", "success", "error_max_turns"]) | st.text(max_size=5),
              "message": json_values, "usage": json_values, "item": json_values, "result": json_values,
              "modelUsage": json_values, "parent_tool_use_id": json_values, "is_error": json_values,
              "session_id": json_values, "thread_id": json_values, "error": json_values})
lines = st.one_of(records.map(json.dumps), st.text(max_size=40), json_values.map(json.dumps))


@given(st.lists(lines, max_size=30))
def test_readers_never_raise_on_any_line(batch: list[str]) -> None:
    for stream in (ClaudeStream(), CodexStream()):
        for line in batch:
            for event in stream.feed(line):
                assert isinstance(event, ev.Event)


def _tracker(limit: float = 0.0, window: int = 200_000) -> Tracker:
    return Tracker("claude", ev.RunOptions(context_limit=limit), window)


def _assistant(ident: str, text: str, usage: dict[str, int], parent: str | None = None) -> str:
    return json.dumps({"type": "assistant", "parent_tool_use_id": parent, "session_id": "s",
                       "message": {"id": ident, "model": "claude-x", "usage": usage,
                                   "content": [{"type": "text", "text": text}]}})


def test_a_response_split_over_lines_counts_once_and_the_result_is_authoritative() -> None:
    stream, tracker = ClaudeStream(), _tracker()
    usage = {"input_tokens": 10, "cache_read_input_tokens": 1000, "output_tokens": 5}
    per_model = {"inputTokens": 10, "outputTokens": 50, "cacheReadInputTokens": 1000,
                 "cacheCreationInputTokens": 0, "contextWindow": 1_000_000}
    final = {"type": "result", "subtype": "success", "is_error": False, "result": "done",
             "total_cost_usd": 0.5, "modelUsage": {"claude-x": per_model}}
    for line in (_assistant("m1", "a", usage), _assistant("m1", "b", {**usage, "output_tokens": 50}),
                 _assistant("sub", "c", {"input_tokens": 99999}, parent="toolu_1"), json.dumps(final)):
        for event in stream.feed(line):
            tracker(event)
    result = tracker.finish(returncode=0, timed_out=False, cancelled=False, stderr_tail="", duration_s=1,
                            describe_failure=lambda f, c: f)
    assert result.requests == 1  # m1 once; the subagent's request is not the main context
    assert result.context_peak == 1010
    assert result.usage == ev.Usage(10, 50, 1000, 0)
    assert result.cost_usd == 0.5 and result.text == "done" and result.ok


def test_the_live_budget_cancels_past_the_limit() -> None:
    stream, tracker = ClaudeStream(), _tracker(limit=0.4, window=100_000)
    for event in stream.feed(_assistant("m1", "x", {"input_tokens": 39_000})):
        tracker(event)
    assert not tracker.options.cancel.is_set()
    second = {"input_tokens": 1000, "cache_read_input_tokens": 40_000}
    for event in stream.feed(_assistant("m2", "y", second)):
        tracker(event)
    assert tracker.options.cancel.reason == ev.BUDGET
    result = tracker.finish(returncode=-15, timed_out=False, cancelled=True, stderr_tail="", duration_s=1,
                            describe_failure=lambda f, c: f)
    assert result.status == ev.BUDGET and result.error.startswith("context limit: 41,000 of 100,000")


def test_codex_usage_splits_cached_tokens_out_of_input() -> None:
    stream, tracker = CodexStream(), _tracker()
    for line in ({"type": "thread.started", "thread_id": "t-1"},
                 {"type": "item.completed", "item": {"id": "i0", "type": "agent_message", "text": "hi"}},
                 {"type": "turn.completed", "usage": {"input_tokens": 1200, "cached_input_tokens": 1000,
                                                      "output_tokens": 30}}):
        for event in stream.feed(json.dumps(line)):
            tracker(event)
    result = tracker.finish(returncode=0, timed_out=False, cancelled=False, stderr_tail="", duration_s=1,
                            describe_failure=lambda f, c: f)
    assert result.session_id == "t-1" and result.text == "hi"
    assert result.usage == ev.Usage(input=200, output=30, cache_read=1000)


def test_a_failed_result_names_authentication() -> None:
    events = ClaudeStream().feed(json.dumps({"type": "result", "subtype": "success", "is_error": True,
                                             "result": "Invalid API key · Please run /login"}))
    failure = next(e for e in events if isinstance(e, ev.Failed))
    assert failure.error.startswith("authentication failed")
