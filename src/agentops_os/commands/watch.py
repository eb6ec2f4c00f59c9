"""`ao watch`: live sessions, workflow runs and gate state in the terminal."""

from __future__ import annotations

import click


@click.command("watch")
@click.option("--interval", type=click.FloatRange(0.2), default=2.0, show_default=True,
              help="Seconds between refreshes.")
@click.option("--active", "active_minutes", type=click.FloatRange(0.1), default=15.0, show_default=True,
              help="A session is live when its transcript changed within this many minutes.")
@click.option("--once", is_flag=True, help="Print one snapshot as text and exit (no terminal UI).")
def cli(interval: float, active_minutes: float, once: bool) -> None:
    """Context bars, tokens, cost and last tool of running sessions; RPI and swarm runs."""
    from agentops_os.repo import require_root
    from agentops_os.sessions.service import ingest, open_ledger
    from agentops_os.watch.snapshot import Snapshot, lines, take

    root = require_root()

    def source() -> Snapshot:
        ledger = open_ledger(root)
        try:
            ingest(ledger)
            return take(ledger, active_minutes=active_minutes)
        finally:
            ledger.close()

    if once:
        for line in lines(source()):
            click.echo(line)
        return
    from agentops_os.watch.app import WatchApp

    WatchApp(source, interval).run()
