"""`ao init`: scaffold AgentOps into this git repository (merge, never clobber)."""

from __future__ import annotations

import sys

import click

from agentops_os import render
from agentops_os.repo import require_root


@click.command("init")
@click.option("--dry-run", is_flag=True, help="Print the diff of what would change; change nothing.")
@click.option("--force", is_flag=True, help="Also replace scaffold files you have modified.")
@click.option("--json", "as_json", is_flag=True, help="Print the changes as JSON.")
def cli(dry_run: bool, force: bool, as_json: bool) -> None:
    """Create .agents/, agentops.toml, agents, Claude Code and git hooks.

    Existing settings, hooks and files are merged or chained, never replaced; a second
    run changes nothing.
    """
    from agentops_os.setup import apply_init, plan_init

    root = require_root()
    plan = plan_init(root, force=force)
    if dry_run and not as_json:
        for change in plan.changes:
            sys.stdout.write(change.diff())
    if not dry_run:
        apply_init(plan)
    if as_json:
        render.emit_json({
            "root": str(root), "dry_run": dry_run,
            "changes": [{"path": c.rel, "what": c.what, **({"diff": c.diff()} if dry_run else {})}
                        for c in plan.changes],
            "skipped": plan.skipped, "notes": plan.notes,
        })
    verb = "would change" if dry_run else "changed"
    for change in plan.changes:
        render.info(f"{verb} {change.rel}: {change.what}")
    for line in plan.skipped:
        render.info(f"left alone {line}")
    for line in plan.notes:
        render.info(f"note: {line}")
    if not plan.changes:
        render.info("nothing to do: AgentOps is already set up here")
    elif not dry_run:
        render.info(f"initialised AgentOps in {root} ({len(plan.changes)} changes); "
                    "check it with `ao doctor`")
