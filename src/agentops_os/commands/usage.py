"""`ao usage`: tokens and cost by day, month, session or 5-hour block (from the index)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import click

from agentops_os import hosts


def _options(func: Callable[..., Any]) -> Callable[..., Any]:
    options = [
        click.option("--since", help="From this day (YYYYMMDD or YYYY-MM-DD, local time)."),
        click.option("--until", help="Up to and including this day."),
        click.option("--project", help="Only sessions whose working directory contains this."),
        click.option("--model", help="Only models whose name contains this."),
        click.option("--agent", type=click.Choice(list(hosts.ALIASES)),
                     help="Only this agent."),
        click.option("--all-projects", is_flag=True, help="Every ingested project, not only this repo."),
        click.option("--run", "run_id", help="Only the sessions of this workflow run (ao rpi list)."),
        click.option("--breakdown", "-b", is_flag=True, help="One row per model under each period."),
        click.option("--cost-mode", type=click.Choice(["auto", "calculate", "display"]),
                     help="auto: transcript costUSD when present, else calculated (default)."),
        click.option("--dedup", type=click.Choice(["final", "first"]),
                     help="final: each response's final state (default; = ccusage 20); first: first line."),
        click.option("--no-ingest", is_flag=True, help="Answer from the index without reading transcripts."),
        click.option("--json", "as_json", is_flag=True, help="Print JSON."),
    ]
    for option in reversed(options):
        func = option(func)
    return func


@click.group("usage")
def cli() -> None:
    """Token usage and cost, deduplicated and priced offline (see docs/usage.md)."""


def _run(kind: str, **opts: Any) -> None:
    from agentops_os import render
    from agentops_os.sessions import cli_support as fmt
    from agentops_os.sessions import usage
    from agentops_os.sessions.service import default_filter

    ledger, _, _ = fmt.open_and_ingest(all_projects=opts["all_projects"], skip=opts["no_ingest"])
    flt = default_filter(
        ledger, since=usage.parse_day(opts["since"], "--since"),
        until=usage.parse_day(opts["until"], "--until"),
        project=opts["project"], model=opts["model"], agent=opts["agent"], all_projects=opts["all_projects"],
        cost_mode=opts["cost_mode"], dedup=opts["dedup"],
        session_ids=_run_sessions(ledger.store, opts["run_id"]) if opts["run_id"] else None)
    report = {"daily": usage.daily, "monthly": usage.monthly, "session": usage.by_session,
              "blocks": usage.blocks}[kind]
    buckets = report(ledger.index.conn, flt, ledger.pricing)
    unknown = sorted(ledger.pricing.unknown)
    ledger.close()
    total = usage.totals(buckets)
    for model in unknown:
        render.info(unpriced_warning(model))
    if opts["as_json"]:
        render.emit_json({kind: [b.as_dict() for b in buckets], "totals": total.as_dict(),
                          "dedup": flt.dedup, "cost_mode": flt.cost_mode,
                          "cost_partial": bool(unknown), "unpriced_models": unknown})
        return
    if not buckets:
        render.info("no usage in range: run `ao sessions ingest` first (or --all-projects)")
        return
    label = {"daily": "Date", "monthly": "Month", "session": "Session", "blocks": "Block start"}[kind]
    rows = []
    for bucket in buckets:
        name = bucket.name
        if kind == "session":
            name = f"{bucket.extra.get('agent', '')}:{str(bucket.extra.get('session_id', ''))[:8]}"
        elif kind == "blocks":
            name = str(bucket.extra.get("start", ""))[:16].replace("T", " ") + (
                " (active)" if bucket.extra.get("active") else "")
        rows.append(fmt.usage_row(name, bucket, models=", ".join(_short(m) for m in sorted(bucket.models))))
        if opts["breakdown"]:
            for model, sub in sorted(bucket.models.items()):
                rows.append(fmt.usage_row(f"  └ {_short(model)}", sub, models=""))
    rows.append(fmt.usage_row("Total", total, models=""))
    headers = [label, "Models", "Input", "Output", "Cache write", "Cache read", "Total tokens", "Cost"]
    render.table(headers, rows)


def unpriced_warning(model: str) -> str:
    """One line a user can act on: the model, what it did to the totals, the exact config."""
    return (f"ao: no price for model {model!r}: its tokens are counted, its cost as $0 (cost is partial);"
            f" price it in agentops.toml: [usage.pricing.\"{model}\"] input = ..., output = ...,"
            " cache_read = ... (USD per million tokens)")


def _run_sessions(store: Any, run: str) -> tuple[str, ...]:
    from agentops_os.errors import FatalError
    from agentops_os.sessions import tags

    found = tuple(sorted(sid for sid, tag in tags.load(store, []).items()
                         if str(tag.get("run", "")) == run or str(tag.get("run", "")).endswith(run)))
    if not found:
        raise FatalError(f"--run {run}: no sessions are tagged with this run (see `ao rpi list`)")
    return found


def _short(model: str) -> str:
    parts = model.split("-")
    return "-".join(parts[:-1]) if parts and parts[-1].isdigit() and len(parts[-1]) == 8 else model


@cli.command("daily")
@_options
def daily(**opts: Any) -> None:
    """Usage per local calendar day."""
    _run("daily", **opts)


@cli.command("monthly")
@_options
def monthly(**opts: Any) -> None:
    """Usage per calendar month."""
    _run("monthly", **opts)


@cli.command("session")
@_options
def session(**opts: Any) -> None:
    """Usage per session (subagents included in their parent)."""
    _run("session", **opts)


@cli.command("blocks")
@_options
def blocks(**opts: Any) -> None:
    """Usage per 5-hour billing block (ccusage's definition)."""
    _run("blocks", **opts)
