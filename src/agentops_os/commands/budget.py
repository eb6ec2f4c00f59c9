"""`ao budget status`: usage against the [budgets] limits."""

from __future__ import annotations

import os
import time

import click

from agentops_os import render
from agentops_os.base.layout import index_path
from agentops_os.repo import require_root


@click.group("budget")
def cli() -> None:
    """Token and cost budgets that stop agent sessions when exhausted."""


@cli.command("status")
@click.option("--session", "session", help="Session id (default: the most recently active one).")
@click.option("--transcript", type=click.Path(exists=True, dir_okay=False), help="Measure this transcript.")
@click.option("--json", "as_json", is_flag=True, help="Print as JSON.")
def status_cmd(session: str | None, transcript: str | None, as_json: bool) -> None:
    """Show usage and limits per session, UTC day and workflow run (AO_RUN_ID)."""
    from agentops_os.budgets.check import usage_by_scope
    from agentops_os.budgets.usage import all_sessions
    from agentops_os.config import load_config

    root = require_root()
    limits = load_config(root).section("budgets")
    known = sorted(all_sessions(str(root)), key=lambda u: u.updated)
    if session is None:
        session = "manual" if transcript else (known[-1].session if known else "none")
    if transcript is None:
        import json

        path = index_path(root, "budgets", f"{session}.json")
        try:
            with open(path, encoding="utf-8") as handle:
                transcript = json.load(handle).get("transcript")
        except (OSError, ValueError):
            transcript = None
    all_limits = {**limits, "day_tokens": limits.get("day_tokens") or 1}  # always report the day
    used = usage_by_scope(str(root), all_limits, session, transcript, os.environ.get("AO_RUN_ID", ""))
    rows = []
    for scope, values in used.items():
        for metric in ("tokens", "cost_usd"):
            limit = limits.get(f"{scope}_{metric}") or 0
            value = values[metric]
            state = "no limit" if not limit else ("EXHAUSTED" if value >= limit else f"{value / limit:.0%}")
            rows.append({"scope": scope, "metric": metric, "used": round(value, 4), "limit": limit,
                         "state": state})
    if as_json:
        render.emit_json({"session": session, "day": time.strftime("%Y-%m-%d", time.gmtime()), "usage": rows})
        return

    def shown(row: dict[str, object]) -> str:
        value = float(row["used"])  # type: ignore[arg-type]
        return f"{int(value):,}" if row["metric"] == "tokens" else f"${value:.2f}"

    render.table(["scope", "metric", "used", "limit", "state"],
                 [(r["scope"], r["metric"], shown(r), r["limit"] or "-", r["state"]) for r in rows],
                 title=f"session {session}")
