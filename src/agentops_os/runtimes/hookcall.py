"""Asking a PreToolUse hook about a tool call, the way Claude Code does.

The scripted agent runs the project's configured hooks; the api runtime runs ao's guard
hook directly. Both send the same JSON on stdin and read the answer the same way: exit
2 blocks (stderr is the reason); a JSON answer whose `permissionDecision` is deny or ask
blocks in a non-interactive run (nobody is there to be asked).
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from agentops_os import procs

HOOK_TIMEOUT_S = 60


def payload(session: str, transcript: Path, cwd: Path, tool: str, tool_input: dict[str, Any]) -> str:
    return json.dumps({"session_id": session, "transcript_path": str(transcript), "cwd": str(cwd),
                       "hook_event_name": "PreToolUse", "tool_name": tool, "tool_input": tool_input,
                       "permission_mode": "default"})


def ask(command: str | list[str], stdin: str, cwd: Path, env: dict[str, str] | None = None) -> str | None:
    """The reason the hook blocks the call, or None when it has no objection."""
    try:
        proc = procs.run(command, cwd=cwd, input=stdin, timeout=HOOK_TIMEOUT_S,
                         env={**(env or os.environ), "CLAUDE_PROJECT_DIR": str(cwd)})
    except OSError as exc:
        return f"the PreToolUse hook could not start: {exc}"
    if proc.timed_out:
        return f"the PreToolUse hook did not answer within {HOOK_TIMEOUT_S} s"
    if proc.returncode == 2:
        return proc.stderr.strip() or "blocked by a PreToolUse hook"
    if proc.returncode == 0 and proc.stdout.strip().startswith("{"):
        try:
            answer = json.loads(proc.stdout)
        except ValueError:
            return None
        specific = answer.get("hookSpecificOutput") or {}
        if specific.get("permissionDecision") in ("deny", "ask"):
            return str(specific.get("permissionDecisionReason") or "blocked by a PreToolUse hook")
    return None
