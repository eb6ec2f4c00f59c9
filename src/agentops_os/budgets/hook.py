"""Budget check on the PreToolUse path (placeholder until budgets land)."""

from __future__ import annotations

from typing import Any

from agentops_os.hooks.protocol import HookContext


def check_budget(context: HookContext, config: Any) -> Any:
    return None
