"""Incremental ingest of Claude Code and Codex transcripts into the index.

Per file the index remembers its identity (device + inode, size, mtime, a hash of its
first bytes) and the byte offset and line number read so far, plus the facts gathered
so far (counters, first prompt, timestamps, Codex reader state). Next time:
- same identity, size and mtime: the file is not even opened;
- same identity and head, grown: only the appended complete lines are read;
- anything else (rewritten, truncated, replaced): the file is read again from byte 0
  and its earlier requests are dropped first.

Requests are deduplicated in `sessions_requests` by key (see `usage.md`): Claude
`message.id`+`requestId` (per-field maximum = final state; and the first line seen, kept
separately for ccusage-compatible totals); Codex one row per `token_count` delta.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import orjson

from agentops_os.hosts import CLAUDE_CODE, CODEX
from agentops_os.parallel import worker_count
from agentops_os.store.redact import redact_value
from agentops_os.transcripts import claude
from agentops_os.transcripts import model as m
from agentops_os.transcripts.codex import CodexReader
from agentops_os.transcripts.jsonl import ReadStats, read_records
from agentops_os.transcripts.locate import (
    claude_config_dirs,
    claude_parent_session_of,
    claude_project_slug,
    codex_transcripts,
    detect_agent,
    is_claude_subagent_file,
)
from agentops_os.transcripts.usage import claude_counts, claude_request_key, long_context, prompt_tokens, rank

HEAD_BYTES = 4096
FILE_TOOLS = {"Edit": "file_path", "Write": "file_path", "MultiEdit": "file_path",
              "NotebookEdit": "notebook_path"}
_PATCH_FILE = re.compile(r"^\*\*\* (?:Update|Add|Delete) File: (.+)$", re.MULTILINE)
MAX_FILES_TOUCHED = 500
# Pending requests are written to the index every this many, so memory stays bounded on a
# single huge transcript; the upsert merges a response split across two flushes.
FLUSH_EVERY = 20_000
MAX_MALFORMED_REPORTED = 50

Wrap = Callable[[Iterable[Any], int], Iterable[Any]]  # a progress bar around an iterable


@dataclass
class IngestReport:
    files_seen: int = 0
    files_unchanged: int = 0
    files_read: int = 0
    files_reread: int = 0  # rewritten / truncated / replaced: read again from the start
    bytes_read: int = 0
    lines: int = 0
    malformed: int = 0
    malformed_at: list[str] = field(default_factory=list)  # "file:line", first few
    unknown_records: int = 0
    unknown_by_type: dict[str, int] = field(default_factory=dict)  # record type -> count
    requests: int = 0
    sessions_updated: list[str] = field(default_factory=list)
    out_of_scope: int = 0

    def as_dict(self) -> dict[str, Any]:
        return {
            "files_seen": self.files_seen, "files_unchanged": self.files_unchanged,
            "files_read": self.files_read, "files_reread": self.files_reread,
            "bytes_read": self.bytes_read, "lines": self.lines, "malformed": self.malformed,
            "malformed_at": self.malformed_at, "unknown_records": self.unknown_records,
            "unknown_by_type": dict(sorted(self.unknown_by_type.items())),
            "requests": self.requests, "sessions_updated": len(self.sessions_updated),
            "out_of_scope": self.out_of_scope,
        }


# -- discovery -----------------------------------------------------------------------------

def discover(root: Path, *, all_projects: bool = False, paths: list[Path] | None = None) -> list[Path]:
    """Transcript files in scope. Default: Claude project dirs of this repo (and its
    subdirectories) plus every Codex rollout (filtered by cwd when read)."""
    if paths:
        found: list[Path] = []
        for path in paths:
            if path.is_file():
                found.append(path.resolve())
            elif path.is_dir():
                found.extend(sorted(p.resolve() for p in path.rglob("*.jsonl")))
        return found
    slug = claude_project_slug(root)
    found = []
    for directory in claude_config_dirs():
        projects = directory / "projects"
        for project in sorted(p for p in projects.iterdir() if p.is_dir()):
            if all_projects or project.name == slug or project.name.startswith(slug + "-"):
                found.extend(_walk_jsonl(project))
    found.extend(codex_transcripts())
    return found


def _walk_jsonl(directory: Path) -> list[Path]:
    out = []
    for base, dirs, files in os.walk(directory):
        dirs.sort()
        for name in sorted(files):
            if name.endswith(".jsonl"):
                out.append(Path(base) / name)
    return out


def inside(path: str | None, root: Path) -> bool:
    if not path:
        return False
    text = str(root)
    return path == text or path.startswith(text.rstrip("/") + "/")


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


class _Accumulator:
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


def _key_hash(key: str) -> int:
    """A request's identity as a signed 64-bit integer (the rowid of sessions_requests)."""
    return int.from_bytes(hashlib.blake2b(key.encode(), digest_size=8).digest(), "big", signed=True)


def _head_hash(path: Path, length: int) -> str:
    with open(path, "rb") as handle:
        return hashlib.sha1(handle.read(length)).hexdigest()


# -- parsing one file (in this process or a worker) --------------------------------------------

PARALLEL_MIN_BYTES = 64 << 20  # below this a pool costs more than it saves
POOL_MAX_FILE = 256 << 20  # bigger files are parsed in the main process, spilling as they go
MAX_WORKERS = 4

Spill = Callable[["_Accumulator"], None]


@dataclass
class _Plan:
    path: Path
    st: os.stat_result
    agent: str
    offset: int
    first_line: int
    facts: dict[str, Any]
    file_id: int


@dataclass
class _Parsed:
    facts: dict[str, Any]
    requests: dict[str, list[Any]]
    stats: ReadStats
    rows: list[tuple[Any, ...]] | None = None  # `requests` as index rows, made by a worker


def pool_size(setting: int) -> int:
    """Worker processes for a big ingest: `sessions.ingest_workers`, 0 = one per usable CPU.

    On two cores two workers parse while this process writes the index: the writer mostly
    waits for parsed files, and parsing is two thirds of a cold ingest's CPU.
    """
    return worker_count(setting, MAX_WORKERS)


def _parse_job(args: tuple[str, str, int, int, dict[str, Any], float, str, int]) -> _Parsed | None:
    """A worker's whole job for one file: parse it and turn its requests into index rows,
    so the writing process only has to insert them."""
    path, agent, offset, first_line, facts, idle_gap, root, file_id = args
    parsed = parse_file(Path(path), agent, offset, first_line, facts, idle_gap, Path(root))
    if parsed is not None:
        parsed.rows = request_rows(parsed.requests, session_key(parsed.facts, Path(path)), file_id)
        parsed.requests = {}
    return parsed


def session_key(facts: dict[str, Any], path: Path) -> str:
    session = facts["session_id"] or claude_parent_session_of(path) or path.stem
    return f"{facts['agent']}-{session}"


def request_rows(requests: dict[str, list[Any]], key: str, file: int) -> list[tuple[Any, ...]]:
    """Rows of `sessions_requests` (in `_UPSERT`'s column order) for gathered requests."""
    rows = []
    for request_key, (when, model, sidechain, first, final, cost_first, cost_final, ctx, first_when) in \
            requests.items():
        prompt = prompt_tokens(final)
        rows.append((_key_hash(request_key), key, file, when, first_when, model, int(bool(sidechain)),
                     int(long_context(final)), ctx if ctx is not None else prompt,
                     *first, cost_first, *final, cost_final))
    return rows


def parse_file(path: Path, agent: str, offset: int, first_line: int, facts: dict[str, Any],
               idle_gap: float, root: Path, spill: Spill | None = None) -> _Parsed | None:
    """Read a transcript from `offset`, continuing `facts`; None if it vanished meanwhile."""
    facts = dict(facts)
    facts["tools"] = dict(facts["tools"])
    facts["unknown_types"] = dict(facts.get("unknown_types") or {})
    stats = ReadStats()
    acc = _Accumulator(path, facts, idle_gap, root)
    try:
        if agent == CODEX:
            _read_codex(path, offset, first_line, stats, acc, spill)
        else:
            _read_claude(path, offset, first_line, stats, acc, spill)
    except OSError:
        return None
    if facts["session_id"] is None:
        facts["session_id"] = claude_parent_session_of(path) or path.stem
    facts["files"] = sorted(acc.files)
    facts["last_ts"] = acc.last_epoch
    facts["malformed"] = facts.get("malformed", 0) + stats.malformed
    facts["lines"] = facts.get("lines", 0) + stats.lines
    return _Parsed(facts, acc.requests, stats)


def _read_claude(path: Path, offset: int, first_line: int, stats: ReadStats, acc: _Accumulator,
                 spill: Spill | None) -> None:
    """The per-line loop of a Claude transcript: `claude.events()` and `_Accumulator` fused.

    This runs once per line of every transcript (a cold ingest: about a million), so the
    record is read in place -- no tuples, no Events, set-once fields looked up only until
    found. tests/sessions/test_claude_loop.py checks it against a loop built on
    `claude.events()`, the reference reading.
    """
    facts = acc.facts
    clock, request, tool_use, prompt = acc.clock, acc.claude_request, acc.tool_use, acc.prompt
    requests = acc.requests
    bookkeeping = claude.BOOKKEEPING
    need_meta = (facts["session_id"] is None or facts["cwd"] is None or facts["version"] is None
                 or facts["agent_id"] is None)
    for line, record in read_records(path, offset, first_line, stats):
        if spill is not None and len(requests) >= FLUSH_EVERY:
            spill(acc)
            requests = acc.requests
        get = record.get
        stamp = get("timestamp")
        # streamed lines of one response often share a timestamp: skip the clock then
        when = acc.last_epoch if stamp is not None and stamp == acc.last_stamp else clock(stamp)
        if need_meta:
            if facts["session_id"] is None:
                facts["session_id"] = get("sessionId") or None
            if facts["cwd"] is None:
                facts["cwd"] = get("cwd") or None
            if facts["version"] is None:
                facts["version"] = get("version") or None
            if facts["agent_id"] is None:
                facts["agent_id"] = get("agentId") or None
            need_meta = (facts["session_id"] is None or facts["cwd"] is None or facts["version"] is None
                         or facts["agent_id"] is None)
        branch = get("gitBranch")
        if branch:
            facts["branch"] = branch
        kind = get("type")
        if kind == "assistant":
            message = get("message") or {}
            if message.__class__ is not dict:
                count_unknown(facts, kind)
                continue
            content = message.get("content")
            if not get("isApiErrorMessage"):
                usage = message.get("usage")
                if usage.__class__ is dict:
                    cost = get("costUSD")
                    request(message.get("id"), get("requestId"), message.get("model"), usage,
                            float(cost) if isinstance(cost, int | float) else None,
                            bool(get("isSidechain", False)), when, line)
            if content.__class__ is list:
                for block in content:
                    if block.__class__ is dict and block.get("type") == "tool_use":
                        tool_use(block.get("name") or "?", block.get("input"))
        elif kind == "user":
            message = get("message") or {}
            content = message.get("content") if message.__class__ is dict else None
            is_meta = bool(get("isMeta")) or bool(get("isCompactSummary"))
            if content.__class__ is str:
                if not is_meta:
                    prompt(content)
                continue
            if content.__class__ is not list:
                continue
            texts = []
            for block in content:
                if block.__class__ is not dict:
                    continue
                btype = block.get("type")
                if btype == "tool_result":
                    facts["tool_results"] += 1
                    if block.get("is_error"):
                        facts["tool_errors"] += 1
                elif btype == "text":
                    texts.append(str(block.get("text", "")))
            if texts and not is_meta:
                prompt("\n".join(texts))
        elif kind == "system":
            if get("subtype") == "compact_boundary":
                facts["compactions"] += 1
        elif kind != "summary" and not (kind.__class__ is str and kind in bookkeeping):
            count_unknown(facts, kind)


def _read_codex(path: Path, offset: int, first_line: int, stats: ReadStats, acc: _Accumulator,
                spill: Spill | None) -> None:
    state = dict(acc.facts["codex"] or {})
    acc.facts["codex"] = state
    reader = CodexReader(state.get("session_id"))
    for name in _CODEX_STATE:
        if name in state:
            setattr(reader, name, state[name])
    for line, record in read_records(path, offset, first_line, stats):
        if spill is not None and len(acc.requests) >= FLUSH_EVERY:
            spill(acc)
        for event in reader.events(record, line):
            when = acc.clock(event.timestamp)
            acc.meta(event)
            if event.kind == m.TOKEN_COUNT:
                acc.codex_tokens(event, when, line, reader.history_of)
            elif event.kind == m.RESPONSE_USAGE:
                acc.codex_response(event, when)
            else:
                acc.event(event, when)
    state["session_id"] = reader.session_id
    for name in _CODEX_STATE:
        state[name] = getattr(reader, name)


# What a CodexReader knows that the next incremental read of the same rollout needs.
_CODEX_STATE = ("model", "cwd", "version", "git_branch", "context_window", "meta_seen", "history_of")


# -- the ingest ---------------------------------------------------------------------------------

class Ingestor:
    def __init__(self, index: Any, root: Path, *, idle_gap: float = 300.0, all_projects: bool = False,
                 verbose: bool = False, workers: int = 0) -> None:
        self.index = index
        self.conn = index.conn
        self.root = Path(root).resolve()
        self.idle_gap = idle_gap
        self.all_projects = all_projects
        self.verbose = verbose
        self.workers = workers
        self.report = IngestReport()
        self.touched: set[str] = set()
        self.dropped: list[int] = []  # files read again from the start: their requests go first

    def run(self, files: list[Path], wrap: Wrap | None = None) -> IngestReport:
        rows = {row["path"]: row for row in self.conn.execute(
            "SELECT id, path, dev, ino, size, mtime_ns, head_len, head_hash, offset, line"
            " FROM sessions_files")}
        self.report.files_seen = len(files)
        # A bigger page cache for this connection: a cold ingest upserts hundreds of
        # thousands of rows, and SQLite's 2 MB default made it re-read index pages.
        self.conn.execute("PRAGMA cache_size = -65536")
        # The index is derivable (a crash at worst costs a rebuild), so an ingest does not
        # wait for the disk: fsyncs of a few hundred MB of WAL dominated cold-ingest wall time.
        self.conn.execute("PRAGMA synchronous = OFF")
        with self.index.transaction():
            plans: list[_Plan] = []
            for path in files:
                try:
                    st = path.stat()
                except OSError:
                    continue
                row = rows.get(str(path))
                if (row is not None and row["ino"] == st.st_ino and row["dev"] == st.st_dev
                        and row["size"] == st.st_size and row["mtime_ns"] == st.st_mtime_ns):
                    self.report.files_unchanged += 1
                    continue
                plan = self._plan(path, st, row)
                if plan is not None:
                    plans.append(plan)
            self._drop_requests()
            for plan, parsed in self._parse_all(plans, wrap):
                if parsed is not None:
                    self._apply(plan, parsed)
            # Left over by an earlier run that stopped before its summaries were stored.
            self.touched.update(row[0] for row in self.conn.execute("SELECT key FROM sessions_pending"))
            self.conn.executemany("INSERT OR IGNORE INTO sessions_pending(key) VALUES (?)",
                                  [(key,) for key in self.touched])
        self.report.sessions_updated = sorted(self.touched)
        return self.report

    def _parse_all(self, plans: list[_Plan], wrap: Wrap | None) -> Iterator[tuple[_Plan, _Parsed | None]]:
        """Parse changed files, in worker processes when there is a lot to read.

        Workers read, count and prepare rows; every index write stays in this process, in
        the order of `plans` (so the result never depends on which worker was faster). Files
        too big to hold one's requests in memory are parsed here, spilling as they go.
        """
        todo = sum(p.st.st_size - p.offset for p in plans)
        workers = min(pool_size(self.workers), len(plans))
        pooled = [p for p in plans if p.st.st_size <= POOL_MAX_FILE] \
            if workers >= 2 and todo >= PARALLEL_MIN_BYTES else []
        local = [p for p in plans if p.st.st_size > POOL_MAX_FILE] if pooled else plans
        progress = wrap(iter(range(len(plans))), len(plans)) if wrap else None
        tick = iter(progress) if progress is not None else None
        if pooled:
            import multiprocessing

            method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
            context = multiprocessing.get_context(method)
            args = [(str(p.path), p.agent, p.offset, p.first_line, p.facts, self.idle_gap, str(self.root),
                     p.file_id) for p in pooled]
            with context.Pool(workers) as pool:
                for plan, parsed in zip(pooled, pool.imap(_parse_job, args, chunksize=2), strict=True):
                    if tick is not None:
                        next(tick, None)
                    yield plan, parsed
        for plan in local:
            if tick is not None:
                next(tick, None)

            def spill(acc: _Accumulator, plan: _Plan = plan) -> None:
                self._spill(plan, acc)

            yield plan, parse_file(plan.path, plan.agent, plan.offset, plan.first_line, plan.facts,
                                   self.idle_gap, self.root, spill=spill)
        if tick is not None:
            for _ in tick:
                pass

    def _plan(self, path: Path, st: os.stat_result, row: Any) -> _Plan | None:
        agent = detect_agent(path)
        resume = False
        if row is not None and row["ino"] == st.st_ino and row["dev"] == st.st_dev \
                and st.st_size >= row["offset"] and row["head_hash"]:
            try:
                resume = _head_hash(path, row["head_len"]) == row["head_hash"]
            except OSError:
                return None
        saved = None
        if resume:
            saved = self.conn.execute("SELECT facts FROM sessions_files WHERE id = ?",
                                      (row["id"],)).fetchone()
            resume = bool(saved and saved[0])
        if resume and saved:
            facts = orjson.loads(saved[0])
            offset, first_line = row["offset"], row["line"]
        else:
            if agent == CODEX and not self.all_projects and not self._codex_in_scope(path):
                self.report.out_of_scope += 1
                return None
            if row is not None:
                self.report.files_reread += 1
                old = self.conn.execute("SELECT session_key FROM sessions_files WHERE id = ?",
                                        (row["id"],)).fetchone()
                if old and old[0]:
                    self.touched.add(old[0])
                self.dropped.append(row["id"])
            facts = new_facts(agent, path)
            offset, first_line = 0, 1
        if row is not None:
            file_id = row["id"]
        else:
            self.conn.execute("INSERT OR IGNORE INTO sessions_files(path) VALUES (?)", (str(path),))
            file_id = self.conn.execute("SELECT id FROM sessions_files WHERE path = ?",
                                        (str(path),)).fetchone()[0]
        return _Plan(path, st, agent, offset, first_line, facts, file_id)

    def _drop_requests(self) -> None:
        """Delete the requests of files read again, in one pass (`file` has no index: it
        would cost every insert of a cold ingest to save a rare rewrite a table scan)."""
        if not self.dropped:
            return
        self.conn.execute("CREATE TEMP TABLE IF NOT EXISTS dropped_files (id INTEGER PRIMARY KEY)")
        self.conn.execute("DELETE FROM temp.dropped_files")
        self.conn.executemany("INSERT OR IGNORE INTO temp.dropped_files(id) VALUES (?)",
                              [(i,) for i in self.dropped])
        self.conn.execute("DELETE FROM sessions_requests WHERE file IN (SELECT id FROM temp.dropped_files)")
        self.dropped = []

    def _spill(self, plan: _Plan, acc: _Accumulator) -> None:
        self._write_rows(request_rows(acc.requests, session_key(acc.facts, plan.path), plan.file_id))
        acc.requests = {}

    def _apply(self, plan: _Plan, parsed: _Parsed) -> None:
        path, st, agent = plan.path, plan.st, plan.agent
        facts, stats = parsed.facts, parsed.stats
        unknown_before = plan.facts["unknown"]
        types_before: dict[str, int] = plan.facts.get("unknown_types") or {}
        key = session_key(facts, path)
        rows = parsed.rows if parsed.rows is not None else request_rows(parsed.requests, key, plan.file_id)
        self._write_rows(rows)
        head_len = min(st.st_size, HEAD_BYTES)
        self.conn.execute(
            "INSERT INTO sessions_files(path, dev, ino, size, mtime_ns, head_len, head_hash, offset, line,"
            " agent, session_key, cwd, lines, malformed, unknown, facts)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
            " ON CONFLICT(path) DO UPDATE SET dev=excluded.dev, ino=excluded.ino, size=excluded.size,"
            " mtime_ns=excluded.mtime_ns, head_len=excluded.head_len, head_hash=excluded.head_hash,"
            " offset=excluded.offset, line=excluded.line, agent=excluded.agent,"
            " session_key=excluded.session_key, cwd=excluded.cwd,"
            " lines=excluded.lines,"
            " malformed=excluded.malformed, unknown=excluded.unknown, facts=excluded.facts",
            (str(path), st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns, head_len,
             _head_hash(path, head_len), stats.end_offset, stats.end_line, agent, key, facts["cwd"],
             facts["lines"], facts["malformed"], facts["unknown"], orjson.dumps(redact_value(facts))))
        self.touched.add(key)
        report = self.report
        report.files_read += 1
        report.bytes_read += stats.end_offset - plan.offset
        report.lines += stats.lines
        report.malformed += stats.malformed
        report.unknown_records += facts["unknown"] - unknown_before
        for name, count in facts["unknown_types"].items():
            added = count - types_before.get(name, 0)
            if added > 0:
                report.unknown_by_type[name] = report.unknown_by_type.get(name, 0) + added
        for number in stats.malformed_at:
            if len(report.malformed_at) < MAX_MALFORMED_REPORTED:
                report.malformed_at.append(f"{path}:{number}")

    def _codex_in_scope(self, path: Path) -> bool:
        reader = CodexReader()
        try:
            for line, record in read_records(path):
                reader.events(record, line)
                if reader.cwd:
                    return inside(reader.cwd, self.root)
                if line > 5:
                    break
        except OSError:
            return False
        return False

    def _write_rows(self, rows: list[tuple[Any, ...]]) -> None:
        if rows:
            self.conn.executemany(_UPSERT, rows)
            self.report.requests += len(rows)


_NEW = "(excluded.input + excluded.output + excluded.cw5m + excluded.cw1h + excluded.cr, excluded.output," \
    " excluded.input, excluded.cw5m, excluded.cw1h, excluded.cr)"
_OLD = "(input + output + cw5m + cw1h + cr, output, input, cw5m, cw1h, cr)"
_WINS = f"{_NEW} > {_OLD}"
# A response split across two reads (or repeated in a resumed session's file) merges
# here: the first-seen columns stay, the final columns take the higher-ranked line.
# SQLite evaluates every right-hand side against the old row, so _WINS is stable.
_UPSERT = (
    "INSERT INTO sessions_requests(key, session_key, file, ts, f_ts, model, sidechain, long_ctx, ctx,"
    " f_input, f_output, f_cw5m, f_cw1h, f_cr, f_cost, input, output, cw5m, cw1h, cr, cost)"
    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
    " ON CONFLICT(key) DO UPDATE SET "
    + ", ".join(f"{col} = CASE WHEN {_WINS} THEN excluded.{col} ELSE {col} END"
                for col in ("input", "output", "cw5m", "cw1h", "cr", "cost", "ts", "ctx", "long_ctx"))
    + ", model = coalesce(model, excluded.model)"
)


def iter_sessions_of(conn: Any, keys: Iterable[str]) -> Iterator[tuple[str, list[dict[str, Any]]]]:
    """(session key, facts of each of its files) for the given keys."""
    for key in keys:
        facts = [orjson.loads(row[0]) for row in conn.execute(
            "SELECT facts FROM sessions_files WHERE session_key = ? ORDER BY path", (key,))]
        yield key, facts
