"""Handler for the user_prompt_submit hook event. Later features add behaviour here."""

from __future__ import annotations

from agentops_os.hooks.protocol import HookContext, HookResult


def handle(context: HookContext) -> HookResult | None:
    return None
