"""Claude Code's hook protocol: event names and the JSON answer shapes.

Kept free of heavy imports because it runs on every tool call: plain classes rather
than dataclasses (which import `inspect`, ~10 ms), no `typing` or `pathlib` at import
time, and no `json` at all (answers are encoded by `agentops_os.jsonscan`). Every hook handler returns a
`HookResult` (or None) and the entry point turns it into stdout JSON.
"""

from __future__ import annotations

TYPE_CHECKING = False  # not `from typing import ...`: typing costs ~4 ms per hook call
if TYPE_CHECKING:
    from pathlib import Path
    from typing import Any

# CLI event name -> Claude Code's hookEventName, for every event `ao hook` serves.
# Codex sends the same names for the events it has (setup/codex.py).
EVENTS: dict[str, str] = {
    "session-start": "SessionStart",
    "user-prompt-submit": "UserPromptSubmit",
    "pre-tool-use": "PreToolUse",
    "permission-request": "PermissionRequest",
    "permission-denied": "PermissionDenied",
    "post-tool-use": "PostToolUse",
    "pre-compact": "PreCompact",
    "post-compact": "PostCompact",
    "subagent-start": "SubagentStart",
    "subagent-stop": "SubagentStop",
    "stop": "Stop",
    "stop-failure": "StopFailure",
    "session-end": "SessionEnd",
}

# Events the current hosts send that ao has no use for: `ao hook` answers them at once
# (exit 0, no output) and `ao init` does not register them. WorktreeCreate in particular
# must never be ours: a WorktreeCreate hook replaces Claude Code's own `git worktree add`.
IGNORED: dict[str, str] = {
    "post-tool-use-failure": "PostToolUseFailure",
    "post-tool-batch": "PostToolBatch",
    "notification": "Notification",
    "user-prompt-expansion": "UserPromptExpansion",
    "setup": "Setup",
    "teammate-idle": "TeammateIdle",
    "task-created": "TaskCreated",
    "task-completed": "TaskCompleted",
    "elicitation": "Elicitation",
    "elicitation-result": "ElicitationResult",
    "config-change": "ConfigChange",
    "worktree-create": "WorktreeCreate",
    "worktree-remove": "WorktreeRemove",
    "instructions-loaded": "InstructionsLoaded",
    "cwd-changed": "CwdChanged",
    "file-changed": "FileChanged",
    "directory-added": "DirectoryAdded",
    "message-display": "MessageDisplay",
    "pre-skill-shell-command": "PreSkillShellCommand",
    "pre-model-switch": "PreModelSwitch",
    "post-model-switch": "PostModelSwitch",
}

# Events whose only work is a metrics line in `.agents/sessions/events/` (no handler module).
RECORDED: frozenset[str] = frozenset(
    {
        "session-start",
        "session-end",
        "subagent-start",
        "subagent-stop",
        "stop-failure",
        "post-compact",
        "permission-denied",
    }
)

# Events with a handler module `agentops_os.hooks.<event_with_underscores>`.
HANDLED: frozenset[str] = frozenset(
    {
        "session-start",
        "user-prompt-submit",
        "pre-tool-use",
        "permission-request",
        "post-tool-use",
        "pre-compact",
        "stop",
        "session-end",
    }
)

# Events whose hook guards a tool call: any failure to judge must deny, not allow.
FAIL_CLOSED = {"pre-tool-use"}

# Claude Code caps what a hook may inject into context; stay well under it.
MAX_ADDITIONAL_CONTEXT_CHARS = 9_500


class HookContext:
    """One hook call: the event, Claude Code's JSON payload and the repository root.

    `root` is a `pathlib.Path`, built on first access (pathlib costs ~5 ms to import and
    most hook calls never need it); `root_str` is the same path as a plain string.
    """

    __slots__ = ("event", "payload", "root_str", "_root")

    def __init__(self, event: str, payload: dict[str, Any], root: Path | str) -> None:
        self.event = event  # CLI name, e.g. "pre-tool-use"
        self.payload = payload
        self.root_str = str(root)
        self._root = root if not isinstance(root, str) else None

    @property
    def root(self) -> Path:
        if self._root is None:
            from pathlib import Path

            self._root = Path(self.root_str)
        return self._root

    @property
    def session_id(self) -> str:
        return str(self.payload.get("session_id") or "unknown")

    @property
    def hook_event_name(self) -> str:
        return EVENTS[self.event]

    def __repr__(self) -> str:
        return f"HookContext(event={self.event!r}, root={self.root_str!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, HookContext) and (self.event, self.payload, self.root_str) == (
            other.event, other.payload, other.root_str)


class HookResult:
    """What a handler wants Claude Code to do; rendered per Claude Code's hook protocol."""

    __slots__ = ("permission_decision", "reason", "additional_context", "system_message", "block")

    def __init__(
        self,
        permission_decision: str | None = None,  # "allow" | "deny" | "ask" (PreToolUse)
        reason: str | None = None,
        additional_context: str | None = None,
        system_message: str | None = None,
        block: bool = False,  # Stop / UserPromptSubmit: {"decision": "block"}
    ) -> None:
        self.permission_decision = permission_decision
        self.reason = reason
        self.additional_context = additional_context
        self.system_message = system_message
        self.block = block

    def __repr__(self) -> str:
        fields = ", ".join(f"{name}={getattr(self, name)!r}" for name in self.__slots__)
        return f"HookResult({fields})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, HookResult) and all(
            getattr(self, name) == getattr(other, name) for name in self.__slots__)

    def to_output(self, event: str) -> dict[str, Any]:
        name = EVENTS[event]
        out: dict[str, Any] = {}
        specific: dict[str, Any] = {}
        if self.permission_decision and name == "PermissionRequest":
            # PermissionRequest answers the prompt itself: {"decision": {"behavior": ...}}
            decision: dict[str, Any] = {"behavior": self.permission_decision}
            if self.reason:
                decision["message"] = self.reason
            specific["decision"] = decision
        elif self.permission_decision:
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
        if not output:
            return ""
        from agentops_os.jsonscan import dumps  # same text as json.dumps, without `re`

        return dumps(output)


def deny(reason: str) -> HookResult:
    return HookResult(permission_decision="deny", reason=reason)
