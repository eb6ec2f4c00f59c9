"""PermissionRequest: the host is about to ask the user to approve a tool call.

The guard judges the call again and answers only a deny (`decision.behavior = "deny"`),
so a call the policy forbids is never put to the user as a question: in Codex this is
how a command asking to leave its sandbox reaches the guard, and in Claude Code it
covers a call approved before the policy changed. Anything else is left to the user
(no answer). Unlike PreToolUse this does not fail closed: a crash leaves the decision
with the user, who is being asked anyway.
"""

from __future__ import annotations

from agentops_os.hooks.protocol import HookContext, HookResult


def handle(context: HookContext) -> HookResult | None:
    from agentops_os.hooks.pre_tool_use import judge_call

    return judge_call(context, answer_ask=False)
