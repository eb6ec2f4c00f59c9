"""`ao feedback ID helpful|harmful`: adjust a learning's utility (in its tracked file)."""

from __future__ import annotations

import click

from agentops_os import render
from agentops_os.repo import require_root


@click.command("feedback")
@click.argument("learning_id")
@click.argument("verdict", type=click.Choice(["helpful", "harmful"]))
@click.option("--json", "as_json", is_flag=True)
def cli(learning_id: str, verdict: str, as_json: bool) -> None:
    """Say whether a learning helped; its utility moves and search ranks it accordingly."""
    from agentops_os.knowledge.feedback import apply
    from agentops_os.store import Store

    item, before = apply(Store.open(require_root()), learning_id, verdict)
    if as_json:
        render.emit_json({"id": item.id, "verdict": verdict, "utility_before": before,
                          "utility": item.utility})
    else:
        click.echo(f"{item.id}: utility {before:.2f} -> {item.utility:.2f} ({verdict})")
