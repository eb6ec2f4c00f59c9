"""What an export already sent of each session, so that no span is sent twice.

One JSON file per session under `.agents/.index/otel/` (derived, gitignored): the ids of
the session's trace (`trace_id`, its `invoke_agent` span `span_id`, the `TRACEPARENT`
span it hangs under, if any), whether that session span went out, and the identities of
the requests (`sessions_requests.key`) and tool calls (`tool_use_id`) sent so far. A live
export (`ao export otel --session ID --live`, started by the Stop hook after each turn)
creates it; every later export of that session (the SessionEnd export, a nightly
`ao export otel`) reads it, sends only the rest under the same trace, and updates it.
Sessions without a memory are exported whole, as before.

Exports hold one lock (`.agents/.index/otel/.lock`) from reading the memories to writing
them, so two turns ending close together, or the last turn and the session's end, never
send the same span twice. Deleting a memory (or the whole `.index/`) makes the next export
send that session again from the start. Plain data and stdlib only: no OpenTelemetry import.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson

from agentops_os.errors import FatalError, located

DIRECTORY = "otel"
SCHEMA_VERSION = 1
_SAFE = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.@")


@dataclass
class SessionMemory:
    key: str  # the session's ledger key
    trace_id: int
    span_id: int  # the session's invoke_agent span
    parent_span_id: int = 0  # the TRACEPARENT span the session hangs under; 0 = none
    trace_flags: int = 1  # of that parent (1 = sampled)
    root_sent: bool = False
    requests: set[int] = field(default_factory=set)
    tools: set[str] = field(default_factory=set)
    exports: int = 0
    stored: bool = False  # read from disk (else made by this export)

    def to_json(self) -> dict[str, Any]:
        return {"schema_version": SCHEMA_VERSION, "key": self.key, "trace_id": f"{self.trace_id:032x}",
                "span_id": f"{self.span_id:016x}",
                "parent_span_id": f"{self.parent_span_id:016x}" if self.parent_span_id else "",
                "trace_flags": self.trace_flags, "root_sent": self.root_sent, "exports": self.exports,
                "requests": sorted(self.requests), "tools": sorted(self.tools)}


class Memory:
    """The memories of one repository's exports."""

    def __init__(self, root: Path) -> None:
        from agentops_os.repo import index_dir

        self.dir = index_dir(Path(root)) / DIRECTORY

    def path(self, key: str) -> Path:
        name = "".join(c if c in _SAFE else "-" for c in key)[:150].lstrip(".") or "session"
        return self.dir / f"{name}.json"

    @contextlib.contextmanager
    def locked(self) -> Iterator[Memory]:
        from agentops_os.store.atomic import locked

        self.dir.mkdir(parents=True, exist_ok=True)
        with locked(self.dir / ".lock"):
            yield self

    def get(self, key: str) -> SessionMemory | None:
        path = self.path(key)
        try:
            data = orjson.loads(path.read_bytes())
        except FileNotFoundError:
            return None
        except (OSError, orjson.JSONDecodeError) as exc:
            raise FatalError(located(path, None, f"unreadable export memory ({exc}); delete it to send "
                                                 "the session again")) from None
        try:
            if not isinstance(data, dict) or data.get("key") != key:
                raise ValueError("not the memory of this session")
            return SessionMemory(
                key=key, trace_id=int(data["trace_id"], 16), span_id=int(data["span_id"], 16),
                parent_span_id=int(data["parent_span_id"] or "0", 16), trace_flags=int(data["trace_flags"]),
                root_sent=bool(data["root_sent"]), requests={int(r) for r in data["requests"]},
                tools={str(t) for t in data["tools"]}, exports=int(data["exports"]), stored=True)
        except (KeyError, TypeError, ValueError) as exc:
            raise FatalError(located(path, None, f"not an export memory ({exc}); delete it to send the "
                                                 "session again")) from None

    def put(self, memory: SessionMemory) -> None:
        from agentops_os.store.atomic import write_atomic

        write_atomic(self.path(memory.key), orjson.dumps(memory.to_json()) + b"\n")
