"""Defaults of the runtimes (`[runtimes]`). Pure data: the config loader imports it."""

from __future__ import annotations

from typing import Any

DEFAULTS: dict[str, Any] = {
    "runtimes": {
        "default": "claude",
        "claude_command": "claude",
        "codex_command": "codex",
        "scripted_script": "",
        "timeout_seconds": 1800,
        "context_limit": 0.40,
        "api": {
            "wire": "anthropic",
            "base_url": "https://api.anthropic.com",
            "key_env": "ANTHROPIC_API_KEY",
            "model": "claude-sonnet-4-5",
            "max_tokens": 8192,
            "max_turns": 40,
        },
    },
}

DOCS: dict[str, str] = {
    "runtimes.default": "Runtime a workflow uses without --runtime: claude, codex, api or scripted.",
    "runtimes.claude_command": "How to start Claude Code (split like a shell would; e.g. `npx claude`).",
    "runtimes.codex_command": "How to start the Codex CLI.",
    "runtimes.scripted_script": "Script (YAML) of the scripted runtime; empty = the bundled demo script.",
    "runtimes.timeout_seconds": "Longest one agent run may take before its process group is killed; "
                                "0 = none.",
    "runtimes.context_limit": "Live context budget: a phase past this fraction of the window is ended "
                              "with a handoff and restarted fresh (the 40% rule); 0 = off.",
    "runtimes.api.wire": "API shape of the api runtime: anthropic (Messages), responses or chat (OpenAI).",
    "runtimes.api.base_url": "Base URL of the api runtime's endpoint (local model servers work).",
    "runtimes.api.key_env": "Environment variable holding the api runtime's key (never the key itself).",
    "runtimes.api.model": "Model the api runtime asks for.",
    "runtimes.api.max_tokens": "max_tokens of each api request.",
    "runtimes.api.max_turns": "Most model turns of one api run (its built-in tool loop).",
}
