"""`ao mcp serve` as the real clients see it after `ao init --mcp`: Claude Code connects to
it and its model's `mcp__agentops__search` call is answered by ao (seen in the recorded
request), and Codex lists it from the project's config."""

from __future__ import annotations

import json

from tests.e2e.conftest import Host
from tests.e2e.model_server import ModelServer, Turn
from tests.e2e.test_claude_code import claude, text_of, tool_results


def approve_project_servers(host: Host) -> None:
    """The user's own approval of the project's .mcp.json servers (Claude Code asks once)."""
    path = host.home / ".claude.json"
    data = json.loads(path.read_text()) if path.exists() else {}
    data.setdefault("projects", {})[str(host.repo)] = {"hasTrustDialogAccepted": True,
                                                     "enabledMcpjsonServers": ["agentops"]}
    path.write_text(json.dumps(data))


def test_claude_code_calls_ao_through_mcp(host: Host) -> None:
    init = host.ao("init", "--mcp")
    assert init.returncode == 0 and "registered `ao mcp serve`" in init.stderr, init.stderr
    learned = host.ao("learn", "add", "Retry flaky network tests with backoff", "--body", "Use tenacity.")
    assert learned.returncode == 0, learned.stderr
    approve_project_servers(host)
    listed = host.run("claude", "mcp", "list")
    assert "agentops" in listed.stdout and "Connected" in listed.stdout, listed.stdout + listed.stderr
    turns = [Turn(text="Searching.", tools=[("mcp__agentops__search", {"query": "flaky network"})])]
    with ModelServer(turns, final_text="Found it.") as server:
        host.claude_env(server)
        claude(host, "what do we know about flaky tests?", "--allowedTools", "mcp__agentops__search")
    agent = server.agent_requests()
    (result,) = tool_results(agent[1].body)
    assert result.get("is_error") is not True
    assert "Retry flaky network tests with backoff" in text_of(result)


def test_codex_lists_ao_from_the_project_config(host: Host) -> None:
    with ModelServer([]) as server:
        host.codex_config(server)
        assert host.ao("init", "--mcp").returncode == 0
        listed = host.run("codex", "mcp", "list")
    assert listed.returncode == 0, listed.stderr
    row = next(line for line in listed.stdout.splitlines() if line.startswith("agentops"))
    assert "mcp serve" in row and "enabled" in row
