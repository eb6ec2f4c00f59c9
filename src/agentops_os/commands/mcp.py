"""`ao mcp serve`: ao's tools for agents over the Model Context Protocol (stdio)."""

from __future__ import annotations

import click


@click.group("mcp")
def cli() -> None:
    """ao as an MCP server for Claude Code, Codex and other agents (see docs/mcp.md)."""


@cli.command("serve")
def serve() -> None:
    """Serve ao's eight tools over stdio until the client closes the connection."""
    from agentops_os.mcpserve.server import serve as run
    from agentops_os.repo import require_root

    run(require_root())
