"""Claude Code's hook protocol: event names and the JSON answer shapes.

Kept free of heavy imports; every hook handler returns a `HookResult` and the entry
point turns it into stdout JSON and an exit code.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

# CLI event name -> Claude Code's hookEventName
EVENTS: dict[str, str] = {
    "session-start": "SessionStart",
    "user-prompt-submit": "UserPromptSubmit",
    "pre-tool-use": "PreToolUse",
    "post-tool-use": "PostToolUse",
    "pre-compact": "PreCompact",
    "stop": "Stop",
    "session-end": "SessionEnd",
}

# Events whose hook guards a tool call: any failure to judge must deny, not allow.
FAIL_CLOSED = {"pre-tool-use"}

# Claude Code caps what a hook may inject into context; stay well under it.
MAX_ADDITIONAL_CONTEXT_CHARS = 9_500


@dataclass
class HookContext:
    event: str  # CLI name, e.g. "pre-tool-use"
    payload: dict[str, Any]
    root: Path  # repository root

    @property
    def session_id(self) -> str:
        return str(self.payload.get("session_id") or "unknown")

    @property
    def hook_event_name(self) -> str:
        return EVENTS[self.event]


@dataclass
class HookResult:
    permission_decision: str | None = None  # "allow" | "deny" | "ask" (PreToolUse)
    reason: str | None = None
    additional_context: str | None = None
    system_message: str | None = None
    block: bool = False  # Stop / UserPromptSubmit: {"decision": "block"}

    def to_output(self, event: str) -> dict[str, Any]:
        name = EVENTS[event]
        out: dict[str, Any] = {}
        specific: dict[str, Any] = {}
        if self.permission_decision:
            specific["permissionDecision"] = self.permission_decision
            if self.reason:
                specific["permissionDecisionReason"] = self.reason
        if self.additional_context:
            text = self.additional_context
            if len(text) > MAX_ADDITIONAL_CONTEXT_CHARS:
                text = text[: MAX_ADDITIONAL_CONTEXT_CHARS - 20].rstrip() + "\n[... truncated]"
            specific["additionalContext"] = text
        if specific:
            out["hookSpecificOutput"] = {"hookEventName": name, **specific}
        if self.block:
            out["decision"] = "block"
            if self.reason:
                out["reason"] = self.reason
        if self.system_message:
            out["systemMessage"] = self.system_message
        return out

    def render(self, event: str) -> str:
        output = self.to_output(event)
        return json.dumps(output) if output else ""


def deny(reason: str) -> HookResult:
    return HookResult(permission_decision="deny", reason=reason)
