"""`ao config show`: the effective configuration and where each value came from."""

from __future__ import annotations

import click

from agentops_os import render
from agentops_os.config import _flatten, load_config
from agentops_os.repo import require_root


@click.group("config")
def cli() -> None:
    """Show the effective agentops.toml configuration."""


@cli.command("show")
@click.option("--json", "as_json", is_flag=True, help="Print as JSON.")
def show(as_json: bool) -> None:
    """Print every key, its value and its source (default or agentops.toml:LINE)."""
    config = load_config(require_root())
    if as_json:
        render.emit_json({"path": str(config.path) if config.path else None,
                          "values": config.values, "sources": config.sources})
        return
    rows = []
    for key in sorted(_flatten(config.values)):
        rows.append((key, repr(config.get(key)), config.sources.get(key, "default")))
    render.table(["key", "value", "source"], rows)
