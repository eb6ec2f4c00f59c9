"""`ao doctor`: check the AgentOps setup of this repository and say how to fix it."""

from __future__ import annotations

import click

from agentops_os import render
from agentops_os.errors import CheckFailed
from agentops_os.repo import require_root


@click.command("doctor")
@click.option("--json", "as_json", is_flag=True, help="Print every check as JSON.")
def cli(as_json: bool) -> None:
    """Check hooks, Claude Code settings, config and index; exit 1 on any problem."""
    from agentops_os.setup.doctor import run_doctor

    root = require_root()
    checks = run_doctor(root)
    problems = [c for c in checks if not c.ok]
    if as_json:
        render.emit_json({"ok": not problems, "root": str(root), "checks": [c.as_dict() for c in checks]})
    else:
        render.table(["check", "status", "detail"],
                     [(c.name, "ok" if c.ok else "PROBLEM", c.detail) for c in checks])
        for check in problems:
            render.info(f"fix ({check.name}): {check.fix}")
    if problems:
        raise CheckFailed(f"{len(problems)} problem(s) found")
    if not as_json:
        render.info("all checks passed")
