"""`ao sessions`: ingest agent transcripts and browse the per-session ledger."""

from __future__ import annotations

from pathlib import Path

import click

from agentops_os import hosts


@click.group("sessions")
def cli() -> None:
    """Session ledger: every Claude Code / Codex session, measured (see docs/sessions.md)."""


@cli.command("ingest")
@click.option("--all-projects", is_flag=True, help="Every project's sessions, not only this repo's.")
@click.option("--path", "paths", multiple=True, type=click.Path(path_type=Path),
              help="Read this transcript file or directory (repeatable).")
@click.option("--verbose", "-v", is_flag=True, help="Name each skipped line as file:line.")
@click.option("--json", "as_json", is_flag=True, help="Print the ingest report as JSON.")
def ingest_cmd(all_projects: bool, paths: tuple[Path, ...], verbose: bool, as_json: bool) -> None:
    """Read new transcript lines (incremental) and update the session summaries."""
    from agentops_os import render
    from agentops_os.sessions.cli_support import open_and_ingest

    ledger, report, written = open_and_ingest(all_projects=all_projects, paths=list(paths) or None,
                                              verbose=verbose, quiet=False)
    ledger.close()
    assert report is not None
    data = {**report.as_dict(), "summaries_written": written}
    if as_json:
        render.emit_json(data)
        return
    render.info(
        f"ingested {report.files_read} of {report.files_seen} transcript file(s) "
        f"({report.bytes_read:,} bytes, {report.lines:,} lines; {report.files_unchanged} unchanged, "
        f"{report.files_reread} re-read); {len(report.sessions_updated)} session(s) updated, "
        f"{written} summary file(s) written")


@cli.command("list")
@click.option("--all-projects", is_flag=True, help="Include sessions of other projects.")
@click.option("--agent", type=click.Choice(list(hosts.NAMES)), help="Only this agent.")
@click.option("--limit", type=int, default=50, show_default=True, help="Most recent N sessions.")
@click.option("--no-ingest", is_flag=True, help="Answer from the index without reading transcripts.")
@click.option("--json", "as_json", is_flag=True, help="Print summaries as JSON.")
def list_cmd(all_projects: bool, agent: str | None, limit: int, no_ingest: bool, as_json: bool) -> None:
    """Sessions, oldest first: duration, tokens, cost, peak context, commits, mark."""
    from agentops_os import render
    from agentops_os.sessions import cli_support as fmt
    from agentops_os.sessions import tags
    from agentops_os.sessions.ledger import load_marks, summaries

    ledger, _, _ = fmt.open_and_ingest(all_projects=all_projects, skip=no_ingest)
    rows = summaries(ledger.index.conn, all_projects=all_projects)
    marks = load_marks(ledger.store, [])
    ledger.close()
    if agent:
        rows = [r for r in rows if r.get("agent") == agent]
    rows = rows[-limit:] if limit > 0 else rows
    run_tags = tags.load(ledger.store, [])
    for row in rows:
        row["mark"] = (marks.get(row["key"]) or {}).get("mark")
        tag = run_tags.get(row["session_id"])
        row["run"], row["phase"] = (tag.get("run"), tag.get("phase")) if tag else (None, None)
    if as_json:
        render.emit_json({"sessions": rows})
        return
    if not rows:
        render.info("no sessions yet: run `ao sessions ingest` (or --all-projects)")
        return
    headers = ["Session", "Agent", "Start", "Time", "Model", "Tokens", "Cost", "Peak", "Commits", "Mark",
               "Title"]
    if any(r["run"] for r in rows):  # sessions started by `ao rpi`: say which run and phase
        render.table([*headers, "Run"], [[*fmt.list_row(r), tags.label(run_tags.get(r["session_id"]))]
                                         for r in rows])
        return
    render.table(headers, [fmt.list_row(r) for r in rows])


@cli.command("show")
@click.argument("ident")
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON.")
def show_cmd(ident: str, as_json: bool) -> None:
    """One session's summary (IDENT: session id, key, or a unique prefix)."""
    from agentops_os import render
    from agentops_os.sessions import cli_support as fmt
    from agentops_os.sessions.ledger import load_marks

    ledger, _, _ = fmt.open_and_ingest(skip=True)
    summary = fmt.resolve_session(ledger.index.conn, ident)
    mark = load_marks(ledger.store, []).get(summary["key"])
    ledger.close()
    summary["mark"] = mark.get("mark") if mark else None
    if as_json:
        render.emit_json(summary)
        return
    lines = fmt.show_lines(summary)
    width = max(len(k) for k, _ in lines)
    for key, value in lines:
        click.echo(f"{key.ljust(width)}  {value}")


@cli.command("mark")
@click.argument("ident")
@click.argument("verdict", type=click.Choice(["success", "fail", "abandoned"]))
@click.option("--note", default="", help="Why (kept with the mark).")
@click.option("--json", "as_json", is_flag=True, help="Print the mark as JSON.")
def mark_cmd(ident: str, verdict: str, note: str, as_json: bool) -> None:
    """Record how a session ended; a mark overrides the automatic success rule."""
    from datetime import UTC, datetime

    from agentops_os import render
    from agentops_os.sessions import cli_support as fmt
    from agentops_os.sessions.ledger import MARKS_KIND

    ledger, _, _ = fmt.open_and_ingest(skip=True)
    summary = fmt.resolve_session(ledger.index.conn, ident)
    record = {"key": summary["key"], "session_id": summary["session_id"], "mark": verdict,
              "note": note, "marked_at": datetime.now(tz=UTC).strftime("%Y-%m-%dT%H:%M:%SZ")}
    path = ledger.store.write_record(MARKS_KIND, summary["key"], record)
    ledger.close()
    if as_json:
        render.emit_json(record)
        return
    render.info(f"marked {summary['key']} as {verdict} ({path.relative_to(ledger.root)})")


@cli.command("sample")
@click.option("--home", "home", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="Write under DIR/.claude and DIR/.codex (never your real agent dirs).")
@click.option("--sessions", "count", type=int, default=3, show_default=True, help="Claude Code sessions.")
@click.option("--seed", type=int, default=0, show_default=True, help="Same seed, same bytes.")
def sample_cmd(home: Path, count: int, seed: int) -> None:
    """Write a small realistic transcript corpus for this repo (for trying ao without an agent)."""
    from agentops_os import render
    from agentops_os.repo import require_root
    from agentops_os.sessions.sample import write_sample_corpus

    root = require_root()
    paths = write_sample_corpus(home, root, sessions=count, seed=seed)
    for path in paths:
        click.echo(str(path))
    render.info(f"wrote {len(paths)} transcript file(s); read them with "
                f"CLAUDE_CONFIG_DIR={home}/.claude CODEX_HOME={home}/.codex ao sessions ingest")
