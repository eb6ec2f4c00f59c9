"""Live context utilisation of a session, read from its transcript.

What fills the window at a request is what the API was sent: input + cache read + cache
write tokens of the last assistant response (output tokens become input next turn).
`tail_usage` answers this cheaply for hooks by reading only the file's last bytes with
the standard library; `session_usage` reads the whole file for current and peak.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any


@dataclass
class Usage:
    tokens: int  # context in use at the last request
    model: str | None
    window: int | None = None  # reported by the transcript itself (Codex), else None
    peak: int | None = None
    requests: int = 0
    compactions: int = 0


def context_tokens(usage: dict[str, Any]) -> int:
    """input + cache read + cache write of one Claude usage block."""
    total = 0
    for key in ("input_tokens", "cache_read_input_tokens", "cache_creation_input_tokens"):
        value = usage.get(key)
        if isinstance(value, int) and not isinstance(value, bool):
            total += value
    return total


def _from_record(record: dict[str, Any]) -> Usage | None:
    if record.get("type") == "assistant" and not record.get("isSidechain"):
        message = record.get("message")
        if isinstance(message, dict) and isinstance(message.get("usage"), dict):
            if record.get("isApiErrorMessage"):
                return None
            tokens = context_tokens(message["usage"])
            if tokens:
                return Usage(tokens, message.get("model"))
        return None
    if record.get("type") == "event_msg":  # Codex token_count
        payload = record.get("payload")
        if isinstance(payload, dict) and payload.get("type") == "token_count":
            info = payload.get("info")
            if isinstance(info, dict) and isinstance(info.get("last_token_usage"), dict):
                tokens = info["last_token_usage"].get("input_tokens")
                window = info.get("model_context_window")
                if isinstance(tokens, int):
                    return Usage(tokens, None, window if isinstance(window, int) else None)
    return None


def tail_usage(path: Path, tail_bytes: int = 262_144, max_bytes: int = 4 << 20) -> Usage | None:
    """The last request's context size, from the end of the file: `tail_bytes` first,
    widened 4x at a time (up to `max_bytes`) when the tail holds no usage yet, e.g.
    after one huge tool result."""
    while True:
        found, whole_file = _tail_once(path, tail_bytes)
        if found is not None or whole_file or tail_bytes >= max_bytes:
            return found
        tail_bytes *= 4


def _tail_once(path: Path, tail_bytes: int) -> tuple[Usage | None, bool]:
    try:
        with open(path, "rb") as handle:
            size = handle.seek(0, os.SEEK_END)
            start = max(0, size - tail_bytes)
            handle.seek(start)
            data = handle.read()
    except OSError:
        return None, True
    lines = data.split(b"\n")
    if start > 0:
        lines = lines[1:]  # the first piece is a cut line
    for raw in reversed(lines):
        if b'"usage"' not in raw and b"token_count" not in raw:
            continue
        try:
            record = json.loads(raw)
        except ValueError:
            continue
        if isinstance(record, dict):
            found = _from_record(record)
            if found is not None:
                return found, start == 0
    return None, start == 0


def session_usage(path: Path) -> Usage | None:
    """Current (last request) and peak context of a whole transcript."""
    from agentops_os.transcripts import model as m
    from agentops_os.transcripts.read import read_events

    current: Usage | None = None
    peak = 0
    requests: set[str] = set()
    compactions = 0
    for event in read_events(path):
        if event.kind == m.COMPACT:
            compactions += 1
            continue
        if event.is_sidechain:
            continue
        if event.kind == m.ASSISTANT and event.usage and not (event.extra or {}).get("synthetic"):
            tokens = context_tokens(event.usage)
            if not tokens:
                continue
            requests.add(event.message_id or event.request_id or str(event.line))
            current = Usage(tokens, event.model)
            peak = max(peak, tokens)
        elif event.kind == m.TOKEN_COUNT and event.usage:
            last = event.usage.get("last") or {}
            used = last.get("input_tokens")
            if isinstance(used, int):
                window = event.usage.get("model_context_window")
                current = Usage(used, event.model, window if isinstance(window, int) else None)
                requests.add(str(event.line))
                peak = max(peak, used)
    if current is None:
        return None
    current.peak = peak
    current.requests = len(requests)
    current.compactions = compactions
    return current


def find_transcript(root: Path, session: str | None) -> Path | None:
    """The transcript of `session`, or the newest main-session transcript of this repo."""
    from agentops_os.transcripts.locate import claude_config_dirs, claude_project_slug, find_claude_session

    if session:
        return find_claude_session(session)
    slug = claude_project_slug(root.resolve())
    newest: tuple[float, str, Path] | None = None
    for directory in claude_config_dirs():
        project = directory / "projects" / slug
        if not project.is_dir():
            continue
        for candidate in project.glob("*.jsonl"):
            if candidate.name.startswith("agent-"):
                continue
            key = (candidate.stat().st_mtime, candidate.name, candidate)
            if newest is None or key[:2] > newest[:2]:
                newest = key
    return newest[2] if newest else None
