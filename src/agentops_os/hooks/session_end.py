"""SessionEnd: write a handoff when a session ends (clear, logout, exit...)."""

from __future__ import annotations

from agentops_os.hooks.protocol import HookContext, HookResult


def handle(context: HookContext) -> HookResult | None:
    from agentops_os.context.auto import auto_handoff

    reason = context.payload.get("reason")
    auto_handoff(context, "context.handoff_on_session_end",
                 f"session-end-{reason}" if isinstance(reason, str) else "session-end")
    return None
