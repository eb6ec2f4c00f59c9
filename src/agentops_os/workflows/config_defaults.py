"""Defaults of the workflows (`[rpi]`, `[swarm]`). Pure data: the config loader imports it."""

from __future__ import annotations

from typing import Any

DEFAULTS: dict[str, Any] = {
    "rpi": {
        "approve": "ask",
        "max_attempts": 3,
        "budget_restarts": 2,
        "on_success": "review",
        "gate": "ci",
        "max_cost_usd": 0.0,
        "bundle_above_tokens": 2000,
        "bundle_ratio": 5.0,
        "branch_prefix": "ao/rpi-",
        "tools": {
            "research": ["Read", "Grep", "Glob", "LS"],
            "plan": ["Read", "Grep", "Glob", "LS"],
            "implement": ["Read", "Grep", "Glob", "LS", "Edit", "MultiEdit", "Write", "Bash"],
        },
    },
    "swarm": {
        "workers": 2,
        "gates": "",
        "setup_command": "",
        "beads_command": "bd",
        "heartbeat_timeout_seconds": 15.0,
    },
}

DOCS: dict[str, str] = {
    "rpi.approve": "Plan approval before implement: ask (an `ao approve` request) or auto (skipped).",
    "rpi.max_attempts": "Implement attempts after failed validation before the run fails.",
    "rpi.budget_restarts": "Fresh restarts of one phase after it hit the live context limit.",
    "rpi.on_success": "After validation passes: review (leave the branch) or merge (fast-forward only).",
    "rpi.gate": "Gate set run by the validate phase (`ao gate run SET`); skipped if it has no checks.",
    "rpi.max_cost_usd": "Estimated USD a whole run may spend (default for --max-cost); 0 = no limit.",
    "rpi.bundle_above_tokens": "A phase output longer than this (tokens) is compressed into a bundle "
                               "for the next phase.",
    "rpi.bundle_ratio": "Compression ratio of those bundles.",
    "rpi.branch_prefix": "Branch name prefix of implement's worktree branch.",
    "rpi.tools": "Tools each agent phase may use (Claude Code --allowedTools names).",
    "swarm.workers": "Tasks run at once by `ao swarm run` without --workers.",
    "swarm.heartbeat_timeout_seconds": "--engine temporal: a task whose worker sent no heartbeat for this "
                                       "long is given to another worker.",
    "swarm.gates": "Gate set each task's branch must pass (a task's own `gates:` wins); empty = none.",
    "swarm.setup_command": "Shell command run in each new task worktree before the agent (e.g. `npm ci`).",
    "swarm.beads_command": "How to start beads' `bd` for `ao swarm run --from-beads`.",
}
