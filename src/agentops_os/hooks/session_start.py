"""SessionStart: return the prime packet as additionalContext (within the protocol's
size limit), so every session starts with the constitution digest, the latest handoff
of its branch and relevant learnings. Reads learnings/handoffs from the index; no YAML,
no click, no rich on this path.
"""

from __future__ import annotations

from agentops_os.hooks.protocol import MAX_ADDITIONAL_CONTEXT_CHARS, HookContext, HookResult


def handle(context: HookContext) -> HookResult | None:
    from agentops_os.context.settings import hook_config

    config = hook_config(context.root)
    if not config.get("context.prime_on_session_start"):
        return None
    from agentops_os.context.prime import build, default_budget, open_conn
    from agentops_os.git import branch_from_head_file

    branch = branch_from_head_file(context.root)
    conn = open_conn(context.root, float(config.get("context.index_rescan_seconds")))
    task = _task(conn, branch)
    # ~3.5 characters per token in English; the char cap is the hard limit anyway.
    budget = min(default_budget(config), MAX_ADDITIONAL_CONTEXT_CHARS * 2 // 7)
    packet = build(context.root, task, budget, branch=branch, conn=conn,
                   max_chars=MAX_ADDITIONAL_CONTEXT_CHARS - 100, with_agent=False,
                   with_search=False)
    if not packet.text:
        return None
    return HookResult(additional_context=packet.text)


def _task(conn: object, branch: str | None) -> str:
    """What this session is probably about: the latest handoff's goal, else the branch."""
    if conn is not None and branch:
        row = conn.execute(  # type: ignore[attr-defined]
            "SELECT title FROM context_docs WHERE kind = 'handoff' AND branch = ? "
            "ORDER BY created DESC, path DESC LIMIT 1", (branch,)).fetchone()
        if row and row[0] and row[0] != "handoff":
            return str(row[0])
    return (branch or "this repository").replace("-", " ").replace("/", " ")
