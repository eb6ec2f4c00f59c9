"""The normalized event every transcript format is turned into."""

from __future__ import annotations

TYPE_CHECKING = False  # typing stays off the hook path (context.tail imports this package)
if TYPE_CHECKING:
    from typing import Any

# Event kinds
SESSION_META = "session_meta"  # cwd, branch, version, model context (Codex session_meta/turn_context)
USER_PROMPT = "user_prompt"  # text the human typed
ASSISTANT = "assistant"  # one assistant API response line: model, ids, usage
ASSISTANT_TEXT = "assistant_text"  # visible text the agent wrote
TOOL_USE = "tool_use"  # the agent called a tool (name, input, id)
TOOL_RESULT = "tool_result"  # a tool answered (id, is_error, text)
TOKEN_COUNT = "token_count"  # Codex cumulative/last usage record
RESPONSE_USAGE = "response_usage"  # Codex `token_usage_record`: one model response's usage
COMPACT = "compact"  # context was compacted (Claude compact_boundary, Codex compacted)
SUMMARY = "summary"  # Claude session summary line
OTHER = "other"  # a known record type we do not use
UNKNOWN = "unknown"  # a record type we do not know (counted, ignored)


class Event:
    """One normalized transcript event. A plain slotted class: ingest creates millions."""

    __slots__ = (
        "agent", "kind", "session_id", "timestamp", "uuid", "model", "message_id",
        "request_id", "usage", "tool_name", "tool_input", "tool_use_id", "is_error",
        "text", "is_sidechain", "agent_id", "cwd", "git_branch", "version", "cost_usd",
        "raw_type", "line", "extra",
    )

    def __init__(self, agent: str, kind: str, **fields: Any) -> None:
        self.agent = agent
        self.kind = kind
        self.session_id: str | None = fields.get("session_id")
        self.timestamp: str | None = fields.get("timestamp")
        self.uuid: str | None = fields.get("uuid")
        self.model: str | None = fields.get("model")
        self.message_id: str | None = fields.get("message_id")
        self.request_id: str | None = fields.get("request_id")
        self.usage: dict[str, Any] | None = fields.get("usage")
        self.tool_name: str | None = fields.get("tool_name")
        self.tool_input: Any = fields.get("tool_input")
        self.tool_use_id: str | None = fields.get("tool_use_id")
        self.is_error: bool = bool(fields.get("is_error", False))
        self.text: str | None = fields.get("text")
        self.is_sidechain: bool = bool(fields.get("is_sidechain", False))
        self.agent_id: str | None = fields.get("agent_id")
        self.cwd: str | None = fields.get("cwd")
        self.git_branch: str | None = fields.get("git_branch")
        self.version: str | None = fields.get("version")
        self.cost_usd: float | None = fields.get("cost_usd")
        self.raw_type: str | None = fields.get("raw_type")
        self.line: int | None = fields.get("line")
        self.extra: dict[str, Any] | None = fields.get("extra")

    def __repr__(self) -> str:
        bits = [f"{name}={getattr(self, name)!r}" for name in self.__slots__
                if getattr(self, name) not in (None, False)]
        return f"Event({', '.join(bits)})"
