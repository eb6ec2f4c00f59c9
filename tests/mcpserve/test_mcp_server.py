"""`ao mcp serve` driven by the MCP SDK's own client over stdio, as Claude Code or Codex
would drive it: the tool list, its schema budget, and each tool's answer."""

from __future__ import annotations

import asyncio
import os
import sys
from pathlib import Path
from typing import Any

import orjson
from mcp import Client
from mcp.client.stdio import StdioServerParameters

from agentops_os.context.tokens import estimate_tokens
from conftest import run_ao

TOOLS = {"search", "fetch", "prime", "learn_add", "handoff_save", "route", "usage_summary", "gate_run"}


def session(repo: Path, script: Any) -> Any:
    params = StdioServerParameters(command=sys.executable, args=["-m", "agentops_os", "mcp", "serve"],
                                   cwd=repo, env=dict(os.environ))

    async def main() -> Any:
        async with Client(params) as client:
            return await script(client)

    return asyncio.run(main())


def text(result: Any) -> str:
    return "\n".join(part.text for part in result.content if getattr(part, "text", None))


def test_eight_tools_whose_schemas_fit_in_2000_tokens(repo: Path) -> None:
    async def script(client: Client) -> Any:
        return await client.list_tools()

    listed = session(repo, script).tools
    assert {tool.name for tool in listed} == TOOLS
    schemas = orjson.dumps([tool.model_dump(by_alias=True, exclude_none=True) for tool in listed]).decode()
    assert estimate_tokens(schemas) <= 2000, estimate_tokens(schemas)
    search = next(tool for tool in listed if tool.name == "search")
    assert search.input_schema["required"] == ["query"]


def test_learn_search_fetch_route_prime_usage_and_gate(repo: Path) -> None:
    assert run_ao("init", cwd=repo).returncode == 0
    secret = "ghp_" + "A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8"

    async def script(client: Client) -> dict[str, Any]:
        out: dict[str, Any] = {}
        out["added"] = text(await client.call_tool("learn_add", {
            "title": "Retry flaky network tests with backoff",
            "body": f"Use tenacity; the CI token {secret} was in the log.", "tags": ["testing"]}))
        out["search"] = text(await client.call_tool("search", {"query": "flaky network"}))
        learning = out["search"].split()[0]
        out["fetch"] = text(await client.call_tool("fetch", {"item": learning}))
        out["missing"] = await client.call_tool("fetch", {"item": "../../etc/passwd"})
        out["route"] = text(await client.call_tool("route", {"task": "review the diff of this branch"}))
        out["prime"] = text(await client.call_tool("prime", {"task": "fix the flaky network test"}))
        out["usage"] = text(await client.call_tool("usage_summary", {}))
        out["gate"] = text(await client.call_tool("gate_run", {"name": "quick"}))
        return out

    out = session(repo, script)
    assert out["added"].startswith("added l-")
    assert "learning" in out["search"] and "Retry flaky network tests" in out["search"]
    assert "Use tenacity" in out["fetch"] and secret not in out["fetch"]
    assert out["missing"].is_error and "not a learning id" in text(out["missing"])
    assert out["route"].split()[0] in {"reviewer", "researcher", "planner", "implementer"}
    assert "flaky" in out["prime"].lower()
    assert out["usage"].startswith("0 tokens")
    assert out["gate"].startswith("gate quick: passed")
