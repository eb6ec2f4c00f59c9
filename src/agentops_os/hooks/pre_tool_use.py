"""PreToolUse: the guard. Judges every tool call and answers ask/deny per Claude Code's
`permissionDecision` protocol; silence means "no objection" (never an explicit allow,
which would skip Claude Code's own permission prompt).

Fail closed: a malformed policy denies with the policy error; any crash is turned into
a deny by `hooks.entry` (FAIL_CLOSED). Budgets are checked here too, so a session past
its limit is stopped before the next tool runs.

Runs on every tool call: only `os` and the guard's own small modules are imported on the
common (allowed) path; the ledger, config loader and friends only when answering.
"""

from __future__ import annotations

from agentops_os.hooks.protocol import HookContext, HookResult, deny


def handle(context: HookContext) -> HookResult | None:
    from agentops_os.errors import FatalError
    from agentops_os.guard.policy import Policy
    from agentops_os.guard.settings import hook_settings

    payload = context.payload
    tool = str(payload.get("tool_name") or "")
    tool_input = payload.get("tool_input") or {}
    root = context.root_str
    try:
        settings = hook_settings(root)
        policy = Policy.from_values(settings["guard"], settings["path"] or "agentops.toml",  # type: ignore[arg-type]
                                    settings["sources"])  # type: ignore[arg-type]
    except FatalError as exc:
        return deny(f"AgentOps guard policy is invalid, so every guarded call is denied: {exc}")
    verdict = None
    if policy.enabled:
        from agentops_os.guard.judge import Judge

        cwd = payload.get("cwd")
        judge = Judge(policy, root, cwd if isinstance(cwd, str) and cwd else None)
        verdict = judge.tool(tool, tool_input)
    if verdict is None or verdict.decision != "deny":  # a spent budget overrides allow and ask
        from agentops_os.budgets.hook import check_budget

        stop = check_budget(context, settings)
        if stop is not None:
            verdict = stop
        elif verdict is None or verdict.decision == "allow":
            return None
    from agentops_os.audit.record import record_guard

    record_guard(root, tool, tool_input, verdict, context.session_id, settings)
    prefix = "AgentOps budget" if verdict.rule.startswith("budget") else "AgentOps guard"
    return HookResult(permission_decision=verdict.decision,
                      reason=f"{prefix} [{verdict.rule}]: {verdict.reason}")
