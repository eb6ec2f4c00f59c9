"""`ao search`: ranked search over .agents/ and the whole git history."""

from __future__ import annotations

from pathlib import Path

import click

from agentops_os import render
from agentops_os.repo import require_root

_TYPES = ["learning", "commit", "handoff", "bundle", "session", "plan", "candidate"]


@click.command("search")
@click.argument("query", nargs=-1, required=True)
@click.option("--type", "types", multiple=True, type=click.Choice(_TYPES),
              help="Only this type (repeatable).")
@click.option("--since", default=None, help="Only hits from this date on (YYYY-MM-DD).")
@click.option("--limit", default=10, show_default=True, type=click.IntRange(1, 1000))
@click.option("--repo", "repo", default=None, type=click.Path(file_okay=False, path_type=Path),
              help="Search another repository.")
@click.option("--json", "as_json", is_flag=True)
def cli(query: tuple[str, ...], types: tuple[str, ...], since: str | None, limit: int,
        repo: Path | None, as_json: bool) -> None:
    """Search learnings, handoffs, bundles, sessions, plans and every commit."""
    from agentops_os.errors import FatalError
    from agentops_os.knowledge.indexer import parse_time
    from agentops_os.knowledge.search import search_report

    root = require_root(repo) if repo else require_root()
    since_ts = parse_time(since, 0) if since else None
    if since and not since_ts:
        raise FatalError(f"--since {since!r}: expected a date like 2026-01-31")
    report = search_report(root, " ".join(query), types=list(types) or None, limit=limit, since=since_ts,
                           notify=render.info)
    from agentops_os.knowledge.retrievals import record_hits  # for `ao report` (docs/report.md)

    record_hits(root, report.hits)
    for note in report.notes:
        render.info(f"warning: {note}")
    if as_json:
        render.emit_json({"query": " ".join(query), "hits": [h.to_json() for h in report.hits],
                          "indexed_commits": report.indexed_commits, "notes": report.notes})
        return
    if not report.hits:
        render.info("no matches")
        return
    for hit in report.hits:
        date = (hit.date or "")[:10]
        click.echo(f"{hit.type:9} {hit.cite():14} {date:10} {hit.score:8.2f}  {hit.title[:80]}")
        if hit.snippet and hit.snippet != hit.title:
            click.echo(f"{'':9} {hit.snippet[:120]}")
