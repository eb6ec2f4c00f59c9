"""`ao guard check`: ask the guard about a command or path without an agent."""

from __future__ import annotations

import os

import click

from agentops_os import render
from agentops_os.errors import CheckFailed
from agentops_os.repo import require_root

_FIELDS = {"Bash": "command", "Write": "file_path", "Edit": "file_path", "MultiEdit": "file_path",
           "NotebookEdit": "notebook_path", "Read": "file_path", "Grep": "path", "WebFetch": "url"}


@click.group("guard")
def cli() -> None:
    """The PreToolUse guard's policy ([guard] in agentops.toml)."""


@cli.command("check")
@click.argument("subject", nargs=-1, required=True)
@click.option("--tool", type=click.Choice(sorted(_FIELDS)), default="Bash", show_default=True,
              help="Judge as this Claude Code tool (SUBJECT is the command, path or URL).")
@click.option("--json", "as_json", is_flag=True, help="Print the verdict as JSON.")
def check_cmd(subject: tuple[str, ...], tool: str, as_json: bool) -> None:
    """Judge SUBJECT as the hook would; exit 1 if it would be denied or asked."""
    from agentops_os.config import load_config
    from agentops_os.guard.judge import Judge
    from agentops_os.guard.policy import Policy

    root = require_root()
    policy = Policy.from_config(load_config(root))  # a malformed policy exits 2 here
    verdict = Judge(policy, root, os.getcwd()).tool(tool, {_FIELDS[tool]: " ".join(subject)})
    if as_json:
        render.emit_json(verdict.to_dict())
    else:
        render.info(f"{verdict.decision}" + (f" [{verdict.rule}]: {verdict.reason}" if verdict.rule else ""))
    if verdict.decision != "allow":
        raise CheckFailed(f"the guard would {verdict.decision} this {tool} call")
