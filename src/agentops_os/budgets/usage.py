"""Token and cost usage of one agent session, read incrementally from its transcript.

The one place budgets learn usage: `session_usage`. It reads Claude Code's transcript
(`transcript_path` of the hook payload) from the byte offset it stopped at last time,
sums assistant `message.usage` deduplicated by `message.id` + `requestId` with the *last*
line of each pair winning (streaming repeats a message with partial usage: summing every
line over-counts, keeping the first under-counts output), and keeps its state in
`.agents/.index/budgets/<session>.json`. Point it at the session ledger when that
exists; the checks only need the `Usage` it returns.
"""

from __future__ import annotations

import json
import os
import time
from dataclasses import dataclass, field
from typing import Any

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


def price(model: str, prices: dict[str, list[float]]) -> list[float]:
    best = ""
    for prefix in prices:
        if prefix != "default" and model.startswith(prefix) and len(prefix) > len(best):
            best = prefix
    return list(prices.get(best or "default", [0.0, 0.0, 0.0, 0.0]))


def _cost(usage: dict[str, Any], rates: list[float]) -> tuple[int, float]:
    parts = [int(usage.get(k) or 0) for k in ("input_tokens", "output_tokens",
                                                "cache_creation_input_tokens", "cache_read_input_tokens")]
    cost = (parts[0] * rates[0] + parts[1] * rates[1] + parts[2] * rates[2] + parts[3] * rates[3]) / 1e6
    return sum(parts), cost


def session_usage(root: str, session: str, transcript: str | None, prices: dict[str, list[float]],
                  run: str = "") -> Usage:
    safe = "".join(c for c in session if c.isalnum() or c in "-_.")[:120] or "unknown"
    path = os.path.join(state_dir(root), f"{safe}.json")
    try:
        with open(path, encoding="utf-8") as handle:
            state = json.load(handle)
    except (OSError, ValueError):
        state = {}
    size = os.path.getsize(transcript) if transcript and os.path.exists(transcript) else 0
    if state.get("transcript") != transcript or size < int(state.get("offset", 0)):  # new or rewritten
        state = {"transcript": transcript, "offset": 0, "final": {}, "open": {}, "skipped": 0}
    final: dict[str, list[float]] = state["final"]
    open_: dict[str, list[Any]] = state["open"]  # key -> [day, tokens, cost]
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
            tokens, cost = _cost(usage, price(str(message.get("model") or ""), prices))
            open_.pop(key, None)
            open_[key] = [day, tokens, cost]  # last line of a message wins
            while len(open_) > OPEN_KEYS:
                old = next(iter(open_))
                old_day, old_tokens, old_cost = open_.pop(old)
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
    for day, tokens, cost in state.get("open", {}).values():
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
