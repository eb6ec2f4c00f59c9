"""`ao demo`: run the scripted tour on a temporary repository and bundled sample data."""

from __future__ import annotations

from pathlib import Path

import click


@click.command("demo")
@click.option("--keep", is_flag=True, help="Keep the temporary repository afterwards.")
@click.option("--dir", "workdir", type=click.Path(path_type=Path, file_okay=False),
              help="Work in this directory instead of a new temporary one (kept).")
def cli(keep: bool, workdir: Path | None) -> None:
    """Run AgentOps end to end on a temporary repo and sample data."""
    from agentops_os.demo.runner import run_demo

    raise SystemExit(run_demo(workdir, keep=keep or workdir is not None))
