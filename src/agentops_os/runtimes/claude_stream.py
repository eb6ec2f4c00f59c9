"""Claude Code's `--output-format stream-json --verbose` lines, turned into runtime events.

The stream (one JSON object a line): `system`/`init` (session id, model, cwd), `assistant`
(one line per content block; a response's `message.id` and usage repeat on each of its
lines), `user` (tool results), and one final `result` (`is_error`, `result` text,
`total_cost_usd`, `usage`, `modelUsage` per model with `contextWindow`). Lines of
subagents carry `parent_tool_use_id`: their requests are not the main context, so they do
not count towards the live context peak (their tokens are in the final tally).
"""

from __future__ import annotations

from typing import Any

import orjson

from agentops_os.runtimes import events as ev


def usage_of(data: Any) -> ev.Usage:
    if not isinstance(data, dict):
        return ev.Usage()
    return ev.Usage(_int(data.get("input_tokens")), _int(data.get("output_tokens")),
                    _int(data.get("cache_read_input_tokens")), _int(data.get("cache_creation_input_tokens")))


def _int(value: Any) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) and value > 0 else 0


class ClaudeStream:
    """Stateful: remembers which responses were already reported."""

    def __init__(self) -> None:
        self.seen_messages: set[str] = set()
        self.session_id = ""
        self.unparsed = 0  # lines that were not JSON objects (CLI noise), counted

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
        if kind == "system" and record.get("subtype") == "init":
            self.session_id = str(record.get("session_id") or "")
            return [ev.Started(self.session_id, str(record.get("model") or ""), str(record.get("cwd") or ""))]
        if kind == "assistant":
            return self._assistant(record)
        if kind == "user":
            return self._user(record)
        if kind == "result":
            return self._result(record)
        return []

    def _assistant(self, record: dict[str, Any]) -> list[ev.Event]:
        message = record.get("message")
        if not isinstance(message, dict):
            return []
        out: list[ev.Event] = []
        main = record.get("parent_tool_use_id") is None
        ident = str(message.get("id") or "")
        if ident and ident not in self.seen_messages and main:
            self.seen_messages.add(ident)
            out.append(ev.UsageReport(usage_of(message.get("usage")), str(message.get("model") or ""),
                                      str(record.get("request_id") or ident)))
        for block in message.get("content") or ():
            if not isinstance(block, dict) or not main:
                continue
            if block.get("type") == "text" and block.get("text"):
                out.append(ev.Text(str(block["text"])))
            elif block.get("type") == "tool_use":
                out.append(ev.ToolCall(str(block.get("id") or ""), str(block.get("name") or ""),
                                       block.get("input")))
        return out

    def _user(self, record: dict[str, Any]) -> list[ev.Event]:
        message = record.get("message")
        if not isinstance(message, dict) or record.get("parent_tool_use_id") is not None:
            return []
        content = message.get("content")
        if not isinstance(content, list):
            return []
        return [ev.ToolResult(str(block.get("tool_use_id") or ""), bool(block.get("is_error")),
                              _text_of(block.get("content")))
                for block in content if isinstance(block, dict) and block.get("type") == "tool_result"]

    def _result(self, record: dict[str, Any]) -> list[ev.Event]:
        text = str(record.get("result") or "")
        total = ev.Usage()
        window = 0
        per_model = record.get("modelUsage")
        if isinstance(per_model, dict) and per_model:
            for data in per_model.values():
                if isinstance(data, dict):
                    total = total + ev.Usage(_int(data.get("inputTokens")), _int(data.get("outputTokens")),
                                             _int(data.get("cacheReadInputTokens")),
                                             _int(data.get("cacheCreationInputTokens")))
                    window = max(window, _int(data.get("contextWindow")))
        else:
            total = usage_of(record.get("usage"))
        cost = record.get("total_cost_usd")
        finished = ev.Finished(text, float(cost) if isinstance(cost, int | float) else None, total, window)
        if record.get("is_error") or str(record.get("subtype") or "success") != "success":
            return [finished, ev.Failed(failure_text(record))]
        return [finished]


def failure_text(record: dict[str, Any]) -> str:
    """One line for a failed `result`: auth problems named as such."""
    text = " ".join(str(record.get("result") or "").split())
    subtype = str(record.get("subtype") or "")
    lowered = text.lower()
    if "api key" in lowered or "/login" in lowered or "authentication" in lowered or "401" in lowered:
        return f"authentication failed: {text[:200]} (set ANTHROPIC_API_KEY or run `claude /login`)"
    if subtype.startswith("error_max_turns"):
        return f"stopped at the turn limit ({record.get('num_turns')} turns)"
    return (text or subtype or "claude reported an error")[:300]


def _text_of(content: Any) -> str:
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        return "\n".join(str(b.get("text") or "") for b in content if isinstance(b, dict))
    return ""
