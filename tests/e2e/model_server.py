"""A scripted model server on 127.0.0.1 for the end-to-end tier.

It speaks the two streaming wire formats the real clients use — the Anthropic Messages API
(`POST /v1/messages`, server-sent events) for Claude Code and the OpenAI Responses API
(`POST /v1/responses`, server-sent events) for Codex — and replays scripted turns: text,
tool calls, and the usage each turn reports. Every request is recorded so a test can see
what the client really sent (the tool result the guard produced, the primed context).

Only requests that offer tools are the agent's turns; the clients also make side calls
without tools (titles, summaries), and those get a short text reply without consuming a
turn, so a script stays the agent's conversation whatever a client version adds.
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class Turn:
    """One scripted model reply: optional text, then tool calls (name, input)."""

    text: str = ""
    tools: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    input_tokens: int = 1000
    output_tokens: int = 50
    cache_read: int = 0
    cache_creation: int = 0


@dataclass
class Recorded:
    path: str
    body: dict[str, Any]
    agent_turn: bool
    usage: dict[str, int] = field(default_factory=dict)


class ModelServer:
    """`with ModelServer(turns) as server:` then point a client at `server.url`."""

    def __init__(
        self, turns: list[Turn], *, final_text: str = "Done.", routes: dict[str, list[Turn]] | None = None
    ) -> None:
        """`routes` gives conversations that run at the same time (swarm tasks) their own
        turns: a request whose messages contain the key gets that route's next turn."""
        self.turns = list(turns)
        self.routes = {key: list(value) for key, value in (routes or {}).items()}
        self.route_served: dict[str, int] = dict.fromkeys(self.routes, 0)
        self.final = Turn(text=final_text, input_tokens=1200, output_tokens=20)
        self.requests: list[Recorded] = []
        self.lock = threading.Lock()
        self.served = 0
        handler = type("Handler", (_Handler,), {"owner": self})
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def __enter__(self) -> ModelServer:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    def agent_requests(self) -> list[Recorded]:
        return [r for r in self.requests if r.agent_turn]

    def reported(self) -> dict[str, int]:
        """Token totals the server reported on the agent's turns."""
        total: dict[str, int] = {}
        for request in self.agent_requests():
            for key, value in request.usage.items():
                total[key] = total.get(key, 0) + value
        return total

    def next_turn(self, body: dict[str, Any], path: str) -> tuple[Turn, bool]:
        agent = bool(body.get("tools"))
        with self.lock:
            route = self._route(body) if agent else None
            if not agent:
                turn = Turn(text="ok", input_tokens=10, output_tokens=2)
            elif route is not None:
                served = self.route_served[route]
                queue = self.routes[route]
                turn = queue[served] if served < len(queue) else self.final
                self.route_served[route] = served + 1
            elif self.served < len(self.turns):
                turn = self.turns[self.served]
                self.served += 1
            else:
                turn = self.final
            self.requests.append(Recorded(path, body, agent))
            return turn, agent

    def _route(self, body: dict[str, Any]) -> str | None:
        if not self.routes:
            return None
        text = json.dumps(body.get("messages") or body.get("input") or [])
        return next((key for key in self.routes if key in text), None)

    def note_usage(self, usage: dict[str, int]) -> None:
        with self.lock:
            self.requests[-1].usage = usage


class _Handler(BaseHTTPRequestHandler):
    owner: ModelServer
    protocol_version = "HTTP/1.1"

    def log_message(self, *args: object) -> None:  # quiet: tests read the recording
        pass

    def do_HEAD(self) -> None:
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def do_GET(self) -> None:
        # Model listings and health probes: an empty, valid answer.
        self._json(200, {"data": [], "models": [], "object": "list"})

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        try:
            body = json.loads(raw or b"{}")
        except ValueError:
            body = {}
        path = self.path.split("?", 1)[0]
        if path.endswith("/count_tokens"):
            self._json(200, {"input_tokens": 100})
            return
        turn, agent = self.owner.next_turn(body, path)
        if path.endswith("/messages"):
            usage = self._anthropic(body, turn)
        elif path.endswith("/responses"):
            usage = self._responses(body, turn)
        else:
            self._json(404, {"error": {"type": "not_found", "message": f"no route {path}"}})
            return
        self.owner.note_usage(usage)

    # -- Anthropic Messages, streamed -------------------------------------------------
    def _anthropic(self, body: dict[str, Any], turn: Turn) -> dict[str, int]:
        usage = {
            "input_tokens": turn.input_tokens,
            "output_tokens": turn.output_tokens,
            "cache_read_input_tokens": turn.cache_read,
            "cache_creation_input_tokens": turn.cache_creation,
        }
        n = len(self.owner.requests)
        message = {
            "id": f"msg_e2e_{n:04d}",
            "type": "message",
            "role": "assistant",
            "model": body.get("model", "claude-sonnet-4-5"),
            "content": [],
            "stop_reason": None,
            "stop_sequence": None,
            # The real API also splits cache writes by lifetime; Claude Code records the split.
            "usage": {
                **usage,
                "output_tokens": 1,
                "cache_creation": {
                    "ephemeral_5m_input_tokens": turn.cache_creation,
                    "ephemeral_1h_input_tokens": 0,
                },
            },
        }
        if not body.get("stream"):
            content: list[dict[str, Any]] = [{"type": "text", "text": turn.text or "ok"}]
            content += [
                {"type": "tool_use", "id": f"toolu_e2e_{n:04d}_{i}", "name": name, "input": args}
                for i, (name, args) in enumerate(turn.tools)
            ]
            stop = "tool_use" if turn.tools else "end_turn"
            self._json(200, {**message, "content": content, "stop_reason": stop, "usage": usage})
            return usage
        self._start_sse()
        self._event("message_start", {"type": "message_start", "message": message})
        index = 0
        if turn.text:
            self._event(
                "content_block_start",
                {
                    "type": "content_block_start",
                    "index": index,
                    "content_block": {"type": "text", "text": ""},
                },
            )
            self._event(
                "content_block_delta",
                {
                    "type": "content_block_delta",
                    "index": index,
                    "delta": {"type": "text_delta", "text": turn.text},
                },
            )
            self._event("content_block_stop", {"type": "content_block_stop", "index": index})
            index += 1
        for i, (name, args) in enumerate(turn.tools):
            block = {"type": "tool_use", "id": f"toolu_e2e_{n:04d}_{i}", "name": name, "input": {}}
            self._event(
                "content_block_start", {"type": "content_block_start", "index": index, "content_block": block}
            )
            self._event(
                "content_block_delta",
                {
                    "type": "content_block_delta",
                    "index": index,
                    "delta": {"type": "input_json_delta", "partial_json": json.dumps(args)},
                },
            )
            self._event("content_block_stop", {"type": "content_block_stop", "index": index})
            index += 1
        stop = "tool_use" if turn.tools else "end_turn"
        self._event(
            "message_delta",
            {
                "type": "message_delta",
                "delta": {"stop_reason": stop, "stop_sequence": None},
                "usage": {"output_tokens": turn.output_tokens},
            },
        )
        self._event("message_stop", {"type": "message_stop"})
        self._end_sse()
        return usage

    # -- OpenAI Responses, streamed ---------------------------------------------------
    def _responses(self, body: dict[str, Any], turn: Turn) -> dict[str, int]:
        n = len(self.owner.requests)
        rid = f"resp_e2e_{n:04d}"
        usage = {
            "input_tokens": turn.input_tokens,
            "output_tokens": turn.output_tokens,
            "cached_input_tokens": turn.cache_read,
        }
        response = {
            "id": rid,
            "object": "response",
            "status": "in_progress",
            "model": body.get("model", "gpt-5-codex"),
            "output": [],
        }
        self._start_sse()
        seq = iter(range(10_000))
        self._event(
            "response.created",
            {"type": "response.created", "sequence_number": next(seq), "response": response},
        )
        output: list[dict[str, Any]] = []
        if turn.text:
            item = {
                "type": "message",
                "id": f"msg_{rid}",
                "role": "assistant",
                "status": "completed",
                "content": [{"type": "output_text", "text": turn.text, "annotations": []}],
            }
            index = len(output)
            self._event(
                "response.output_item.added",
                {
                    "type": "response.output_item.added",
                    "sequence_number": next(seq),
                    "output_index": index,
                    "item": {**item, "status": "in_progress", "content": []},
                },
            )
            self._event(
                "response.output_text.delta",
                {
                    "type": "response.output_text.delta",
                    "sequence_number": next(seq),
                    "item_id": item["id"],
                    "output_index": index,
                    "content_index": 0,
                    "delta": turn.text,
                },
            )
            self._event(
                "response.output_item.done",
                {
                    "type": "response.output_item.done",
                    "sequence_number": next(seq),
                    "output_index": index,
                    "item": item,
                },
            )
            output.append(item)
        for i, (name, args) in enumerate(turn.tools):
            item = {
                "type": "function_call",
                "id": f"fc_{rid}_{i}",
                "call_id": f"call_{rid}_{i}",
                "name": name,
                "arguments": json.dumps(args),
                "status": "completed",
            }
            index = len(output)
            self._event(
                "response.output_item.added",
                {
                    "type": "response.output_item.added",
                    "sequence_number": next(seq),
                    "output_index": index,
                    "item": {**item, "arguments": "", "status": "in_progress"},
                },
            )
            self._event(
                "response.output_item.done",
                {
                    "type": "response.output_item.done",
                    "sequence_number": next(seq),
                    "output_index": index,
                    "item": item,
                },
            )
            output.append(item)
        wire_usage = {
            "input_tokens": turn.input_tokens,
            "input_tokens_details": {"cached_tokens": turn.cache_read},
            "output_tokens": turn.output_tokens,
            "output_tokens_details": {"reasoning_tokens": 0},
            "total_tokens": turn.input_tokens + turn.output_tokens,
        }
        done = {**response, "status": "completed", "output": output, "usage": wire_usage}
        self._event(
            "response.completed",
            {"type": "response.completed", "sequence_number": next(seq), "response": done},
        )
        self._end_sse()
        return usage

    # -- plumbing ---------------------------------------------------------------------
    def _json(self, status: int, payload: dict[str, Any]) -> None:
        data = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _start_sse(self) -> None:
        self.send_response(200)
        # The real APIs name every response; Claude Code records it as the message's
        # requestId, which (with the message id) is how duplicates are recognised.
        self.send_header("request-id", f"req_e2e_{len(self.owner.requests):04d}")
        self.send_header("x-request-id", f"req_e2e_{len(self.owner.requests):04d}")
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-cache")
        self.send_header("Connection", "close")
        self.end_headers()
        self.close_connection = True

    def _event(self, name: str, data: dict[str, Any]) -> None:
        self.wfile.write(f"event: {name}\ndata: {json.dumps(data)}\n\n".encode())
        self.wfile.flush()

    def _end_sse(self) -> None:
        self.wfile.flush()
