"""Codex CLI rollout records -> normalized events.

A rollout file is one session: `session_meta` (id, cwd, cli_version, git), then
`turn_context` records (the model and cwd in force for the following turns),
`response_item`s (messages, function_call / custom_tool_call and their outputs,
reasoning), `event_msg`s (`user_message`, `agent_message`, `token_count` with
`info.total_token_usage` cumulative and `info.last_token_usage` for the last request),
and `compacted`. Codex has no per-line model, so `CodexReader` carries the last
`turn_context` model forward.

Codex 0.17x also writes `token_usage_record` (one per model response: `response_id`,
`usage`, the thread's running total) and bookkeeping records (`world_state`, ...). A
forked or sub-agent rollout names its origin in `session_meta` (`forked_from_id`,
`source.subagent.thread_spawn.parent_thread_id`) and starts its running total from the
parent's; older versions also copied the parent's records in, after the parent's own
`session_meta`, which is how `history_of` knows whose history is being replayed.
"""

from __future__ import annotations

from typing import Any

import orjson

from agentops_os.hosts import CODEX
from agentops_os.transcripts import model as m
from agentops_os.transcripts.model import Event

AGENT = CODEX
# Top-level record types that carry no usage, tool call or prompt (checked on 0.171).
BOOKKEEPING = frozenset(("world_state", "dynamic_tools_updated", "inter_agent_communication",
                         "security_risk_score", "realtime_item", "id_allocation"))


class CodexReader:
    """Stateful: call `events(record)` for each record of one rollout file in order."""

    def __init__(self, session_id: str | None = None) -> None:
        self.session_id = session_id
        self.model: str | None = None
        self.cwd: str | None = None
        self.version: str | None = None
        self.git_branch: str | None = None
        self.context_window: int | None = None
        self.meta_seen = False
        self.history_of: str | None = None  # whose copied history the records now replay

    def events(self, record: dict[str, Any], line: int | None = None) -> list[Event]:
        rtype = record.get("type")
        payload = record.get("payload")
        if not isinstance(payload, dict):
            payload = {}
        common = lambda: {  # noqa: E731 - state changes as we go; read it at call time
            "session_id": self.session_id, "timestamp": record.get("timestamp"),
            "model": self.model, "cwd": self.cwd, "version": self.version,
            "git_branch": self.git_branch, "raw_type": rtype, "line": line,
        }
        if rtype == "session_meta":
            ident = payload.get("id") if isinstance(payload.get("id"), str) else None
            if self.meta_seen and ident and ident != self.session_id:
                # an ancestor's meta inside a fork: what follows is its copied history
                self.history_of = ident
                return [Event(AGENT, m.OTHER, **common())]
            self.meta_seen = True
            self.session_id = ident or self.session_id
            self.cwd = payload.get("cwd") or self.cwd
            self.version = payload.get("cli_version") or self.version
            git: dict[str, Any] = payload["git"] if isinstance(payload.get("git"), dict) else {}
            self.git_branch = git.get("branch") or self.git_branch
            return [Event(AGENT, m.SESSION_META, **common())]
        if rtype == "turn_context":
            self.model = payload.get("model") or self.model
            self.cwd = payload.get("cwd") or self.cwd
            return [Event(AGENT, m.SESSION_META, **common())]
        if rtype == "response_item":
            return self._response_item(payload, common())
        if rtype == "event_msg":
            return self._event_msg(payload, common())
        if rtype == "compacted":
            return [Event(AGENT, m.COMPACT, **common())]
        if rtype == "token_usage_record":
            usage = payload.get("usage")
            if not isinstance(usage, dict):
                return [Event(AGENT, m.OTHER, **common())]
            response = payload.get("response_id")
            return [Event(AGENT, m.RESPONSE_USAGE, usage=usage,
                          request_id=response if isinstance(response, str) else None, **common())]
        if rtype.__class__ is str and rtype in BOOKKEEPING:
            return [Event(AGENT, m.OTHER, **common())]
        return [Event(AGENT, m.UNKNOWN, **common())]

    def _response_item(self, payload: dict[str, Any], common: dict[str, Any]) -> list[Event]:
        ptype = payload.get("type")
        if ptype in ("function_call", "custom_tool_call", "local_shell_call"):
            raw = payload.get("arguments", payload.get("input"))
            tool_input: Any = raw
            if isinstance(raw, str) and ptype == "function_call":
                try:
                    tool_input = orjson.loads(raw)
                except orjson.JSONDecodeError:
                    tool_input = raw
            return [Event(AGENT, m.TOOL_USE, tool_name=payload.get("name") or ptype,
                          tool_input=tool_input, tool_use_id=payload.get("call_id"), **common)]
        if ptype in ("function_call_output", "custom_tool_call_output"):
            output = payload.get("output")
            text, is_error = _tool_output(output)
            return [Event(AGENT, m.TOOL_RESULT, tool_use_id=payload.get("call_id"),
                          text=text, is_error=is_error, **common)]
        # Messages are reported twice (response_item and event_msg); events come from
        # event_msg so that they are counted once.
        return [Event(AGENT, m.OTHER, **common)]

    def _event_msg(self, payload: dict[str, Any], common: dict[str, Any]) -> list[Event]:
        ptype = payload.get("type")
        if ptype == "user_message":
            return [Event(AGENT, m.USER_PROMPT, text=str(payload.get("message", "")), **common)]
        if ptype == "agent_message":
            return [Event(AGENT, m.ASSISTANT_TEXT, text=str(payload.get("message", "")), **common)]
        if ptype == "token_count":
            info = payload.get("info") if isinstance(payload.get("info"), dict) else None
            if not info:
                return [Event(AGENT, m.OTHER, **common)]
            window = info.get("model_context_window")
            if isinstance(window, int):
                self.context_window = window
            return [Event(AGENT, m.TOKEN_COUNT, usage={
                "total": info.get("total_token_usage") or {},
                "last": info.get("last_token_usage") or {},
                "model_context_window": window,
            }, **common)]
        return [Event(AGENT, m.OTHER, **common)]


def _tool_output(output: Any) -> tuple[str, bool]:
    """Codex wraps shell output as JSON text {"output": ..., "metadata": {"exit_code": N}}."""
    if isinstance(output, str):
        try:
            data = orjson.loads(output)
        except orjson.JSONDecodeError:
            return output, False
        output = data
    if isinstance(output, dict):
        meta: dict[str, Any] = output["metadata"] if isinstance(output.get("metadata"), dict) else {}
        code = meta.get("exit_code")
        text = output["output"] if isinstance(output.get("output"), str) else str(output)
        return text, isinstance(code, int) and code != 0
    return str(output), False
