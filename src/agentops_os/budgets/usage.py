"""Token and cost usage of one agent session, read incrementally from its transcripts.

The one place budgets learn usage: `session_usage`. It reads Claude Code's transcript
(`transcript_path` of the hook payload) and the session's subagent transcripts from the
byte offsets it stopped at last time, with the session ledger's usage model
(`transcripts.usage`: the same counts, the same request key, the same rule that the line
with the most tokens of a streamed response is its final state), so a budget stops a
session at the total `ao usage` reports for it. State lives in
`.agents/.index/budgets/<session>.json`.

Codex rollouts (`rollout-*.jsonl`) are read by the ledger's own Codex reader
(`sessions.parse`), whose state is kept with the budget's.

Subagents: Claude Code 2.x writes them to `<session>/subagents/agent-*.jsonl` beside the
transcript; 1.x writes flat `agent-*.jsonl` files whose lines name the parent session in
`sessionId` (each such file is looked at once, and remembered as ours or not).

Costs use the ledger's one price table (`sessions.pricing`, with `usage.pricing`
overrides). Pricing imports more than the hook path can afford on every call, so the
hook passes a `pricer` only when a cost limit is configured; without one, costs are 0
and the state remembers that it was not priced (it is re-read once a pricer appears).
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from agentops_os.base.layout import index_path
from agentops_os.transcripts.usage import (
    COLUMNS,
    Counts,
    claude_counts,
    claude_request_key,
    long_context,
    rank,
)

# (model, counts of one request) -> USD
Pricer = Callable[[str, Counts], float]

OPEN_KEYS = 64  # requests whose usage may still be updated by a later line
STATE_VERSION = 2  # state written before subagents were counted is read again from the start


@dataclass
class Usage:
    session: str
    tokens: int = 0
    cost_usd: float = 0.0
    days: dict[str, list[float]] = field(default_factory=dict)  # day -> [tokens, cost]
    run: str = ""
    updated: float = 0.0
    skipped: int = 0


def state_dir(root: str) -> str:
    return index_path(root, "budgets")


def ledger_pricer(config: Any) -> Pricer:
    """Cost of one Claude request from the session ledger's price table."""
    from agentops_os.sessions.pricing import load_pricing

    pricing = load_pricing(config)

    def cost(model: str, counts: Counts) -> float:
        return pricing.cost(model, dict(zip(COLUMNS, counts, strict=True)), long_context(counts))

    return cost


def subagent_transcripts(transcript: str, session: str, state: dict[str, Any]) -> list[str]:
    """The session's subagent files beside its transcript (2.x directory, 1.x flat files
    whose `sessionId` is this session); 1.x files of other sessions go to `foreign`."""
    directory = os.path.dirname(transcript)
    found: list[str] = []
    nested = os.path.join(directory, session, "subagents")
    if os.path.isdir(nested):
        found.extend(os.path.join(nested, n) for n in sorted(os.listdir(nested)) if n.endswith(".jsonl"))
    known = state["files"]
    foreign = set(state["foreign"])
    try:
        names = sorted(n for n in os.listdir(directory) if n.startswith("agent-") and n.endswith(".jsonl"))
    except OSError:
        names = []
    for name in names:
        path = os.path.join(directory, name)
        if path in known:
            found.append(path)
        elif path not in foreign:
            owner = _session_of(path)
            if owner == session:
                found.append(path)
            elif owner is not None:  # undecided (no sessionId yet): looked at again next time
                state["foreign"].append(path)
    return found


def _session_of(path: str) -> str | None:
    """The `sessionId` of the first line that has one (a 1.x subagent file's parent)."""
    try:
        with open(path, "rb") as handle:
            for raw in handle:
                if b'"sessionId"' not in raw:
                    continue
                try:
                    record = json.loads(raw)
                except ValueError:
                    continue
                value = record.get("sessionId") if isinstance(record, dict) else None
                if isinstance(value, str) and value:
                    return value
    except OSError:
        pass
    return None


def session_usage(root: str, session: str, transcript: str | None, pricer: Pricer | None = None,
                  run: str = "") -> Usage:
    safe = "".join(c for c in session if c.isalnum() or c in "-_.")[:120] or "unknown"
    path = os.path.join(state_dir(root), f"{safe}.json")
    try:
        with open(path, encoding="utf-8") as handle:
            state = json.load(handle)
    except (OSError, ValueError):
        state = {}
    priced = pricer is not None
    files = state.get("files") if isinstance(state.get("files"), dict) else {}
    rewritten = any(not os.path.exists(f) or os.path.getsize(f) < int(offset) for f, offset in files.items())
    if (state.get("version") != STATE_VERSION or state.get("transcript") != transcript or rewritten
            or (priced and not state.get("priced"))):  # costs were never computed: read again
        state = {"version": STATE_VERSION, "transcript": transcript, "files": {}, "foreign": [],
                 "lines": {}, "final": {}, "open": {}, "skipped": 0, "priced": priced}
    changed = False
    if transcript and os.path.exists(transcript):
        from agentops_os.hosts import CODEX
        from agentops_os.transcripts.formats import format_of

        if format_of(transcript).host == CODEX:
            changed = _read_codex(root, transcript, state, pricer)
        else:
            for name in [transcript, *subagent_transcripts(transcript, session, state)]:
                changed = _read(name, state, pricer) or changed
    if run:
        changed = changed or state.get("run") != run
        state["run"] = run
    if changed:
        from agentops_os.store.atomic import write_atomic

        os.makedirs(state_dir(root), exist_ok=True)
        state["updated"] = time.time()
        state["session"] = session
        from pathlib import Path

        write_atomic(Path(path), json.dumps(state).encode("utf-8"))
    return summarize(session, state)


def _read_codex(root: str, transcript: str, state: dict[str, Any], pricer: Pricer | None) -> bool:
    """A Codex rollout, read with the session ledger's own Codex reading (running totals
    turned into per-request deltas, forks' copied history counted once), from where the
    last call stopped; the reader's state is kept with the budget's."""
    from pathlib import Path

    from agentops_os.hosts import CODEX
    from agentops_os.sessions.accumulate import new_facts
    from agentops_os.sessions.parse import parse_file

    path = Path(transcript)
    facts = state.get("codex_facts") or new_facts(CODEX, path)
    offset = int(state["files"].get(transcript, 0))
    parsed = parse_file(path, CODEX, offset, int(state["lines"].get(transcript, 1)), facts, 300.0, Path(root))
    if parsed is None or parsed.stats.end_offset == offset:
        return False
    for key, (when, model, _side, _first, counts, *_rest) in parsed.requests.items():
        day = time.strftime("%Y-%m-%d", time.gmtime(when or time.time()))
        values: Counts = tuple(counts)  # type: ignore[assignment]
        _add(state, key, day, values, pricer(str(model or ""), values) if pricer else 0.0)
    state["codex_facts"] = parsed.facts
    state["files"][transcript] = parsed.stats.end_offset
    state["lines"][transcript] = parsed.stats.end_line
    return True


def _add(state: dict[str, Any], key: str, day: str, counts: tuple[int, ...], cost: float) -> None:
    """One request line into the tally: the line with the most tokens of a request wins;
    requests past the last OPEN_KEYS are final (their days' totals)."""
    open_: dict[str, list[Any]] = state["open"]
    current = open_.pop(key, None)
    if current is not None and rank(tuple(current[1])) >= rank(counts):
        open_[key] = current  # an earlier line of this response already had more
    else:
        open_[key] = [day, list(counts), cost]
    final: dict[str, list[float]] = state["final"]
    while len(open_) > OPEN_KEYS:
        old_day, old_counts, old_cost = open_.pop(next(iter(open_)))
        total = final.setdefault(old_day, [0, 0.0])
        total[0] += sum(old_counts)
        total[1] += old_cost


def _read(transcript: str, state: dict[str, Any], pricer: Pricer | None) -> bool:
    """Add the complete lines of a Claude transcript past its stored offset; True if any
    were read."""
    offset = int(state["files"].get(transcript, 0))
    with open(transcript, "rb") as handle:
        handle.seek(offset)
        data = handle.read()
    end = data.rfind(b"\n") + 1  # only complete lines; a partial last line is read next time
    line = int(state["lines"].get(transcript, 0))  # for the key of a line without ids
    for raw in data[:end].split(b"\n")[:-1] if end else []:
        line += 1
        if b'"usage"' not in raw:
            continue
        try:
            record = json.loads(raw)
        except ValueError:
            state["skipped"] += 1
            continue
        if not isinstance(record, dict) or record.get("type") != "assistant":
            continue
        message = record.get("message")
        if not isinstance(message, dict) or record.get("isApiErrorMessage"):
            continue
        usage = message.get("usage")
        model = message.get("model")
        if not isinstance(usage, dict) or model == "<synthetic>":
            continue
        key = claude_request_key(message.get("id"), record.get("requestId"), transcript, line)
        day = str(record.get("timestamp") or time.strftime("%Y-%m-%d", time.gmtime()))[:10]
        counts = claude_counts(usage)
        _add(state, key, day, counts, pricer(str(model or ""), counts) if pricer else 0.0)
    state["files"][transcript] = offset + end
    state["lines"][transcript] = line
    return end > 0


def summarize(session: str, state: dict[str, Any]) -> Usage:
    days: dict[str, list[float]] = {d: [float(v[0]), float(v[1])] for d, v in state.get("final", {}).items()}
    for day, counts, cost, *_ in state.get("open", {}).values():
        total = days.setdefault(day, [0, 0.0])
        total[0] += sum(counts) if isinstance(counts, list) else counts
        total[1] += cost
    return Usage(session, int(sum(v[0] for v in days.values())), sum(v[1] for v in days.values()), days,
                 str(state.get("run", "")), float(state.get("updated", 0.0)), int(state.get("skipped", 0)))


def all_sessions(root: str) -> list[Usage]:
    out: list[Usage] = []
    directory = state_dir(root)
    if not os.path.isdir(directory):
        return out
    for name in sorted(os.listdir(directory)):
        if not name.endswith(".json"):
            continue
        try:
            with open(os.path.join(directory, name), encoding="utf-8") as handle:
                state = json.load(handle)
        except (OSError, ValueError):
            continue
        out.append(summarize(str(state.get("session", name[:-5])), state))
    return out
