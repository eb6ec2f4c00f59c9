"""`ao reindex`: rebuild the derived SQLite index from the plain text in `.agents/`."""

from __future__ import annotations

import time

import click

from agentops_os import render
from agentops_os.index import rebuild_index
from agentops_os.repo import require_root


@click.command("reindex")
@click.option("--json", "as_json", is_flag=True, help="Print a summary as JSON.")
def cli(as_json: bool) -> None:
    """Rebuild .agents/.index/ from .agents/ (safe at any time)."""
    started = time.perf_counter()
    root = require_root()
    with rebuild_index(root) as index:
        tables = [r[0] for r in index.conn.execute(
            "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'")]
        migrations = index.conn.execute("SELECT count(*) FROM _migrations").fetchone()[0]
    elapsed = time.perf_counter() - started
    if as_json:
        render.emit_json({"index": str(index.path), "tables": len(tables),
                          "migrations": migrations, "seconds": round(elapsed, 3)})
    else:
        render.info(f"rebuilt {index.path.relative_to(root)}: {len(tables)} tables, "
                    f"{migrations} migrations in {elapsed:.2f}s")
