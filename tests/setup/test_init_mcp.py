"""`ao init --mcp` merges ao's MCP server into the user's files, never replacing theirs."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path

from conftest import run_ao


def test_users_servers_are_kept_and_a_second_run_changes_nothing(repo: Path) -> None:
    (repo / ".mcp.json").write_text(json.dumps({"mcpServers": {"db": {"command": "db-mcp"}}}))
    (repo / ".codex").mkdir()
    user_toml = 'model = "gpt-6-sol"  # mine\n\n[mcp_servers.db]\ncommand = "db-mcp"\n'
    (repo / ".codex/config.toml").write_text(user_toml)
    first = run_ao("init", "--mcp", cwd=repo)
    assert first.returncode == 0, first.stderr
    servers = json.loads((repo / ".mcp.json").read_text())["mcpServers"]
    assert servers["db"] == {"command": "db-mcp"} and servers["agentops"]["args"] == ["mcp", "serve"]
    text = (repo / ".codex/config.toml").read_text()
    assert text.startswith(user_toml)
    parsed = tomllib.loads(text)
    assert parsed["model"] == "gpt-6-sol" and set(parsed["mcp_servers"]) == {"db", "agentops"}
    before = ((repo / ".mcp.json").read_text(), text)
    second = run_ao("init", "--mcp", cwd=repo)
    assert second.returncode == 0 and "registered `" not in second.stderr
    assert ((repo / ".mcp.json").read_text(), (repo / ".codex/config.toml").read_text()) == before


def test_a_server_named_agentops_is_the_users(repo: Path) -> None:
    mine = {"mcpServers": {"agentops": {"command": "/opt/my-ao", "args": ["mcp", "serve", "--x"]}}}
    (repo / ".mcp.json").write_text(json.dumps(mine))
    assert run_ao("init", "--mcp", cwd=repo).returncode == 0
    assert json.loads((repo / ".mcp.json").read_text()) == mine


def test_without_the_flag_nothing_is_registered(repo: Path) -> None:
    assert run_ao("init", cwd=repo).returncode == 0
    assert not (repo / ".mcp.json").exists()


def test_bad_toml_is_one_line_and_exit_2(repo: Path) -> None:
    (repo / ".codex").mkdir()
    (repo / ".codex/config.toml").write_text("[mcp_servers\n")
    proc = run_ao("init", "--mcp", cwd=repo)
    assert proc.returncode == 2 and ".codex/config.toml: not valid TOML" in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1
    assert (repo / ".codex/config.toml").read_text() == "[mcp_servers\n"
