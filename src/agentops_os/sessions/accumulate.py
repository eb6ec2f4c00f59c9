"""What ingest gathers per transcript file: the facts of its session (counters, first
prompt, files touched, tools) and its requests, keyed and ranked by the shared usage
model (`transcripts.usage`)."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

from agentops_os.hosts import CLAUDE_CODE
from agentops_os.transcripts import model as m
from agentops_os.transcripts.locate import is_claude_subagent_file
from agentops_os.transcripts.usage import claude_counts, claude_request_key, rank

FILE_TOOLS = {"Edit": "file_path", "Write": "file_path", "MultiEdit": "file_path",
              "NotebookEdit": "notebook_path"}
_PATCH_FILE = re.compile(r"^\*\*\* (?:Update|Add|Delete) File: (.+)$", re.MULTILINE)
MAX_FILES_TOUCHED = 500


# -- per-file facts --------------------------------------------------------------------------

def new_facts(agent: str, path: Path) -> dict[str, Any]:
    return {
        "agent": agent, "session_id": None, "cwd": None, "branch": None, "version": None,
        "subagent": agent == CLAUDE_CODE and is_claude_subagent_file(path), "agent_id": None,
        "start": None, "end": None, "last_ts": None, "active": 0.0,
        "user_turns": 0, "tools": {}, "tool_results": 0, "tool_errors": 0, "compactions": 0,
        "files": [], "files_outside": 0, "title": None, "unknown": 0, "unknown_types": {},
        "codex": None,
    }


MAX_UNKNOWN_TYPES = 32  # distinct type names kept per file; the rest count as "<other>"


def count_unknown(facts: dict[str, Any], kind: Any) -> None:
    """Count a record whose type this reader does not know, by its type, so that a new
    record type a client starts writing is visible (`ao sessions ingest --verbose`)."""
    facts["unknown"] += 1
    types: dict[str, int] = facts.setdefault("unknown_types", {})
    name = kind[:60] if isinstance(kind, str) else f"<{type(kind).__name__}>"
    if name not in types and len(types) >= MAX_UNKNOWN_TYPES:
        name = "<other>"
    types[name] = types.get(name, 0) + 1


def _epoch(stamp: str | None) -> float | None:
    if not stamp:
        return None
    try:
        return datetime.fromisoformat(stamp).timestamp()
    except (ValueError, TypeError):  # TypeError: a timestamp that is not a string
        return None


class Accumulator:
    """Gathers one file's facts and requests from its normalized events."""

    def __init__(self, path: Path, facts: dict[str, Any], idle_gap: float, root: Path) -> None:
        self.path = path
        self.facts = facts
        self.idle_gap = idle_gap
        self.root = str(root).rstrip("/") + "/"
        self.files: set[str] = set(facts["files"])
        self.requests: dict[str, list[Any]] = {}
        self.tools: dict[str, int] = facts["tools"]
        self.last_stamp: str | None = None
        self.last_epoch: float | None = facts["last_ts"]
        self.file_id = 0

    def clock(self, stamp: str | None) -> float | None:
        if stamp is None:
            return None
        if stamp == self.last_stamp:  # streamed lines share one timestamp: parse once
            return self.last_epoch
        when = _epoch(stamp)
        if when is None:
            return None
        facts = self.facts
        if facts["start"] is None or when < facts["start"]:
            facts["start"] = when
        if facts["end"] is None or when > facts["end"]:
            facts["end"] = when
        if self.last_epoch is not None:
            gap = when - self.last_epoch
            if 0 < gap <= self.idle_gap:
                facts["active"] += gap
        self.last_stamp, self.last_epoch = stamp, when
        return when

    def meta(self, event: m.Event) -> None:
        facts = self.facts
        if facts["session_id"] is None and event.session_id:
            facts["session_id"] = event.session_id
        if facts["cwd"] is None and event.cwd:
            facts["cwd"] = event.cwd
        if event.git_branch:
            facts["branch"] = event.git_branch
        if facts["version"] is None and event.version:
            facts["version"] = event.version
        if facts["agent_id"] is None and event.agent_id:
            facts["agent_id"] = event.agent_id

    def touch(self, path: str) -> None:
        path = path.strip()
        if not path:
            return
        cwd = self.facts["cwd"] or ""
        if not path.startswith("/"):
            path = f"{cwd.rstrip('/')}/{path}" if cwd else path
        if path.startswith(self.root):
            rel = path[len(self.root):]
            if len(self.files) < MAX_FILES_TOUCHED:
                self.files.add(rel)
        elif path.startswith("/"):
            self.facts["files_outside"] += 1
        elif len(self.files) < MAX_FILES_TOUCHED:
            self.files.add(path)

    def tool_use(self, name: str, data: Any) -> None:
        self.tools[name] = self.tools.get(name, 0) + 1
        if isinstance(data, dict) and name in FILE_TOOLS:
            target = data.get(FILE_TOOLS[name])
            if isinstance(target, str):
                self.touch(target)
        elif name == "apply_patch" or name == "shell":
            # Codex: the patch is the custom tool's input, or inside a shell command's
            # arguments (`apply_patch <<'EOF' ...`); look at every string in it.
            for text in _strings(data):
                if "*** Begin Patch" in text:
                    for found in _PATCH_FILE.findall(text):
                        self.touch(found.strip())

    def tool_result(self, is_error: bool) -> None:
        self.facts["tool_results"] += 1
        if is_error:
            self.facts["tool_errors"] += 1

    def prompt(self, text: str | None) -> None:
        text = (text or "").strip()
        if text.startswith("<") and ("command-" in text[:40] or "local-command" in text[:40]):
            return  # slash-command plumbing, not a prompt the human typed
        facts = self.facts
        facts["user_turns"] += 1
        if facts["title"] is None and text:
            from agentops_os.store.redact import redact_text

            # redacted before it is cut (a cut token matches no rule) and before the index
            # stores it; ~1000 chars hold the 200 kept even after marks replace tokens
            facts["title"] = redact_text(text.splitlines()[0][:1000])[:200]

    def event(self, event: m.Event, when: float | None) -> None:
        kind = event.kind
        if kind == m.TOOL_USE:
            self.tool_use(event.tool_name or "?", event.tool_input)
        elif kind == m.TOOL_RESULT:
            self.tool_result(event.is_error)
        elif kind == m.USER_PROMPT:
            self.prompt(event.text)
        elif kind == m.COMPACT:
            self.facts["compactions"] += 1
        elif kind == m.UNKNOWN:
            count_unknown(self.facts, event.raw_type)

    def claude_request(self, message_id: str | None, request_id: str | None, model: str | None,
                       usage: dict[str, Any] | None, cost: float | None, sidechain: bool,
                       when: float | None, line: int) -> None:
        if usage is None or model == "<synthetic>":
            return
        key = claude_request_key(message_id, request_id, self.path, line)
        values = claude_counts(usage)
        when = when if when is not None else (self.last_epoch or 0.0)
        current = self.requests.get(key)
        if current is None:
            self.requests[key] = [when, model, sidechain, values, values, cost, cost, None, when]
            return
        # The final state of a streamed response is its line with the most tokens in all
        # (ties: more output) -- exactly the line ccusage 20 keeps; see docs/usage.md.
        best = current[4]
        if values != best and rank(values) > rank(best):
            current[4], current[6], current[0] = values, cost, when
        if current[1] is None and model:
            current[1] = model

    def codex_tokens(self, event: m.Event, when: float | None, line: int,
                     history_of: str | None = None) -> None:
        """One `token_count`: the request is the growth of the running total. Within a
        fork's copied history (`history_of`) the key is the ancestor's, so the copied
        requests are the very rows the ancestor's own rollout gives: counted once."""
        usage = event.usage or {}
        total = usage.get("total") or {}
        last = usage.get("last") or {}
        state = self.facts["codex"]
        previous = state.get("prev_total")
        if total and previous == total:
            return  # Codex repeats a token_count when nothing new was used
        delta: dict[str, int]
        if total and previous:
            delta = {k: _int(total.get(k)) - _int(previous.get(k)) for k in _CODEX_FIELDS}
            if any(v < 0 for v in delta.values()):
                delta = {k: _int(last.get(k)) for k in _CODEX_FIELDS}
        elif last:
            delta = {k: _int(last.get(k)) for k in _CODEX_FIELDS}
        else:
            delta = {k: _int(total.get(k)) for k in _CODEX_FIELDS}
        if total:
            state["prev_total"] = {k: _int(total.get(k)) for k in _CODEX_FIELDS}
        if state.get("response_records"):
            return  # this rollout reports each response itself (token_usage_record)
        values = _codex_values(delta)
        if not any(values):
            return
        ident = _int(total.get("total_tokens")) if total else line
        key = f"x:{history_of or self.facts['session_id']}:{ident}"
        self._codex_request(key, event, when, values, _int(last.get("input_tokens")))

    def codex_response(self, event: m.Event, when: float | None) -> None:
        """One `token_usage_record`: a response's own usage, keyed by its response id, so
        a response replayed in a fork or a sub-agent's copy of the history is one row."""
        self.facts["codex"]["response_records"] = True
        usage = event.usage or {}
        values = _codex_values({k: _int(usage.get(k)) for k in _CODEX_FIELDS})
        if not any(values):
            return
        ident = event.request_id or f"{self.facts['session_id']}:{event.line}"
        self._codex_request(f"x:r:{ident}", event, when, values, _int(usage.get("input_tokens")))

    def _codex_request(self, key: str, event: m.Event, when: float | None,
                       values: tuple[int, int, int, int, int], input_tokens: int) -> None:
        """Store one Codex request row; its prompt size is the reported input, or else the
        sum of its input, cache-write and cache-read columns."""
        when = when or 0.0
        prompt = input_tokens or (values[0] + values[2] + values[4])
        self.requests[key] = [when, event.model, False, values, values, None, None, prompt, when]


_CODEX_FIELDS = ("input_tokens", "cached_input_tokens", "cache_write_input_tokens", "output_tokens")


def _codex_values(delta: dict[str, int]) -> tuple[int, int, int, int, int]:
    """(input, output, cache write 5m, cache write 1h, cache read) of a Codex request.
    OpenAI's input_tokens include the cached and the cache-written parts: each is counted
    once, in its own column (cache writes priced as 5-minute writes, 1.25x input)."""
    cached = delta["cached_input_tokens"]
    written = delta["cache_write_input_tokens"]
    inp = max(0, delta["input_tokens"] - cached - written)
    return (inp, delta["output_tokens"], written, 0, cached)


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _strings(item)


def _int(value: Any) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else 0


def key_hash(key: str) -> int:
    """A request's identity as a signed 64-bit integer (the rowid of sessions_requests)."""
    return int.from_bytes(hashlib.blake2b(key.encode(), digest_size=8).digest(), "big", signed=True)


def head_hash(path: Path, length: int) -> str:
    with open(path, "rb") as handle:
        return hashlib.sha1(handle.read(length)).hexdigest()
