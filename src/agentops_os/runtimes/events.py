"""The one protocol every runtime speaks: typed events while it runs, a `RunResult` at the end.

A workflow listens to events (to show progress, to watch the live context budget) and reads
the result; it never parses a CLI's output itself, and it never knows which runtime it drove.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

# RunResult.status values
OK = "ok"
FAILED = "failed"  # the agent or its CLI reported an error (auth, model error, crash)
BUDGET = "budget"  # stopped by ao at the live context limit (or the cost limit)
TIMEOUT = "timeout"
CANCELLED = "cancelled"
STATUSES = (OK, FAILED, BUDGET, TIMEOUT, CANCELLED)


@dataclass(frozen=True)
class Usage:
    """Token counts of one model request. `input` excludes cached tokens (Anthropic's
    convention); Codex/OpenAI counts, which include them, are converted by their reader."""

    input: int = 0
    output: int = 0
    cache_read: int = 0
    cache_write: int = 0

    @property
    def context(self) -> int:
        """What filled the window at this request: everything the model was sent."""
        return self.input + self.cache_read + self.cache_write

    @property
    def total(self) -> int:
        return self.input + self.output + self.cache_read + self.cache_write

    def __add__(self, other: Usage) -> Usage:
        return Usage(self.input + other.input, self.output + other.output,
                     self.cache_read + other.cache_read, self.cache_write + other.cache_write)


@dataclass(frozen=True)
class Event:
    """Base of the typed events; `kind` names the subclass in JSON."""

    @property
    def kind(self) -> str:
        return _KINDS[type(self)]

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["kind"] = self.kind
        return data


@dataclass(frozen=True)
class Started(Event):
    session_id: str = ""
    model: str = ""
    cwd: str = ""


@dataclass(frozen=True)
class Text(Event):
    text: str = ""


@dataclass(frozen=True)
class ToolCall(Event):
    id: str = ""
    name: str = ""
    input: Any = None


@dataclass(frozen=True)
class ToolResult(Event):
    id: str = ""
    is_error: bool = False
    text: str = ""


@dataclass(frozen=True)
class UsageReport(Event):
    """One model request's usage, as soon as it is known (the live budget watches these)."""

    usage: Usage = field(default_factory=Usage)
    model: str = ""
    request_id: str = ""


@dataclass(frozen=True)
class Finished(Event):
    """The host's final accounting. A non-empty `usage` replaces the running sum (hosts
    repeat a response's usage on several lines; the final tally is authoritative)."""

    text: str = ""
    cost_usd: float | None = None
    usage: Usage = field(default_factory=Usage)
    context_window: int = 0


@dataclass(frozen=True)
class Failed(Event):
    error: str = ""


_KINDS: dict[type, str] = {Started: "started", Text: "text", ToolCall: "tool_call",
                           ToolResult: "tool_result", UsageReport: "usage", Finished: "finished",
                           Failed: "failed"}

Listener = Callable[[Event], None]


class Cancel:
    """Set from any thread (Ctrl-C, `ao rpi cancel`, the live budget) to stop a run."""

    def __init__(self) -> None:
        self._event = threading.Event()
        self.reason = ""

    def set(self, reason: str = "cancelled") -> None:
        if not self._event.is_set():
            self.reason = reason
        self._event.set()

    def is_set(self) -> bool:
        return self._event.is_set()

    def wait(self, timeout: float) -> bool:
        return self._event.wait(timeout)


@dataclass
class RunOptions:
    model: str = ""
    append_system_prompt: str = ""
    allowed_tools: tuple[str, ...] = ()
    permission_mode: str = ""
    session_id: str = ""  # start a session with this id (claude), or
    resume: str = ""  # continue that session (claude --resume / codex exec resume)
    timeout: float = 0.0  # seconds; 0 = none
    context_window: int = 0  # tokens; 0 = from config by model
    context_limit: float = 0.0  # fraction of the window; 0 = no live budget
    max_cost_usd: float = 0.0  # 0 = no limit
    cancel: Cancel = field(default_factory=Cancel)
    extra_args: tuple[str, ...] = ()


@dataclass
class RunResult:
    runtime: str
    status: str
    text: str = ""
    error: str = ""
    session_id: str = ""
    model: str = ""
    usage: Usage = field(default_factory=Usage)
    requests: int = 0
    context_peak: int = 0  # largest `Usage.context` of any request
    context_window: int = 0
    cost_usd: float | None = None
    duration_s: float = 0.0
    transcript: str = ""  # where the host wrote the session's transcript ("" if unknown)
    exit_code: int | None = None
    stderr_tail: str = ""

    @property
    def ok(self) -> bool:
        return self.status == OK

    @property
    def peak_fraction(self) -> float:
        return self.context_peak / self.context_window if self.context_window else 0.0

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["usage"] = asdict(self.usage)
        data["peak_fraction"] = round(self.peak_fraction, 4)
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> RunResult:
        known = {k: v for k, v in data.items() if k in cls.__dataclass_fields__}
        known["usage"] = Usage(**{k: int(v) for k, v in (data.get("usage") or {}).items()
                                  if k in Usage.__dataclass_fields__})
        return cls(**known)


def transcript_path(value: str) -> Path | None:
    return Path(value) if value else None
