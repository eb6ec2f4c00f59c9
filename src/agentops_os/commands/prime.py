"""`ao prime "TASK"`: a just-in-time context packet within a token budget."""

from __future__ import annotations

import sys

import click

from agentops_os import render
from agentops_os.errors import FatalError


@click.command("prime")
@click.argument("task")
@click.option("--budget", type=int, help="Token budget (default: context.prime_fraction of the window).")
@click.option("--model", help="Model whose window sets the default budget.")
@click.option("--json", "as_json", is_flag=True, help="Print the packet as JSON.")
def cli(task: str, budget: int | None, model: str | None, as_json: bool) -> None:
    """Assemble the context packet for TASK: constitution digest, best-fit agent,
    latest handoff, relevant learnings, ready work and next workflows."""
    from agentops_os.config import load_config
    from agentops_os.context.prime import build, default_budget
    from agentops_os.repo import require_root

    root = require_root()
    config = load_config(root)
    window = config.window_for(model)
    if budget is None:
        budget = default_budget(config, model)
    if not 0 < budget <= window:
        raise FatalError(f"--budget must be between 1 and the window ({window}), got {budget}")
    packet = build(root, task, budget,
                   rescan_seconds=float(config.get("context.index_rescan_seconds")))
    if as_json:
        render.emit_json(packet.to_json())
        return
    sys.stdout.write(packet.text)
    render.info(f"prime: {packet.tokens}/{budget} tokens, {len(packet.items)} items"
                + (f", {len(packet.dropped)} dropped for budget" if packet.dropped else ""))
