"""Compare usage with `[budgets]` limits; the first limit passed stops the session."""

from __future__ import annotations

import os
import time
from typing import Any

from agentops_os.budgets.usage import Pricer, Usage, all_sessions, session_usage

SCOPES = ("session", "day", "run")


class BudgetStop:
    """A spent budget: the session is stopped before its next tool call. Not a guard
    verdict (a budget judges spend, not the call); the PreToolUse hook composes the two,
    and a stop overrides the guard's allow or ask."""

    __slots__ = ("reason", "rule")
    decision = "deny"
    audit_kind = "budget.stop"

    def __init__(self, reason: str, rule: str) -> None:
        self.reason = reason
        self.rule = rule  # budget-<scope>-<tokens|cost>


def usage_by_scope(root: str, limits: dict[str, Any], session: str, transcript: str | None,
                   run: str = "", pricer: Pricer | None = None) -> dict[str, dict[str, float]]:
    if pricer is None and any(limits.get(f"{s}_cost_usd") for s in SCOPES):
        from pathlib import Path  # only when a cost limit is set: off the common hook path

        from agentops_os.budgets.usage import ledger_pricer
        from agentops_os.config import load_config

        pricer = ledger_pricer(load_config(Path(root)))
    mine = session_usage(root, session, transcript, pricer, run)
    today = time.strftime("%Y-%m-%d", time.gmtime())
    out = {"session": {"tokens": mine.tokens, "cost_usd": mine.cost_usd}}
    needs_all = any(limits.get(f"{s}_{k}") for s in ("day", "run") for k in ("tokens", "cost_usd"))
    if needs_all:
        sessions: list[Usage] = all_sessions(root)
        day = [u.days.get(today, [0, 0.0]) for u in sessions]
        out["day"] = {"tokens": sum(d[0] for d in day), "cost_usd": sum(d[1] for d in day)}
        if run:
            mates = [u for u in sessions if u.run == run]
            out["run"] = {"tokens": sum(u.tokens for u in mates), "cost_usd": sum(u.cost_usd for u in mates)}
    return out


def over_budget(root: str, limits: dict[str, Any], payload: dict[str, Any]) -> BudgetStop | None:
    transcript = payload.get("transcript_path")
    run = os.environ.get("AO_RUN_ID", "")
    used = usage_by_scope(root, limits, str(payload.get("session_id") or "unknown"),
                          transcript if isinstance(transcript, str) else None, run)
    for scope in SCOPES:
        for metric in ("tokens", "cost_usd"):
            limit = limits.get(f"{scope}_{metric}") or 0
            if not limit or scope not in used:
                continue
            value = used[scope][metric]
            if value >= limit:
                shown = f"${value:.2f}" if metric == "cost_usd" else f"{int(value):,} tokens"
                cap = f"${limit:.2f}" if metric == "cost_usd" else f"{int(limit):,}"
                hint = "or start a new session" if scope == "session" else (
                    "or wait for the next UTC day" if scope == "day" else "or start a new run")
                reason = (f"{scope} budget exhausted: {shown} used, limit budgets.{scope}_{metric} = {cap}. "
                          f"Raise it in agentops.toml [budgets] {hint}.")
                return BudgetStop(reason, f"budget-{scope}-{metric.replace('_usd', '')}")
    return None
