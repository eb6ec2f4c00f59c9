"""Handler for the session_end hook event. Later features add behaviour here."""

from __future__ import annotations

from agentops_os.hooks.protocol import HookContext, HookResult


def handle(context: HookContext) -> HookResult | None:
    return None
