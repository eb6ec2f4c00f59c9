"""PreToolUse: the guard. Judges every tool call and answers ask/deny per Claude Code's
`permissionDecision` protocol; silence means "no objection" (never an explicit allow,
which would skip Claude Code's own permission prompt).

Fail closed: a malformed policy denies with the policy error; any crash is turned into
a deny by `hooks.entry` (FAIL_CLOSED); a call outside any git repository is judged with
the built-in defaults (nothing is written there); a missing or non-string tool_name is
denied by the guard itself; nested repositories are judged under every enclosing
repository's policy (the strictest verdict wins). Budgets are checked here too, so a session past
its limit is stopped before the next tool runs.

Runs on every tool call: only `os` and the guard's own small modules are imported on the
common (allowed) path; the ledger, config loader and friends only when answering.
"""

from __future__ import annotations

from agentops_os.hooks.protocol import HookContext, HookResult, deny


def handle(context: HookContext) -> HookResult | None:
    return judge_call(context, answer_ask=True)


def judge_call(context: HookContext, *, answer_ask: bool) -> HookResult | None:
    """The guard's answer for the call in `context`. `answer_ask=False` (a permission
    prompt, where the user is being asked already) answers only a deny."""
    from agentops_os.errors import FatalError
    from agentops_os.guard.policy import Policy
    from agentops_os.guard.settings import enclosing_roots, hook_settings

    payload = context.payload
    tool = payload.get("tool_name")
    tool_input = payload.get("tool_input")
    if tool_input is None:
        tool_input = {}
    # In one of ao's worktrees the call is judged against the worktree (its files are the
    # project's files) and recorded in the repository's store (context.root).
    worktree = payload.get("_ao_worktree")
    root = worktree if isinstance(worktree, str) else context.root_str
    outside = bool(payload.get("_ao_outside_repo"))
    roots = [] if outside else enclosing_roots(root)
    try:
        if outside:  # no repository, so no config of ours and nowhere to cache or record
            from agentops_os.config import load_config

            defaults = load_config(None)
            settings: dict[str, object] = {"guard": defaults.section("guard"), "sources": {}, "path": None,
                                           "budgets": defaults.section("budgets")}
        else:
            settings = hook_settings(root)
        policies = [(root, Policy.from_values(settings["guard"], settings["path"] or "agentops.toml",  # type: ignore[arg-type]
                                              settings["sources"]))]  # type: ignore[arg-type]
        for outer in roots:  # a nested repository never relaxes its outer repository's rules
            outer_settings = hook_settings(outer)
            policies.append((outer, Policy.from_values(outer_settings["guard"],  # type: ignore[arg-type]
                                                       outer_settings["path"] or "agentops.toml",  # type: ignore[arg-type]
                                                       outer_settings["sources"])))  # type: ignore[arg-type]
    except FatalError as exc:
        return deny(f"AgentOps guard policy is invalid, so every guarded call is denied: {exc}")
    verdict = None
    judged = [(where, policy) for where, policy in policies if policy.enabled]
    if judged:
        from agentops_os.guard.judge import Judge, worst

        cwd = payload.get("cwd")
        verdict = worst([Judge(policy, where, cwd if isinstance(cwd, str) and cwd else None).tool(
            tool if isinstance(tool, str) else "", tool_input) for where, policy in judged])
    if outside:
        if verdict is None or verdict.decision == "allow" or (verdict.decision == "ask" and not answer_ask):
            return None
        return HookResult(permission_decision=verdict.decision,
                          reason=f"AgentOps guard [{verdict.rule}] (outside any repository, built-in rules): "
                                 f"{verdict.reason}")
    if verdict is None or verdict.decision != "deny":  # a spent budget overrides allow and ask
        from agentops_os.budgets.hook import check_budget

        stop = check_budget(context, settings)
        if stop is not None:
            verdict = stop
        elif verdict is None or verdict.decision == "allow":
            return None
    if verdict.decision == "ask" and not answer_ask:
        return None
    from agentops_os.audit.record import record_guard

    record_guard(context.root_str, str(tool or ""), tool_input, verdict, context.session_id, settings)
    prefix = "AgentOps budget" if verdict.rule.startswith("budget") else "AgentOps guard"
    return HookResult(permission_decision=verdict.decision,
                      reason=f"{prefix} [{verdict.rule}]: {verdict.reason}")
