"""SessionStart: return the prime packet as additionalContext (within the protocol's
size limit), so every session starts with the constitution digest, the latest handoff
of its branch and relevant learnings.

Two paths. Warm (the common case, every session start while nothing changed): the
packet rendered last time is served from `.agents/.index/` after comparing cheap
`os.stat` facts of its inputs (`context.prime_cache`), with `os` as the only import.
Cold (the first start after a learning, handoff, the constitution, the branch, the
config or the agents changed, or when the index's rescan is due): build it exactly as
`ao prime` does, from the one index of learnings and handoffs (`knowledge`), with the same
ranking, and store it. Only the cold path imports the index, the ranking and (to read a
changed learning) YAML; never click or rich.
"""

from __future__ import annotations

from agentops_os.hooks.protocol import MAX_ADDITIONAL_CONTEXT_CHARS, HookContext, HookResult

TYPE_CHECKING = False
if TYPE_CHECKING:
    from pathlib import Path

# How long a "switched off" answer is kept (the config file is part of the key anyway).
_OFF_SECONDS = 86_400.0


def handle(context: HookContext) -> HookResult | None:
    import time

    from agentops_os.context import prime_cache

    root = context.root_str
    key = prime_cache.facts(root)
    now = time.time()
    text = prime_cache.lookup(root, key, now)
    if text is None:
        text, expires = _build(context.root, now)
        # Store only what was built from the inputs the key describes: if any of them
        # changed while we were building, the next start builds again.
        if expires is not None and prime_cache.facts(root) == key:
            try:  # noqa: SIM105 - contextlib is one more import on the hook path
                prime_cache.store(root, key, text, expires)
            except OSError:
                pass  # a read-only checkout still gets its packet, just not cached
    return HookResult(additional_context=text) if text else None


def _build(root: Path, now: float) -> tuple[str, float | None]:
    """The packet text ("" for none) and until when it may be served from the cache
    (None: do not cache, e.g. the index was unusable and the packet is degraded)."""
    from agentops_os.base.snapshot import settings

    config = settings(str(root))
    if not config.get("context.prime_on_session_start"):
        return "", now + _OFF_SECONDS
    from agentops_os.base.gitmeta import current_branch
    from agentops_os.context.prime import build, default_budget, open_conn

    branch = current_branch(str(root))
    rescan = float(config.get("context.index_rescan_seconds"))
    conn = open_conn(root, rescan)
    task = _task(conn, branch)
    # ~3.5 characters per token in English; the char cap is the hard limit anyway.
    budget = min(default_budget(config), MAX_ADDITIONAL_CONTEXT_CHARS * 2 // 7)
    packet = build(root, task, budget, branch=branch, conn=conn,
                   max_chars=MAX_ADDITIONAL_CONTEXT_CHARS - 100, with_agent=False)
    return packet.text, _expires(conn, rescan)


def _expires(conn: object, rescan: float) -> float | None:
    """When the index next rescans learnings/handoffs in full (it then finds in-place
    edits, which change no directory mtime): the cached packet must not outlive that."""
    if conn is None:
        return None
    row = conn.conn.execute(  # type: ignore[attr-defined]
        "SELECT min(scanned_at), count(*) FROM kn_dir_state "
        "WHERE dir IN ('learnings', 'handoffs')").fetchone()
    if not row or row[1] < 2 or row[0] is None:
        return None
    return float(row[0]) + rescan


def _task(conn: object, branch: str | None) -> str:
    """What this session is probably about: the latest handoff's goal, else the branch."""
    from agentops_os.context.prime import handoff_on

    found = handoff_on(conn, branch)
    if found and found[1] and found[1] != "handoff":
        return found[1]
    return (branch or "this repository").replace("-", " ").replace("/", " ")
