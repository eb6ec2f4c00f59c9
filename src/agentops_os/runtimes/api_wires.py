"""The HTTP shapes the api runtime speaks: Anthropic Messages, OpenAI Responses, OpenAI
Chat Completions — all streamed (server-sent events).

Each wire builds a request from a neutral conversation (the prompt, then per turn the
assistant's text and tool calls and the tools' results) and reads one streamed response
into a `Turn`. Usage is normalised as everywhere in ao: `input` excludes cached tokens.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from agentops_os.runtimes import events as ev


@dataclass
class Call:
    id: str
    name: str
    input: Any


@dataclass
class Turn:
    text: str = ""
    calls: list[Call] = field(default_factory=list)
    usage: ev.Usage = field(default_factory=ev.Usage)
    stop: str = ""
    id: str = ""
    model: str = ""
    error: str = ""


@dataclass
class Exchange:
    """One finished turn and the results of its tool calls: (call id, output, is_error)."""

    turn: Turn
    results: list[tuple[str, str, bool]]


class WireError(Exception):
    pass


def sse(lines: Iterable[bytes]) -> Iterator[tuple[str, str]]:
    """(event name, data) of each server-sent event."""
    name, data = "", list[str]()
    for raw in lines:
        line = raw.decode("utf-8", "replace").rstrip("\r\n")
        if not line:
            if data:
                yield name, "\n".join(data)
            name, data = "", list[str]()
        elif line.startswith("event:"):
            name = line[6:].strip()
        elif line.startswith("data:"):
            data.append(line[5:].lstrip())
    if data:
        yield name, "\n".join(data)


def _int(value: Any) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) and value > 0 else 0


def _json(text: str) -> Any:
    try:
        return json.loads(text) if text.strip() else {}
    except ValueError:
        return {"_unparsed": text}


class Wire:
    name = ""
    path = ""

    def headers(self, key: str) -> dict[str, str]:
        return {"authorization": f"Bearer {key}"} if key else {}

    def body(self, model: str, system: str, prompt: str, history: list[Exchange],
             tools: list[dict[str, Any]], max_tokens: int) -> dict[str, Any]:
        raise NotImplementedError

    def read(self, events: Iterable[tuple[str, str]]) -> Turn:
        raise NotImplementedError


class AnthropicWire(Wire):
    name = "anthropic"
    path = "/v1/messages"

    def headers(self, key: str) -> dict[str, str]:
        return {"x-api-key": key, "anthropic-version": "2023-06-01"} if key else \
            {"anthropic-version": "2023-06-01"}

    def body(self, model: str, system: str, prompt: str, history: list[Exchange],
             tools: list[dict[str, Any]], max_tokens: int) -> dict[str, Any]:
        messages: list[dict[str, Any]] = [{"role": "user", "content": prompt}]
        for exchange in history:
            content: list[dict[str, Any]] = []
            if exchange.turn.text:
                content.append({"type": "text", "text": exchange.turn.text})
            content += [{"type": "tool_use", "id": c.id, "name": c.name, "input": c.input}
                        for c in exchange.turn.calls]
            messages.append({"role": "assistant", "content": content or [{"type": "text", "text": ""}]})
            if exchange.results:
                messages.append({"role": "user", "content": [
                    {"type": "tool_result", "tool_use_id": i, "content": out, "is_error": err}
                    for i, out, err in exchange.results]})
        body: dict[str, Any] = {"model": model, "max_tokens": max_tokens, "messages": messages,
                                "tools": tools, "stream": True}
        if system:
            body["system"] = system
        return body

    def read(self, events: Iterable[tuple[str, str]]) -> Turn:
        turn = Turn()
        blocks: dict[int, dict[str, Any]] = {}
        usage: dict[str, int] = {}
        for name, data in events:
            record = _json(data)
            kind = record.get("type") or name
            if kind == "message_start":
                message = record.get("message") or {}
                turn.id, turn.model = str(message.get("id") or ""), str(message.get("model") or "")
                usage.update({k: _int(v) for k, v in (message.get("usage") or {}).items()})
            elif kind == "content_block_start":
                blocks[int(record.get("index", len(blocks)))] = {**(record.get("content_block") or {}),
                                                                "_json": ""}
            elif kind == "content_block_delta":
                block = blocks.setdefault(int(record.get("index", 0)), {"type": "text", "_json": ""})
                delta = record.get("delta") or {}
                if delta.get("type") == "text_delta":
                    block["text"] = str(block.get("text") or "") + str(delta.get("text") or "")
                elif delta.get("type") == "input_json_delta":
                    block["_json"] += str(delta.get("partial_json") or "")
            elif kind == "message_delta":
                turn.stop = str((record.get("delta") or {}).get("stop_reason") or turn.stop)
                usage.update({k: _int(v) for k, v in (record.get("usage") or {}).items() if _int(v)})
            elif kind == "error":
                error = record.get("error") or {}
                turn.error = str(error.get("message") or error or "error event")
        for _, block in sorted(blocks.items()):
            if block.get("type") == "text":
                turn.text += str(block.get("text") or "")
            elif block.get("type") == "tool_use":
                given = block.get("input") if block.get("input") else {}
                turn.calls.append(Call(str(block.get("id") or ""), str(block.get("name") or ""),
                                       _json(block["_json"]) if block["_json"] else given))
        turn.usage = ev.Usage(usage.get("input_tokens", 0), usage.get("output_tokens", 0),
                              usage.get("cache_read_input_tokens", 0),
                              usage.get("cache_creation_input_tokens", 0))
        return turn


def _openai_usage(data: Any) -> ev.Usage:
    if not isinstance(data, dict):
        return ev.Usage()
    total = _int(data.get("input_tokens") or data.get("prompt_tokens"))
    details = data.get("input_tokens_details") or data.get("prompt_tokens_details") or {}
    cached = min(_int(details.get("cached_tokens")) if isinstance(details, dict) else 0, total)
    output = _int(data.get("output_tokens") or data.get("completion_tokens"))
    return ev.Usage(total - cached, output, cached, 0)


def _function_tools(tools: list[dict[str, Any]], nested: bool) -> list[dict[str, Any]]:
    out = []
    for tool in tools:
        spec = {"name": tool["name"], "description": tool["description"], "parameters": tool["input_schema"]}
        out.append({"type": "function", "function": spec} if nested else {"type": "function", **spec})
    return out


class ResponsesWire(Wire):
    name = "responses"
    path = "/responses"

    def body(self, model: str, system: str, prompt: str, history: list[Exchange],
             tools: list[dict[str, Any]], max_tokens: int) -> dict[str, Any]:
        items: list[dict[str, Any]] = [{"role": "user", "content": prompt}]
        for exchange in history:
            if exchange.turn.text:
                items.append({"role": "assistant", "content": exchange.turn.text})
            items += [{"type": "function_call", "call_id": c.id, "name": c.name,
                       "arguments": json.dumps(c.input)} for c in exchange.turn.calls]
            items += [{"type": "function_call_output", "call_id": i, "output": out}
                      for i, out, _ in exchange.results]
        body: dict[str, Any] = {"model": model, "input": items, "tools": _function_tools(tools, False),
                                "stream": True, "max_output_tokens": max_tokens}
        if system:
            body["instructions"] = system
        return body

    def read(self, events: Iterable[tuple[str, str]]) -> Turn:
        turn = Turn()
        for name, data in events:
            record = _json(data)
            kind = record.get("type") or name
            if kind == "response.output_text.delta":
                turn.text += str(record.get("delta") or "")
            elif kind == "response.output_item.done":
                item = record.get("item") or {}
                if item.get("type") == "function_call":
                    turn.calls.append(Call(str(item.get("call_id") or item.get("id") or ""),
                                           str(item.get("name") or ""),
                                           _json(str(item.get("arguments") or ""))))
            elif kind in ("response.completed", "response.incomplete", "response.failed"):
                response = record.get("response") or {}
                turn.id, turn.model = str(response.get("id") or ""), str(response.get("model") or "")
                turn.usage = _openai_usage(response.get("usage"))
                turn.stop = "tool_use" if turn.calls else kind.rsplit(".", 1)[-1]
                if kind == "response.failed":
                    turn.error = str((response.get("error") or {}).get("message") or "response failed")
            elif kind == "error":
                nested = (record.get("error") or {}).get("message")
                turn.error = str(record.get("message") or nested or "error")
        return turn


class ChatWire(Wire):
    name = "chat"
    path = "/chat/completions"

    def body(self, model: str, system: str, prompt: str, history: list[Exchange],
             tools: list[dict[str, Any]], max_tokens: int) -> dict[str, Any]:
        messages: list[dict[str, Any]] = ([{"role": "system", "content": system}] if system else [])
        messages.append({"role": "user", "content": prompt})
        for exchange in history:
            message: dict[str, Any] = {"role": "assistant", "content": exchange.turn.text or None}
            if exchange.turn.calls:
                message["tool_calls"] = [{"id": c.id, "type": "function",
                                          "function": {"name": c.name, "arguments": json.dumps(c.input)}}
                                         for c in exchange.turn.calls]
            messages.append(message)
            messages += [{"role": "tool", "tool_call_id": i, "content": out}
                         for i, out, _ in exchange.results]
        return {"model": model, "messages": messages, "tools": _function_tools(tools, True), "stream": True,
                "stream_options": {"include_usage": True}, "max_tokens": max_tokens}

    def read(self, events: Iterable[tuple[str, str]]) -> Turn:
        turn = Turn()
        calls: dict[int, dict[str, str]] = {}
        for _, data in events:
            if data.strip() == "[DONE]":
                break
            record = _json(data)
            if record.get("error"):
                turn.error = str((record["error"] or {}).get("message") or record["error"])
            turn.id = turn.id or str(record.get("id") or "")
            turn.model = turn.model or str(record.get("model") or "")
            if record.get("usage"):
                turn.usage = _openai_usage(record["usage"])
            for choice in record.get("choices") or ():
                delta = choice.get("delta") or {}
                turn.text += str(delta.get("content") or "")
                for part in delta.get("tool_calls") or ():
                    slot = calls.setdefault(int(part.get("index", len(calls))),
                                            {"id": "", "name": "", "args": ""})
                    slot["id"] = slot["id"] or str(part.get("id") or "")
                    function = part.get("function") or {}
                    slot["name"] = slot["name"] or str(function.get("name") or "")
                    slot["args"] += str(function.get("arguments") or "")
                if choice.get("finish_reason"):
                    turn.stop = str(choice["finish_reason"])
        turn.calls = [Call(c["id"], c["name"], _json(c["args"])) for _, c in sorted(calls.items())]
        if turn.calls:
            turn.stop = "tool_use"
        return turn


WIRES: dict[str, type[Wire]] = {"anthropic": AnthropicWire, "responses": ResponsesWire, "chat": ChatWire}
