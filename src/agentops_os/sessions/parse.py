"""Parsing one transcript file from a byte offset, in this process or a pool worker:
the fused per-line loops for Claude Code and Codex, and the index rows of its requests."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from agentops_os.hosts import CODEX
from agentops_os.sessions.accumulate import Accumulator, count_unknown, key_hash
from agentops_os.transcripts import claude
from agentops_os.transcripts import model as m
from agentops_os.transcripts.codex import CodexReader
from agentops_os.transcripts.jsonl import ReadStats, read_records
from agentops_os.transcripts.locate import claude_parent_session_of
from agentops_os.transcripts.usage import long_context, prompt_tokens

# Pending requests are written to the index every this many, so memory stays bounded on a
# single huge transcript; the upsert merges a response split across two flushes.
FLUSH_EVERY = 20_000


# -- parsing one file (in this process or a worker) --------------------------------------------

Spill = Callable[["Accumulator"], None]


@dataclass
class Plan:
    path: Path
    st: os.stat_result
    agent: str
    offset: int
    first_line: int
    facts: dict[str, Any]
    file_id: int


@dataclass
class Parsed:
    facts: dict[str, Any]
    requests: dict[str, list[Any]]
    stats: ReadStats
    rows: list[tuple[Any, ...]] | None = None  # `requests` as index rows, made by a worker


def parse_job(args: tuple[str, str, int, int, dict[str, Any], float, str, int]) -> Parsed | None:
    """A worker's whole job for one file: parse it and turn its requests into index rows,
    so the writing process only has to insert them."""
    path, agent, offset, first_line, facts, idle_gap, root, file_id = args
    parsed = parse_file(Path(path), agent, offset, first_line, facts, idle_gap, Path(root))
    if parsed is not None:
        parsed.rows = request_rows(parsed.requests, session_key(parsed.facts, Path(path)), file_id)
        parsed.requests = {}
    return parsed


def session_key(facts: dict[str, Any], path: Path) -> str:
    session = facts["session_id"] or claude_parent_session_of(path) or path.stem
    return f"{facts['agent']}-{session}"


def request_rows(requests: dict[str, list[Any]], key: str, file: int) -> list[tuple[Any, ...]]:
    """Rows of `sessions_requests` (in `_UPSERT`'s column order) for gathered requests."""
    rows = []
    for request_key, (when, model, sidechain, first, final, cost_first, cost_final, ctx, first_when) in \
            requests.items():
        prompt = prompt_tokens(final)
        rows.append((key_hash(request_key), key, file, when, first_when, model, int(bool(sidechain)),
                     int(long_context(final)), ctx if ctx is not None else prompt,
                     *first, cost_first, *final, cost_final))
    return rows


def parse_file(path: Path, agent: str, offset: int, first_line: int, facts: dict[str, Any],
               idle_gap: float, root: Path, spill: Spill | None = None) -> Parsed | None:
    """Read a transcript from `offset`, continuing `facts`; None if it vanished meanwhile."""
    facts = dict(facts)
    facts["tools"] = dict(facts["tools"])
    facts["unknown_types"] = dict(facts.get("unknown_types") or {})
    stats = ReadStats()
    acc = Accumulator(path, facts, idle_gap, root)
    try:
        if agent == CODEX:
            _read_codex(path, offset, first_line, stats, acc, spill)
        else:
            _read_claude(path, offset, first_line, stats, acc, spill)
    except OSError:
        return None
    if facts["session_id"] is None:
        facts["session_id"] = claude_parent_session_of(path) or path.stem
    facts["files"] = sorted(acc.files)
    facts["last_ts"] = acc.last_epoch
    facts["malformed"] = facts.get("malformed", 0) + stats.malformed
    facts["lines"] = facts.get("lines", 0) + stats.lines
    return Parsed(facts, acc.requests, stats)


def _read_claude(path: Path, offset: int, first_line: int, stats: ReadStats, acc: Accumulator,
                 spill: Spill | None) -> None:
    """The per-line loop of a Claude transcript: `claude.events()` and `Accumulator` fused.

    This runs once per line of every transcript (a cold ingest: about a million), so the
    record is read in place -- no tuples, no Events, set-once fields looked up only until
    found. tests/sessions/test_claude_loop.py checks it against a loop built on
    `claude.events()`, the reference reading.
    """
    facts = acc.facts
    clock, request, tool_use, prompt = acc.clock, acc.claude_request, acc.tool_use, acc.prompt
    requests = acc.requests
    bookkeeping = claude.BOOKKEEPING
    need_meta = (facts["session_id"] is None or facts["cwd"] is None or facts["version"] is None
                 or facts["agent_id"] is None)
    for line, record in read_records(path, offset, first_line, stats):
        if spill is not None and len(requests) >= FLUSH_EVERY:
            spill(acc)
            requests = acc.requests
        get = record.get
        stamp = get("timestamp")
        # streamed lines of one response often share a timestamp: skip the clock then
        when = acc.last_epoch if stamp is not None and stamp == acc.last_stamp else clock(stamp)
        if need_meta:
            if facts["session_id"] is None:
                facts["session_id"] = get("sessionId") or None
            if facts["cwd"] is None:
                facts["cwd"] = get("cwd") or None
            if facts["version"] is None:
                facts["version"] = get("version") or None
            if facts["agent_id"] is None:
                facts["agent_id"] = get("agentId") or None
            need_meta = (facts["session_id"] is None or facts["cwd"] is None or facts["version"] is None
                         or facts["agent_id"] is None)
        branch = get("gitBranch")
        if branch:
            facts["branch"] = branch
        kind = get("type")
        if kind == "assistant":
            message = get("message") or {}
            if message.__class__ is not dict:
                count_unknown(facts, kind)
                continue
            content = message.get("content")
            if not get("isApiErrorMessage"):
                usage = message.get("usage")
                if usage.__class__ is dict:
                    cost = get("costUSD")
                    request(message.get("id"), get("requestId"), message.get("model"), usage,
                            float(cost) if isinstance(cost, int | float) else None,
                            bool(get("isSidechain", False)), when, line)
            if content.__class__ is list:
                for block in content:
                    if block.__class__ is dict and block.get("type") == "tool_use":
                        tool_use(block.get("name") or "?", block.get("input"))
        elif kind == "user":
            message = get("message") or {}
            content = message.get("content") if message.__class__ is dict else None
            is_meta = bool(get("isMeta")) or bool(get("isCompactSummary"))
            if content.__class__ is str:
                if not is_meta:
                    prompt(content)
                continue
            if content.__class__ is not list:
                continue
            texts = []
            for block in content:
                if block.__class__ is not dict:
                    continue
                btype = block.get("type")
                if btype == "tool_result":
                    facts["tool_results"] += 1
                    if block.get("is_error"):
                        facts["tool_errors"] += 1
                elif btype == "text":
                    texts.append(str(block.get("text", "")))
            if texts and not is_meta:
                prompt("\n".join(texts))
        elif kind == "system":
            if get("subtype") == "compact_boundary":
                facts["compactions"] += 1
        elif kind != "summary" and not (kind.__class__ is str and kind in bookkeeping):
            count_unknown(facts, kind)


def _read_codex(path: Path, offset: int, first_line: int, stats: ReadStats, acc: Accumulator,
                spill: Spill | None) -> None:
    state = dict(acc.facts["codex"] or {})
    acc.facts["codex"] = state
    reader = CodexReader(state.get("session_id"))
    for name in _CODEX_STATE:
        if name in state:
            setattr(reader, name, state[name])
    for line, record in read_records(path, offset, first_line, stats):
        if spill is not None and len(acc.requests) >= FLUSH_EVERY:
            spill(acc)
        for event in reader.events(record, line):
            when = acc.clock(event.timestamp)
            acc.meta(event)
            if event.kind == m.TOKEN_COUNT:
                acc.codex_tokens(event, when, line, reader.history_of)
            elif event.kind == m.RESPONSE_USAGE:
                acc.codex_response(event, when)
            else:
                acc.event(event, when)
    state["session_id"] = reader.session_id
    for name in _CODEX_STATE:
        state[name] = getattr(reader, name)


# What a CodexReader knows that the next incremental read of the same rollout needs.
_CODEX_STATE = ("model", "cwd", "version", "git_branch", "context_window", "meta_seen", "history_of")
