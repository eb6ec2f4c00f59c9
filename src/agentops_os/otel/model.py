"""What a session becomes as a trace, read from the index and the transcripts: plain data,
no OpenTelemetry import (so it is testable and cheap)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson


@dataclass
class ToolCall:
    name: str
    call_id: str | None
    start: float
    end: float
    is_error: bool = False
    closed: bool = False  # its result was seen (a live export waits for it)

    @property
    def ident(self) -> str:
        """What `otel.memory` remembers it by: the host's call id, else name and start."""
        return self.call_id or f"{self.name}@{self.start:.6f}"


@dataclass
class Request:
    model: str | None
    start: float
    end: float
    input: int
    output: int
    cache_read: int
    cache_write: int
    key: int = 0  # sessions_requests.key: the request's identity, stable across re-ingests


@dataclass
class SessionTrace:
    key: str
    agent: str
    session_id: str
    start: float
    end: float
    requests: list[Request] = field(default_factory=list)
    tools: list[ToolCall] = field(default_factory=list)
    summary: dict[str, Any] = field(default_factory=dict)


def load_sessions(conn: Any, *, since: float | None = None, all_projects: bool = False,
                  session: str | None = None) -> list[SessionTrace]:
    """Sessions of this repo (or all; or the one named), oldest first, with their requests
    and tool calls."""
    sql = "SELECT key, agent, session_id, start, end, summary FROM sessions_ledger WHERE start IS NOT NULL"
    args: list[Any] = []
    if session:
        sql += " AND (session_id = ? OR key = ?)"
        args += [session, session]
    if not all_projects:
        sql += " AND in_repo = 1"
    if since is not None:
        sql += " AND start >= ?"
        args.append(since)
    out = []
    for key, agent, session_id, start, end, summary in conn.execute(sql + " ORDER BY start, key", args):
        trace = SessionTrace(key, agent, session_id, start, end or start, summary=orjson.loads(summary))
        for model, f_ts, ts, inp, output, cw5m, cw1h, cr, ident in conn.execute(
                "SELECT model, f_ts, ts, input, output, cw5m, cw1h, cr, key FROM sessions_requests"
                " WHERE session_key = ? ORDER BY f_ts, id", (key,)):
            trace.requests.append(Request(model, min(f_ts, ts), max(f_ts, ts), inp, output, cr, cw5m + cw1h,
                                          ident))
        paths = [Path(row[0]) for row in conn.execute(
            "SELECT path FROM sessions_files WHERE session_key = ? ORDER BY path", (key,))]
        trace.tools = tool_calls(paths)
        out.append(trace)
    return out


def tool_calls(paths: list[Path]) -> list[ToolCall]:
    """Each tool call, from its use to its result (a call with no result lasts 0 s)."""
    from datetime import datetime

    from agentops_os.transcripts import model as m
    from agentops_os.transcripts.read import read_events

    def when(stamp: str | None) -> float | None:
        try:
            return datetime.fromisoformat(stamp).timestamp() if isinstance(stamp, str) else None
        except ValueError:
            return None

    calls: list[ToolCall] = []
    open_calls: dict[str, ToolCall] = {}
    for path in paths:
        try:
            for event in read_events(path):
                at = when(event.timestamp)
                if at is None:
                    continue
                if event.kind == m.TOOL_USE:
                    call = ToolCall(event.tool_name or "?", event.tool_use_id, at, at)
                    calls.append(call)
                    if event.tool_use_id:
                        open_calls[event.tool_use_id] = call
                elif event.kind == m.TOOL_RESULT and event.tool_use_id in open_calls:
                    call = open_calls.pop(event.tool_use_id or "")
                    call.end, call.is_error, call.closed = max(call.start, at), event.is_error, True
        except OSError:
            continue  # a transcript removed since it was ingested: its spans are simply absent
    return sorted(calls, key=lambda c: c.start)
