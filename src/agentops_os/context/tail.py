"""The last request's context size, read from the end of a transcript.

The one implementation behind the UserPromptSubmit hook (every prompt) and
`context.live.tail_usage` (`ao context status`). Imports only `os` and the `_json`
scanner (`agentops_os.jsonscan`): no `json`/`re`, `pathlib`, `dataclasses` or `typing`,
which together would cost more than the hook's whole latency budget.

What fills the window at a request is what the API was sent: input + cache read + cache
write tokens of the last assistant response. Sidechain (subagent) lines and API-error
lines are skipped; Codex reports `token_count.last_token_usage` and its window.
"""

from __future__ import annotations

import os

from agentops_os.jsonscan import loads_or_none, make_scan
from agentops_os.transcripts.usage import context_tokens

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

# (tokens in context, model or None, window reported by the transcript or None)
Found = tuple[int, "str | None", "int | None"]

__all__ = ["Found", "context_tokens", "last_usage", "usage_of"]


def usage_of(record: dict[str, Any]) -> Found | None:
    """(tokens, model, window) of one transcript record, None if it reports no usage."""
    if record.get("type") == "assistant" and not record.get("isSidechain"):
        message = record.get("message")
        if isinstance(message, dict) and isinstance(message.get("usage"), dict):
            if record.get("isApiErrorMessage"):
                return None
            tokens = context_tokens(message["usage"])
            if tokens:
                model = message.get("model")
                return tokens, model if isinstance(model, str) else None, None
        return None
    if record.get("type") == "event_msg":  # Codex token_count
        payload = record.get("payload")
        if isinstance(payload, dict) and payload.get("type") == "token_count":
            info = payload.get("info")
            if isinstance(info, dict) and isinstance(info.get("last_token_usage"), dict):
                tokens = info["last_token_usage"].get("input_tokens")
                window = info.get("model_context_window")
                if isinstance(tokens, int):
                    return tokens, None, window if isinstance(window, int) else None
    return None


def last_usage(path: str | os.PathLike[str], tail_bytes: int = 262_144,
               max_bytes: int = 4 << 20) -> Found | None:
    """The last request's usage from the end of the file: `tail_bytes` first, widened
    4x at a time (up to `max_bytes`) when the tail holds no usage yet, e.g. after one
    huge tool result. None when the file is missing or reports no usage."""
    while True:
        found, whole_file = _tail_once(path, tail_bytes)
        if found is not None or whole_file or tail_bytes >= max_bytes:
            return found
        tail_bytes *= 4


def _tail_once(path: str | os.PathLike[str], tail_bytes: int) -> tuple[Found | None, bool]:
    try:
        with open(path, "rb") as handle:
            size = handle.seek(0, os.SEEK_END)
            start = max(0, size - tail_bytes)
            handle.seek(start)
            data = handle.read()
    except OSError:
        return None, True
    lines = data.split(b"\n")
    if start > 0:
        lines = lines[1:]  # the first piece is a cut line
    scan = make_scan()
    for raw in reversed(lines):
        if b'"usage"' not in raw and b"token_count" not in raw:
            continue
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            continue
        record = loads_or_none(text, scan)
        if isinstance(record, dict):
            found = usage_of(record)
            if found is not None:
                return found, start == 0
    return None, start == 0
