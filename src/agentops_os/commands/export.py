"""`ao export otel`: sessions to an OpenTelemetry back end (OTLP/HTTP)."""

from __future__ import annotations

import click


@click.group("export")
def cli() -> None:
    """Send what ao recorded to other systems (see docs/export.md)."""


@cli.command("otel")
@click.option("--endpoint", help="OTLP/HTTP base URL (default $OTEL_EXPORTER_OTLP_ENDPOINT, "
                                 "else http://localhost:4318); /v1/traces and /v1/metrics are added.")
@click.option("--since", help="Only sessions started on or after this day (YYYYMMDD or YYYY-MM-DD, local).")
@click.option("--all-projects", is_flag=True, help="Every ingested project, not only this repo.")
@click.option("--session", help="Only this session (id or key).")
@click.option("--no-ingest", is_flag=True, help="Export from the index without reading new transcripts.")
@click.option("--live", is_flag=True, help="With --session: send only what is new and finished, and remember "
                                           "it (what the Stop hook runs with otel.export_live).")
@click.option("--json", "as_json", is_flag=True, help="Print what was sent as JSON.")
def otel(endpoint: str | None, since: str | None, all_projects: bool, session: str | None, no_ingest: bool,
         live: bool, as_json: bool) -> None:
    """Sessions as GenAI traces: invoke_agent spans with chat and execute_tool children."""
    from dataclasses import asdict

    from agentops_os import render
    from agentops_os.errors import FatalError
    from agentops_os.otel.export import export
    from agentops_os.otel.memory import Memory
    from agentops_os.otel.model import load_sessions
    from agentops_os.repo import require_root
    from agentops_os.sessions import cli_support, usage

    if live and not session:
        raise FatalError("--live needs --session ID (the session whose new work to send)")
    day = usage.parse_day(since, "--since")
    since_ts = usage.local_midnight(day) if day else None
    # One lock from ingest to the memory's update: two exports of a session (two turns that
    # end close together, the last turn and the session's end) never send a span twice.
    with Memory(require_root()).locked() as memory:
        ledger, _, _ = cli_support.open_and_ingest(all_projects=all_projects, skip=no_ingest)
        try:
            sessions = load_sessions(ledger.index.conn, since=since_ts, all_projects=all_projects,
                                     session=session)
            endpoint = endpoint or str(ledger.config.get("otel.endpoint") or "") or None
        finally:
            ledger.close()
        if session and not sessions:
            raise FatalError(f"--session {session}: no ingested session has this id or key")
        report = export(sessions, endpoint, memory=memory, live=live)
    if as_json:
        render.emit_json(asdict(report))
        return
    again = f"; {report.already_sent} sent before, not again" if report.already_sent else ""
    render.info(f"sent {report.sessions} session(s) as {report.spans} span(s) and "
                f"{report.metric_points} metric point(s) to {report.endpoint}{again}")
