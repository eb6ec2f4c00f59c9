"""`codex exec --json` lines, turned into runtime events.

The stream: `thread.started` (thread id = session id), `turn.started`, `item.started` /
`item.updated` / `item.completed` (items: agent_message, reasoning, command_execution,
file_change, mcp_tool_call, web_search, todo_list, error), `turn.completed` with the turn's
usage, `turn.failed` and `error`. Codex counts `input_tokens` *including* the cached ones;
they are split here so that `Usage.input` means the same for every runtime.

`turn.completed` sums a whole turn (many requests); the context of a single request is
read from the rollout's last `token_count` when the runtime can see the rollout file.
"""

from __future__ import annotations

from typing import Any

import orjson

from agentops_os.runtimes import events as ev

TOOL_ITEMS = {"command_execution": "exec_command", "file_change": "apply_patch",
              "mcp_tool_call": "mcp", "web_search": "web_search"}


def _int(value: Any) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) and value > 0 else 0


def usage_of(data: Any) -> ev.Usage:
    if not isinstance(data, dict):
        return ev.Usage()
    total_in = _int(data.get("input_tokens"))
    cached = min(_int(data.get("cached_input_tokens")), total_in)
    return ev.Usage(total_in - cached, _int(data.get("output_tokens")), cached, 0)


class CodexStream:
    def __init__(self) -> None:
        self.thread_id = ""
        self.unparsed = 0
        self.texts: list[str] = []
        self.total = ev.Usage()
        self.model = ""

    def feed(self, line: str) -> list[ev.Event]:
        try:
            record = orjson.loads(line)
        except orjson.JSONDecodeError:
            self.unparsed += 1
            return []
        if not isinstance(record, dict):
            self.unparsed += 1
            return []
        kind = record.get("type")
        if kind == "thread.started":
            self.thread_id = str(record.get("thread_id") or "")
            return [ev.Started(self.thread_id, self.model, "")]
        if kind in ("item.started", "item.completed"):
            return self._item(kind, record.get("item"))
        if kind == "turn.completed":
            usage = usage_of(record.get("usage"))
            self.total = self.total + usage
            # One turn is one prompt; its summed usage is the final tally so far.
            return [ev.Finished(self.texts[-1] if self.texts else "", None, self.total)]
        if kind == "turn.failed":
            error = record.get("error")
            message = error.get("message") if isinstance(error, dict) else error
            return [ev.Failed(failure_text(str(message or "turn failed")))]
        if kind == "error":
            return [ev.Failed(failure_text(str(record.get("message") or "codex reported an error")))]
        return []

    def _item(self, kind: str, item: Any) -> list[ev.Event]:
        if not isinstance(item, dict):
            return []
        item_type = str(item.get("type") or item.get("item_type") or "")
        ident = str(item.get("id") or "")
        if item_type == "agent_message" and kind == "item.completed":
            text = str(item.get("text") or "")
            self.texts.append(text)
            return [ev.Text(text)] if text else []
        if item_type in TOOL_ITEMS:
            if kind == "item.started":
                return [ev.ToolCall(ident, TOOL_ITEMS[item_type], _tool_input(item_type, item))]
            status = str(item.get("status") or "")
            code = item.get("exit_code")
            failed = status in ("failed", "declined") or (isinstance(code, int) and code != 0) \
                or bool(item.get("error"))
            output = item.get("aggregated_output") or item.get("error") or ""
            return [ev.ToolResult(ident, failed, str(output))]
        return []


def _tool_input(item_type: str, item: dict[str, Any]) -> Any:
    if item_type == "command_execution":
        return {"command": item.get("command")}
    if item_type == "file_change":
        return {"changes": item.get("changes")}
    if item_type == "mcp_tool_call":
        return {"server": item.get("server"), "tool": item.get("tool"), "arguments": item.get("arguments")}
    return {k: v for k, v in item.items() if k not in ("id", "type")}


def failure_text(message: str) -> str:
    text = " ".join(message.split())[:300]
    lowered = text.lower()
    if "401" in lowered or "unauthorized" in lowered or "api key" in lowered or "login" in lowered:
        return f"authentication failed: {text} (set the provider's API key variable or run `codex login`)"
    return text
