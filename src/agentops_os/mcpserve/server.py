"""The MCP server: `AoTools` under the official SDK's `MCPServer`, over stdio.

Eight tools with one-sentence descriptions: peers that expose hundreds of tools spend tens
of thousands of context tokens on their schemas before the agent does anything
(`tests/mcpserve` keeps the whole list under 2,000 tokens).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import Any

from mcp.server import MCPServer
from mcp.server.mcpserver.exceptions import ToolError as SdkToolError

from agentops_os import __version__
from agentops_os.mcpserve.tools import AoTools, ToolError

INSTRUCTIONS = ("AgentOps for this repository: search its learnings, handoffs and history, "
                "prime a task, record a learning or handoff, route a task, check usage, run a gate.")


def build_server(root: Path) -> MCPServer:
    tools = AoTools(root)
    server = MCPServer("agentops", version=__version__, instructions=INSTRUCTIONS, log_level="WARNING")

    def expose(fn: Callable[..., str], description: str) -> None:
        @wraps(fn)
        def call(*args: Any, **kwargs: Any) -> str:
            try:
                return fn(*args, **kwargs)
            except ToolError as exc:  # the agent sees the command's one-line error
                raise SdkToolError(str(exc)) from exc

        server.add_tool(call, name=fn.__name__, description=description, structured_output=False)

    expose(tools.search, "Search learnings, handoffs, plans, sessions and commits; ids with one line each.")
    expose(tools.fetch, "One whole item by the id search gave (learning id, commit SHA or file path).")
    expose(tools.prime, "The context packet for a task: rules, best agent, handoff, learnings.")
    expose(tools.learn_add, "Record a learning (title, optional body and tags) for later sessions.")
    expose(tools.handoff_save, "Write a handoff of the current session so the next one can resume.")
    expose(tools.route, "The best-fit agent for a task, or no match.")
    expose(tools.usage_summary, "Tokens and cost so far (optionally since YYYY-MM-DD).")
    expose(tools.gate_run, "Run a gate set (default quick) and report each check.")
    return server


def serve(root: Path) -> None:
    build_server(root).run("stdio")
