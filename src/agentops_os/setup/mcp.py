"""`ao init --mcp`: register `ao mcp serve` with Claude Code (`.mcp.json`, the project's MCP
servers) and Codex (`.codex/config.toml`, `[mcp_servers.agentops]`), beside what the user
has there. A server named `agentops` that already exists is the user's and stays as it is.
"""

from __future__ import annotations

import json
import tomllib
from pathlib import Path

from agentops_os.errors import FatalError
from agentops_os.setup.settings import dump_settings, parse_json_object

SERVER_NAME = "agentops"
CLAUDE_FILE = Path(".mcp.json")
CODEX_FILE = Path(".codex") / "config.toml"


def claude_mcp_json(old: str | None, ao: str) -> str | None:
    """The new `.mcp.json` text, or None when ao is registered already."""
    data = parse_json_object(CLAUDE_FILE, old or "")
    servers = data.setdefault("mcpServers", {})
    if not isinstance(servers, dict):
        raise FatalError(f"{CLAUDE_FILE}:1: `mcpServers` must be an object")
    if SERVER_NAME in servers:
        return None
    servers[SERVER_NAME] = {"command": ao, "args": ["mcp", "serve"]}
    return dump_settings(data, old)


def codex_config_toml(old: str | None, ao: str) -> str | None:
    """The new `.codex/config.toml` text (the user's text kept byte for byte, ao's table
    appended), or None when a server named agentops is there already."""
    text = old or ""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise FatalError(f"{CODEX_FILE}: not valid TOML ({exc}); fix it, then run `ao init --mcp`") from exc
    servers = data.get("mcp_servers")
    if isinstance(servers, dict) and SERVER_NAME in servers:
        return None
    block = (f"[mcp_servers.{SERVER_NAME}]  # added by `ao init --mcp`\n"
             f"command = {json.dumps(ao)}\nargs = [\"mcp\", \"serve\"]\n")
    if text and not text.endswith("\n"):
        text += "\n"
    return text + ("\n" if text else "") + block
