"""`ao report`: an HTML dashboard of sessions, context, gates, guard and learnings."""

from __future__ import annotations

from pathlib import Path

import click


@click.command("report")
@click.option("--html", "out", type=click.Path(dir_okay=False, path_type=Path),
              default=Path("agentops-report.html"), show_default=True, help="Write the page here.")
@click.option("--since", help="From this day (YYYYMMDD or YYYY-MM-DD, local time).")
@click.option("--all-projects", is_flag=True, help="Every ingested project, not only this repo.")
@click.option("--no-ingest", is_flag=True, help="Answer from the index without reading transcripts.")
def cli(out: Path, since: str | None, all_projects: bool, no_ingest: bool) -> None:
    """One self-contained HTML file (charts inline, works offline); see docs/report.md."""
    from agentops_os import render
    from agentops_os.report.data import gather
    from agentops_os.report.html import render as render_html
    from agentops_os.sessions import cli_support, usage
    from agentops_os.store.atomic import write_atomic

    day = usage.parse_day(since, "--since")
    ledger, _, _ = cli_support.open_and_ingest(all_projects=all_projects, skip=no_ingest)
    try:
        data = gather(ledger, since=day, all_projects=all_projects)
    finally:
        ledger.close()
    write_atomic(out, render_html(data).encode("utf-8"))
    render.info(f"wrote {out} ({data.sessions} session(s), {len(data.days)} day(s) of usage)")
