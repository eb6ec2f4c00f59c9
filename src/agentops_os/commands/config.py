"""`ao config show`: the effective configuration and where each value came from."""

from __future__ import annotations

from typing import Any

import click

from agentops_os import render
from agentops_os.config import load_config
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
    # Walk the nested values rather than `config.get(dotted)`: model names such as
    # "gpt-4.1" contain dots, so a flattened key cannot be split back reliably.
    rows = [(key, repr(value), config.sources.get(key, "default"))
            for key, value in sorted(_leaves(config.values))]
    render.table(["key", "value", "source"], rows, align_up_to=40)


def _leaves(values: dict[str, Any], prefix: str = "") -> list[tuple[str, Any]]:
    out: list[tuple[str, Any]] = []
    for key, value in values.items():
        if isinstance(value, dict) and value:
            out.extend(_leaves(value, f"{prefix}{key}."))
        else:
            out.append((f"{prefix}{key}", value))
    return out
