"""Live context utilisation of a session, read from its transcript.

What fills the window at a request is what the API was sent: input + cache read + cache
write tokens of the last assistant response (output tokens become input next turn).
`tail_usage` answers this cheaply by reading only the file's last bytes (the hook itself
uses `context.tail` directly, without this module's imports); `session_usage` reads the
whole file for current and peak.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from agentops_os.context.tail import context_tokens, last_usage

__all__ = ["Usage", "context_tokens", "find_transcript", "session_usage", "tail_usage"]


@dataclass
class Usage:
    tokens: int  # context in use at the last request
    model: str | None
    window: int | None = None  # reported by the transcript itself (Codex), else None
    peak: int | None = None
    requests: int = 0
    compactions: int = 0


def tail_usage(path: Path, tail_bytes: int = 262_144, max_bytes: int = 4 << 20) -> Usage | None:
    """The last request's context size, from the end of the file (see `context.tail`:
    `tail_bytes` first, widened 4x at a time up to `max_bytes`)."""
    found = last_usage(path, tail_bytes, max_bytes)
    return Usage(*found) if found is not None else None


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
