"""`ao prime "TASK"`: a just-in-time context packet within a token budget.

Plain invocations never reach this module: `entry.py` hands them to `agentops_os.fast`
(no click import, for the 150 ms budget). This command is the documented interface and
takes what the fast parser declines (help, usage errors)."""

from __future__ import annotations

import click


@click.command("prime")
@click.argument("task")
@click.option("--budget", type=int, help="Token budget (default: context.prime_fraction of the window).")
@click.option("--model", help="Model whose window sets the default budget.")
@click.option("--json", "as_json", is_flag=True, help="Print the packet as JSON.")
def cli(task: str, budget: int | None, model: str | None, as_json: bool) -> None:
    """Assemble the context packet for TASK: constitution digest, best-fit agent,
    latest handoff, relevant learnings, ready work and next workflows."""
    from agentops_os.context.prime_usecase import prime

    prime(task, budget, model, as_json)
