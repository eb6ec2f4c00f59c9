"""PreCompact: write a handoff before Claude Code compacts the context away."""

from __future__ import annotations

from agentops_os.hooks.protocol import HookContext, HookResult


def handle(context: HookContext) -> HookResult | None:
    from agentops_os.context.auto import auto_handoff

    trigger = context.payload.get("trigger")
    auto_handoff(context, "context.handoff_on_compact",
                 f"pre-compact-{trigger}" if isinstance(trigger, str) else "pre-compact")
    return None
