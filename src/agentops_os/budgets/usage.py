"""Token and cost usage of one agent session, read incrementally from its transcript.

The one place budgets learn usage: `session_usage`. It reads Claude Code's transcript
(`transcript_path` of the hook payload) from the byte offset it stopped at last time,
sums assistant `message.usage` deduplicated by `message.id` + `requestId` with the same
rule as the session ledger (`ao usage`, docs/usage.md): of a streamed response's lines,
the one with the most tokens in all wins (ties: more output). Summing every line
over-counts; keeping the first under-counts output. State lives in
`.agents/.index/budgets/<session>.json`.

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

# (model, usage dict of one assistant line) -> USD
Pricer = Callable[[str, dict[str, Any]], float]

OPEN_KEYS = 64  # messages whose usage may still be updated by a later line


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
    return os.path.join(root, ".agents", ".index", "budgets")


def _tokens(usage: dict[str, Any]) -> tuple[int, int]:
    """(all tokens, output tokens) of one usage record: the ranking key of a streamed line."""
    parts = [int(usage.get(k) or 0) for k in ("input_tokens", "output_tokens",
                                                "cache_creation_input_tokens", "cache_read_input_tokens")]
    return sum(parts), parts[1]


def ledger_pricer(config: Any) -> Pricer:
    """Cost of one Claude usage record from the session ledger's price table."""
    from agentops_os.sessions.pricing import load_pricing

    pricing = load_pricing(config)

    def cost(model: str, usage: dict[str, Any]) -> float:
        write = int(usage.get("cache_creation_input_tokens") or 0)
        split = usage.get("cache_creation")
        split = split if isinstance(split, dict) else {}
        write_1h = int(split.get("ephemeral_1h_input_tokens") or 0)
        tokens = {"input": int(usage.get("input_tokens") or 0),
                  "output": int(usage.get("output_tokens") or 0),
                  "cache_write_5m": max(0, write - write_1h), "cache_write_1h": write_1h,
                  "cache_read": int(usage.get("cache_read_input_tokens") or 0)}
        return pricing.cost(model, tokens)

    return cost


def session_usage(root: str, session: str, transcript: str | None, pricer: Pricer | None = None,
                  run: str = "") -> Usage:
    safe = "".join(c for c in session if c.isalnum() or c in "-_.")[:120] or "unknown"
    path = os.path.join(state_dir(root), f"{safe}.json")
    try:
        with open(path, encoding="utf-8") as handle:
            state = json.load(handle)
    except (OSError, ValueError):
        state = {}
    size = os.path.getsize(transcript) if transcript and os.path.exists(transcript) else 0
    priced = pricer is not None
    if (state.get("transcript") != transcript or size < int(state.get("offset", 0))  # new or rewritten
            or (priced and not state.get("priced"))):  # costs were never computed: read again
        state = {"transcript": transcript, "offset": 0, "final": {}, "open": {}, "skipped": 0,
                 "priced": priced}
    final: dict[str, list[float]] = state["final"]
    open_: dict[str, list[Any]] = state["open"]  # key -> [day, tokens, cost, output]
    changed = False
    if transcript and os.path.exists(transcript):
        with open(transcript, "rb") as handle:
            handle.seek(int(state["offset"]))
            data = handle.read()
        end = data.rfind(b"\n") + 1  # only complete lines; a partial last line is read next time
        for raw in data[:end].splitlines():
            if b'"usage"' not in raw:
                continue
            try:
                record = json.loads(raw)
            except ValueError:
                state["skipped"] += 1
                continue
            message = record.get("message") if isinstance(record, dict) else None
            if record.get("type") != "assistant" or not isinstance(message, dict):
                continue
            usage = message.get("usage")
            if not isinstance(usage, dict):
                continue
            key = f"{message.get('id')}:{record.get('requestId')}"
            day = str(record.get("timestamp") or time.strftime("%Y-%m-%d", time.gmtime()))[:10]
            tokens, output = _tokens(usage)
            current = open_.pop(key, None)
            if current is not None and (current[1], current[3]) >= (tokens, output):
                open_[key] = current  # an earlier line of this response already had more
            else:
                cost = pricer(str(message.get("model") or ""), usage) if pricer else 0.0
                open_[key] = [day, tokens, cost, output]
            while len(open_) > OPEN_KEYS:
                old = next(iter(open_))
                old_day, old_tokens, old_cost, _ = open_.pop(old)
                total = final.setdefault(old_day, [0, 0.0])
                total[0] += old_tokens
                total[1] += old_cost
        state["offset"] = int(state["offset"]) + end
        changed = end > 0
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


def summarize(session: str, state: dict[str, Any]) -> Usage:
    days: dict[str, list[float]] = {d: [float(v[0]), float(v[1])] for d, v in state.get("final", {}).items()}
    for day, tokens, cost, *_ in state.get("open", {}).values():
        total = days.setdefault(day, [0, 0.0])
        total[0] += tokens
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
