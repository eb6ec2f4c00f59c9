"""The usage model every reader of Claude Code usage shares: the token columns of one
request, the key that identifies a request across lines and files, and which of a
streamed response's lines is its final state.

The session ledger (`sessions.ingest`), budgets (`budgets.usage`) and the live context
size (`context.tail`) read transcripts at different speeds and for different ends, but
they must agree on what a request is and what it used; otherwise a budget stops a
session at a different total than `ao usage` reports (docs/usage.md).

Imports nothing: `context.tail` runs on the UserPromptSubmit hook path.
"""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

# The columns of a request's counts, in order: (input, output, cache write 5m,
# cache write 1h, cache read). A plain tuple: ingest builds about a million of them.
COLUMNS = ("input", "output", "cache_write_5m", "cache_write_1h", "cache_read")
Counts = tuple[int, int, int, int, int]

_CONTEXT_KEYS = ("input_tokens", "cache_read_input_tokens", "cache_creation_input_tokens")


def _int(value: Any) -> int:
    return value if value.__class__ is int else 0


def claude_counts(usage: dict[str, Any]) -> Counts:
    """The counts of one Claude `message.usage` block. The 1-hour cache writes are split
    out of `cache_creation_input_tokens` by the `cache_creation` breakdown (2.x); 1.x
    lines have no breakdown and count every write as a 5-minute one."""
    inp = _int(usage.get("input_tokens"))
    out = _int(usage.get("output_tokens"))
    written = _int(usage.get("cache_creation_input_tokens"))
    read = _int(usage.get("cache_read_input_tokens"))
    breakdown = usage.get("cache_creation")
    written_1h = 0
    if isinstance(breakdown, dict):
        written_1h = _int(breakdown.get("ephemeral_1h_input_tokens"))
        if not written:
            written = _int(breakdown.get("ephemeral_5m_input_tokens")) + written_1h
    return inp, out, max(0, written - written_1h), written_1h, read


def claude_request_key(message_id: object, request_id: object, path: object, line: int) -> str:
    """One request's identity. Streamed lines of a response repeat `message.id` and
    `requestId`, also across a session's main and subagent files; a line without both
    (very old transcripts) is a request of its own, as in ccusage. The text is stable:
    the ledger stores its hash as the row id."""
    if message_id and request_id:
        return f"c:{message_id}:{request_id}"
    return f"c:{path}:{line}"


def rank(values: tuple[int, ...]) -> tuple[int, ...]:
    """Order of a response's lines: total tokens, then output, then the rest. The
    greatest is the response's final state (the line ccusage keeps); a total order, so
    the kept line never depends on the order lines are read in."""
    return (sum(values), values[1], values[0], values[2], values[3], values[4])


def total(values: tuple[int, ...]) -> int:
    """All tokens of a request: what budgets and `ao usage` call its tokens."""
    return sum(values)


# A request whose prompt exceeds this many tokens is priced at a model's `above_200k` rates.
LONG_CONTEXT = 200_000


def prompt_tokens(values: tuple[int, ...]) -> int:
    """What a request sent: input + cache writes + cache read (everything but output)."""
    return values[0] + values[2] + values[3] + values[4]


def long_context(values: tuple[int, ...]) -> bool:
    return prompt_tokens(values) > LONG_CONTEXT


def context_tokens(usage: dict[str, Any]) -> int:
    """What filled the context window at one request: input + cache read + cache write."""
    count = 0
    for key in _CONTEXT_KEYS:
        count += _int(usage.get(key))
    return count
