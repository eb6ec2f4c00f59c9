"""`ao metrics`: success, context health, time and cost per commit, by model/agent/week."""

from __future__ import annotations

import click


@click.command("metrics")
@click.option("--all-projects", is_flag=True, help="Every ingested project, not only this repo.")
@click.option("--by", "group", type=click.Choice(["model", "agent", "week"]), default="week",
              show_default=True, help="Grouping of the table.")
@click.option("--no-ingest", is_flag=True, help="Answer from the index without reading transcripts.")
@click.option("--json", "as_json", is_flag=True, help="Print every metric and grouping as JSON.")
def cli(all_projects: bool, group: str, no_ingest: bool, as_json: bool) -> None:
    """Operational metrics of agent sessions (see docs/metrics.md)."""
    from agentops_os import render
    from agentops_os.sessions import cli_support as fmt
    from agentops_os.sessions import tags
    from agentops_os.sessions.ledger import load_marks, summaries
    from agentops_os.sessions.metrics import compute, gate_failures, phase_metrics, sparkline

    ledger, _, _ = fmt.open_and_ingest(all_projects=all_projects, skip=no_ingest)
    rows = summaries(ledger.index.conn, all_projects=all_projects)
    marks = load_marks(ledger.store, [])
    result = compute(rows, marks, gate_failures(ledger.store.dir),
                     budget_fraction=float(ledger.config.get("context.budget_fraction", 0.4)),
                     collapse_fraction=float(ledger.config.get("metrics.collapse_fraction", 0.8)))
    result["phases"] = phase_metrics(tags.load(ledger.store, []))
    ledger.close()
    if as_json:
        render.emit_json(result)
        return
    overall = result["overall"]
    if not overall["sessions"]:
        render.info("no sessions yet: run `ao sessions ingest` (or --all-projects)")
        return
    headers = [group.capitalize(), "Sessions", "Success", "Collapsed", "Under 40%", "Median time",
               "Tokens/commit", "Cost/commit", "Tool errors"]

    def row(name: str, m: dict) -> list[str]:
        return [name, str(m["sessions"]), fmt.fmt_pct(m["success_rate"]), fmt.fmt_pct(m["collapse_rate"]),
                fmt.fmt_pct(m["under_budget_share"]), fmt.fmt_duration(m["median_duration_seconds"]),
                fmt.fmt_int(m["tokens_per_commit"]) if m["tokens_per_commit"] is not None else "-",
                fmt.fmt_cost(m["cost_per_commit"]) if m["cost_per_commit"] is not None else "-",
                fmt.fmt_pct(m["tool_error_rate"])]

    table = [row(name, m) for name, m in result["by"][group].items()]
    table.append(row("All", overall))
    render.table(headers, table)
    if len(result["weeks"]) > 1:
        trends = result["trends"]
        weeks = result["weeks"]
        click.echo(f"\nTrends over {len(weeks)} weeks ({weeks[0]} .. {weeks[-1]}):")
        for label, key in (("success", "success_rate"), ("collapsed", "collapse_rate"),
                           ("under 40%", "under_budget_share"), ("cost", "cost_usd"),
                           ("tool errors", "tool_error_rate")):
            click.echo(f"  {label:<12} {sparkline(trends[key])}")
    if result["phases"]:
        click.echo("\nWorkflow phases (fresh context per phase):")
        render.table(["Phase", "Calls", "Median peak", "Max peak", "Under limit", "Stopped at limit"],
                     [[name, str(p["calls"]), fmt.fmt_pct(p["median_peak_fraction"]),
                       fmt.fmt_pct(p["max_peak_fraction"]), fmt.fmt_pct(p["under_limit_share"]),
                       str(p["stopped_at_limit"])] for name, p in result["phases"].items()])
