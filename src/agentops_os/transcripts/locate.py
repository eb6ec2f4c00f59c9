"""Where Claude Code and Codex write their transcripts.

Claude Code: `<config>/projects/<slug>/<session>.jsonl`, subagents in
`<session>/subagents/agent-*.jsonl` (2.x) or flat `agent-*.jsonl` (1.x); `<config>` is
each entry of `CLAUDE_CONFIG_DIR` (comma-separated) or `~/.config/claude` and `~/.claude`.
Codex: `$CODEX_HOME/sessions/YYYY/MM/DD/rollout-*.jsonl` (default `~/.codex`).
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path

_SLUG = re.compile(r"[^A-Za-z0-9]")


def claude_config_dirs() -> list[Path]:
    configured = os.environ.get("CLAUDE_CONFIG_DIR", "").strip()
    if configured:
        dirs = [Path(os.path.expanduser(p.strip())) for p in configured.split(",") if p.strip()]
    else:
        home = Path.home()
        dirs = [home / ".config" / "claude", home / ".claude"]
    seen: list[Path] = []
    for directory in dirs:
        if (directory / "projects").is_dir() and directory not in seen:
            seen.append(directory)
    return seen


def codex_home() -> Path:
    return Path(os.path.expanduser(os.environ.get("CODEX_HOME") or "~/.codex"))


def claude_project_slug(path: str | os.PathLike[str]) -> str:
    """Claude Code's project directory name: every non-alphanumeric becomes '-'."""
    return _SLUG.sub("-", str(path))


def claude_transcripts(dirs: list[Path] | None = None) -> Iterator[Path]:
    """Every Claude Code transcript file, main sessions and subagents, sorted per dir."""
    for directory in dirs if dirs is not None else claude_config_dirs():
        yield from sorted((directory / "projects").rglob("*.jsonl"))


def codex_transcripts(home: Path | None = None) -> Iterator[Path]:
    sessions = (home or codex_home()) / "sessions"
    if sessions.is_dir():
        yield from sorted(sessions.rglob("rollout-*.jsonl"))


def is_claude_subagent_file(path: Path) -> bool:
    return path.name.startswith("agent-")


def claude_parent_session_of(path: Path) -> str | None:
    """The parent session id of a 2.x subagent file (`<session>/subagents/agent-*.jsonl`).

    1.x flat `agent-*.jsonl` files carry the parent in each line's `sessionId` instead.
    """
    if path.parent.name == "subagents":
        return path.parent.parent.name
    return None


def find_claude_session(session_id: str, dirs: list[Path] | None = None) -> Path | None:
    for directory in dirs if dirs is not None else claude_config_dirs():
        for candidate in (directory / "projects").glob(f"*/{session_id}.jsonl"):
            return candidate
    return None


def detect_agent(path: Path) -> str:
    """The host whose transcript `path` is, by the format table's file-name rule."""
    from agentops_os.transcripts.formats import format_of

    return format_of(path).host
