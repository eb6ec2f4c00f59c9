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

TYPE_CHECKING = False
if TYPE_CHECKING:
    from agentops_os.base.snapshot import Settings
    from agentops_os.budgets.check import BudgetStop
    from agentops_os.guard.policy import Policy
    from agentops_os.guard.verdict import Verdict


def handle(context: HookContext) -> HookResult | None:
    return judge_call(context, answer_ask=True)


def judge_call(context: HookContext, *, answer_ask: bool) -> HookResult | None:
    """The guard's answer for the call in `context`. `answer_ask=False` (a permission
    prompt, where the user is being asked already) answers only a deny."""
    from agentops_os.base.snapshot import default_settings, settings
    from agentops_os.errors import FatalError

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
    try:
        # no repository: no config of ours and nowhere to cache or record
        mine = default_settings() if outside else settings(root)
        policies = [(root, _policy(mine))]
        for outer in [] if outside else _outer_roots(root):
            # a nested repository never relaxes its outer repository's rules
            policies.append((outer, _policy(settings(outer))))
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
    answer: Verdict | BudgetStop | None = verdict
    kind = None
    if verdict is None or verdict.decision != "deny":  # a spent budget overrides allow and ask
        from agentops_os.budgets.hook import check_budget

        stop = check_budget(context, mine)
        if stop is not None:
            answer, kind = stop, stop.audit_kind
    if answer is None or answer.decision == "allow" or (answer.decision == "ask" and not answer_ask):
        return None
    from agentops_os.audit.record import record_guard

    record_guard(context.root_str, str(tool or ""), tool_input, answer, context.session_id, mine, kind=kind)
    prefix = "AgentOps budget" if kind else "AgentOps guard"
    return HookResult(permission_decision=answer.decision,
                      reason=f"{prefix} [{answer.rule}]: {answer.reason}")


def _policy(snapshot: Settings) -> Policy:
    from agentops_os.guard.policy import Policy

    return Policy.from_values(snapshot.section("guard"), snapshot.path or "agentops.toml", snapshot.sources)


def _outer_roots(root: str) -> list[str]:
    """Repositories enclosing `root`, whose policies also apply. ao's own worktree of this
    very repository (`ao rpi`/`ao swarm` put them under .agents/.index/worktrees/) is a
    checkout of the same policy, not a nested repository: judging it under the outer
    checkout too would deny every write the agent makes there as a write into ao's
    derived index."""
    from agentops_os.base.gitmeta import enclosing_roots
    from agentops_os.worktree_link import main_checkout_of

    return [] if main_checkout_of(root) is not None else enclosing_roots(root)
