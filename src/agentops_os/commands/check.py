"""`ao check diff`: failure-pattern findings for a diff (usable as a gate check)."""

from __future__ import annotations

import click

from agentops_os import render
from agentops_os.errors import CheckFailed, FatalError
from agentops_os.repo import require_root


@click.group("check")
def cli() -> None:
    """Checks for the agent failure patterns."""


@cli.command("diff")
@click.argument("rev", required=False)
@click.option("--staged", is_flag=True, help="Check what is staged for the next commit.")
@click.option("--json", "as_json", is_flag=True, help="Print findings as JSON.")
def diff_cmd(rev: str | None, staged: bool, as_json: bool) -> None:
    """Check the working tree against HEAD, REV (`main`, `A..B`, `A...B`) or --staged.

    Exit 1 when a blocking finding is present (see diffcheck.blocking)."""
    from agentops_os.config import load_config
    from agentops_os.diffcheck.checks import Settings, check_diff

    if rev and staged:
        raise FatalError("give either REV or --staged, not both")
    root = require_root()
    findings = check_diff(root, Settings.from_config(load_config(root)), rev, staged)
    blocking = [f for f in findings if f.severity == "block"]
    if as_json:
        render.emit_json({"findings": [f.to_dict() for f in findings], "blocking": len(blocking)})
    elif findings:
        render.table(["severity", "location", "check", "finding", "factor"],
                     [(f.severity.upper(), f.location, f.check, f.message, f.factor) for f in findings])
    else:
        render.info("no failure patterns found in the diff")
    if blocking:
        raise CheckFailed(f"{len(blocking)} blocking finding(s); first: {blocking[0].location} "
                          f"{blocking[0].message}")
