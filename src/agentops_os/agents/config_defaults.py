"""Defaults for `ao agents lint` and `ao route` (pure data: imported on the hook path)."""

from __future__ import annotations

from typing import Any

DEFAULTS: dict[str, Any] = {
    "agents": {
        "include_user": True,
        "description_min_chars": 40,
        "description_max_chars": 1024,
        "max_jobs": 2,
        "readonly_roles": ["reviewer", "researcher", "auditor", "analyst", "explorer", "critic",
                           "inspector"],
        "write_tools": ["Write", "Edit", "MultiEdit", "NotebookEdit"],
        "prompt_warn_share": 0.05,
        "prompt_error_share": 0.25,
        "overlap_threshold": 0.6,
    },
    "route": {
        "top": 3,
        "min_confidence": 0.20,
        "kinds": ["agent", "codex-agent"],
        "use_history": True,
    },
}

DOCS: dict[str, str] = {
    "agents.include_user": "List and route the user's ~/.claude and ~/.codex definitions too.",
    "agents.description_min_chars": "Lint: descriptions shorter than this are too vague to route on.",
    "agents.description_max_chars": "Lint: descriptions longer than this cost context on every turn.",
    "agents.max_jobs": "Lint: a description naming more distinct jobs than this is flagged.",
    "agents.readonly_roles": "Lint: name/description words marking a role that must not write files.",
    "agents.write_tools": "Lint: tools a read-only role must not have (Bash is a warning).",
    "agents.prompt_warn_share": "Lint: warn when a prompt uses this share of the phase context budget.",
    "agents.prompt_error_share": "Lint: error when a prompt uses this share of the phase context budget.",
    "agents.overlap_threshold": "Lint: description similarity (0-1) above which two agents overlap.",
    "route.top": "How many ranked agents `ao route` shows.",
    "route.min_confidence": "Below this probability the router abstains ('no good match').",
    "route.kinds": "Catalog kinds the router chooses from (agent, command, skill, ...).",
    "route.use_history": "Train on past routing outcomes recorded under .agents/runs/routing/.",
}
