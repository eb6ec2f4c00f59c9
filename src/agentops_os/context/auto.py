"""Automatic handoffs from the PreCompact and SessionEnd hooks."""

from __future__ import annotations

from pathlib import Path
from typing import Any


def auto_handoff(context: Any, switch: str, trigger: str) -> Path | None:
    """Write a handoff from the hook's transcript when `switch` is on and the session
    said anything (an empty session has nothing to hand off)."""
    from agentops_os.config import load_config

    if not load_config(context.root).get(switch):
        return None
    raw = context.payload.get("transcript_path")
    if not isinstance(raw, str) or not raw:
        return None
    transcript = Path(raw).expanduser()
    if not transcript.is_file():
        return None
    from agentops_os.context import handoff as core

    session = context.payload.get("session_id")
    built = core.build(context.root, transcript, trigger=trigger,
                       session_id=session if isinstance(session, str) else None)
    if not built.goal and not built.files and not built.done:
        return None
    return core.save(context.root, built)
