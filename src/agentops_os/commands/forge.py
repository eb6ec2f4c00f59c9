"""`ao forge`: extract candidate learnings from commits, transcripts and handoffs."""

from __future__ import annotations

import click

from agentops_os import render
from agentops_os.repo import require_root


@click.command("forge")
@click.option("--since", default=None, help="Only sources from this date on (YYYY-MM-DD).")
@click.option("--session", default=None, help="Only this transcript session id.")
@click.option("--dry-run", is_flag=True, help="Show candidates without writing them.")
@click.option("--json", "as_json", is_flag=True)
def cli(since: str | None, session: str | None, dry_run: bool, as_json: bool) -> None:
    """Find candidate learnings; they go to .agents/pending/ for `ao learn review`."""
    from agentops_os.knowledge.forge import forge

    root = require_root()
    report = forge(root, since=since, session=session, dry_run=dry_run)
    for note in report.notes:
        render.info(note)
    summary = (f"{len(report.written)} new candidates ({report.below_threshold} below threshold, "
               f"{report.already_known} already known, {report.duplicates} near-duplicates); scanned "
               f"{report.scanned['commits']} commits, {report.scanned['transcripts']} transcripts, "
               f"{report.scanned['handoffs']} handoffs")
    if as_json:
        render.emit_json({
            "candidates": [{**c.meta(), "body": c.body} for c in report.written],
            "below_threshold": report.below_threshold, "already_known": report.already_known,
            "duplicates": report.duplicates, "scanned": report.scanned, "dry_run": dry_run,
            "notes": report.notes,
        })
        return
    render.table(["id", "score", "source", "title"],
                 [[c.id, f"{c.score or 0:.2f}", f"{c.source.get('type')} {str(c.source.get('ref'))[:24]}",
                   c.title[:70]] for c in report.written])
    render.info(("dry run: " if dry_run else "") + summary)
