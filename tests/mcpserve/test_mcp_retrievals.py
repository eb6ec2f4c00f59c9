"""The MCP tools' answers are recorded as served through MCP (`by: mcp`): the learnings
`search` and `prime` hand out, and the agent `route` picks (knowledge/retrievals.py)."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any

import pytest
from mcp import Client
from mcp.client.stdio import StdioServerParameters

from conftest import run_ao


def test_search_prime_and_route_through_mcp_are_recorded_as_mcp(
        repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import asyncio

    monkeypatch.setenv("AO_AUDIT_WRITER", "dev@laptop")
    assert run_ao("init", cwd=repo).returncode == 0
    added = json.loads(run_ao("learn", "add", "Retry flaky network tests with backoff", "--json",
                              cwd=repo).stdout)["id"]
    params = StdioServerParameters(command=sys.executable, args=["-m", "agentops_os", "mcp", "serve"],
                                   cwd=repo, env=dict(os.environ))

    async def main() -> None:
        async with Client(params) as client:
            for tool, arguments in (("search", {"query": "flaky network"}),
                                    ("prime", {"task": "fix the flaky network test"}),
                                    ("fetch", {"item": added}),
                                    ("route", {"task": "review the diff of this branch"})):
                result: Any = await client.call_tool(tool, arguments)
                assert not result.is_error, result

    asyncio.run(main())
    served = [json.loads(line) for path in sorted((repo / ".agents" / "runs" / "retrievals").glob("*.jsonl"))
              for line in path.read_text().splitlines()]
    assert [(r["by"], r["ids"]) for r in served] == [("mcp", [added]), ("mcp", [added])]  # fetch: not again
    decisions = [json.loads(line) for path in (repo / ".agents" / "runs" / "route-decisions").glob("*.jsonl")
                 for line in path.read_text().splitlines()]
    assert [(d["by"], d["abstained"]) for d in decisions] == [("mcp", False)]
