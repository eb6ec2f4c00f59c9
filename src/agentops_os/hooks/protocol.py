"""Claude Code's hook protocol: event names and the JSON answer shapes.

Kept free of heavy imports because it runs on every tool call: plain classes rather
than dataclasses (which import `inspect`, ~10 ms), no `typing` or `pathlib` at import
time, and no `json` at all (answers are encoded by `agentops_os.jsonscan`). Every hook handler returns a
`HookResult` (or None) and the entry point turns it into stdout JSON.
"""

from __future__ import annotations

from agentops_os.hosts import CLAUDE_CODE, CODEX

TYPE_CHECKING = False  # not `from typing import ...`: typing costs ~4 ms per hook call
if TYPE_CHECKING:
    from pathlib import Path
    from typing import Any


class HookEvent:
    """One hook event ao serves: its `ao hook` name, the hosts' event name, the tool
    matcher it is registered with, which hosts send it, and how ao handles it."""

    __slots__ = ("cli", "host_name", "matcher", "hosts", "handled", "recorded", "fail_closed")

    def __init__(self, cli: str, host_name: str, *, matcher: str | None = None,
                 hosts: tuple[str, ...] = (CLAUDE_CODE, CODEX), handled: bool = False,
                 recorded: bool = False, fail_closed: bool = False) -> None:
        self.cli = cli  # `ao hook <cli>`
        self.host_name = host_name  # hookEventName, the same in Claude Code and Codex
        self.matcher = matcher  # "*" for tool events, None for the others
        self.hosts = hosts  # the hosts that send it
        self.handled = handled  # a handler module agentops_os.hooks.<cli with underscores>
        self.recorded = recorded  # a metrics line in .agents/sessions/events/
        self.fail_closed = fail_closed  # guards a tool call: a failure to judge denies


# The one table of hook events: everything below, and the install templates of every
# host (`host_events`: setup/templates.CLAUDE_EVENTS, setup/codex.codex_events), derive from it.
EVENT_TABLE: tuple[HookEvent, ...] = (
    HookEvent("session-start", "SessionStart", handled=True, recorded=True),
    HookEvent("user-prompt-submit", "UserPromptSubmit", handled=True),
    HookEvent("pre-tool-use", "PreToolUse", matcher="*", handled=True, fail_closed=True),
    HookEvent("permission-request", "PermissionRequest", matcher="*", handled=True),
    HookEvent("permission-denied", "PermissionDenied", matcher="*", hosts=(CLAUDE_CODE,), recorded=True),
    HookEvent("post-tool-use", "PostToolUse", matcher="*", handled=True),
    HookEvent("pre-compact", "PreCompact", handled=True),
    HookEvent("post-compact", "PostCompact", recorded=True),
    HookEvent("subagent-start", "SubagentStart", recorded=True),
    HookEvent("subagent-stop", "SubagentStop", recorded=True),
    HookEvent("stop", "Stop", handled=True),
    HookEvent("stop-failure", "StopFailure", hosts=(CLAUDE_CODE,), recorded=True),
    HookEvent("session-end", "SessionEnd", handled=True, recorded=True),
)

# CLI event name -> the hosts' hookEventName, for every event `ao hook` serves.
EVENTS: dict[str, str] = {e.cli: e.host_name for e in EVENT_TABLE}
# Events whose only work is a metrics line in `.agents/sessions/events/` (no handler module).
RECORDED: frozenset[str] = frozenset(e.cli for e in EVENT_TABLE if e.recorded)
# Events with a handler module `agentops_os.hooks.<event_with_underscores>`.
HANDLED: frozenset[str] = frozenset(e.cli for e in EVENT_TABLE if e.handled)
# Events whose hook guards a tool call: any failure to judge must deny, not allow.
FAIL_CLOSED: frozenset[str] = frozenset(e.cli for e in EVENT_TABLE if e.fail_closed)


def host_events(host: str) -> dict[str, tuple[str, str | None]]:
    """A host's registrations: its event name -> (ao hook event, matcher or None).
    Codex's hooks.json entries carry no matcher (its tool events fire for every tool)."""
    matchers = host == CLAUDE_CODE
    return {e.host_name: (e.cli, e.matcher if matchers else None) for e in EVENT_TABLE if host in e.hosts}


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
