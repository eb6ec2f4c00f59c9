"""What each feature writes to the ledger: one small function per event kind.

Imported from the PreToolUse hook when a call is denied: nothing heavy at load time."""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from pathlib import Path
    from typing import Any


def _subject(tool: str, tool_input: Any) -> str:
    if not isinstance(tool_input, dict):
        return ""
    for key in ("command", "file_path", "notebook_path", "path", "url"):
        value = tool_input.get(key)
        if isinstance(value, str):
            return value[:500]
    return ""


def record_guard(root: Path | str, tool: str, tool_input: Any, verdict: Any, session: str,
                 settings: Any = None, kind: str | None = None) -> None:
    """Record a guard denial (and asks, unless `audit.record_asks = false`) or, with
    `kind="budget.stop"`, a budget stop. `settings`: the hook's settings snapshot (or a
    dict of its sections); read from the repository when not given.

    Never raises: the call is already being denied; a ledger problem must not turn that
    into a crash (which would also deny, but with a less useful reason)."""
    try:
        from agentops_os.audit.ledger import append, writer_id
        from agentops_os.store.redact import Redactor

        if settings is None:
            import os

            from agentops_os.base.snapshot import settings as snapshot

            settings = snapshot(os.fspath(root))
        audit = settings.get("audit")
        audit = audit if isinstance(audit, dict) else {}
        if verdict.decision == "ask" and not audit.get("record_asks", True):
            return
        redaction = settings.get("redaction")
        extra = redaction.get("extra_patterns", []) if isinstance(redaction, dict) else []
        kind = kind or f"guard.{verdict.decision}"
        append(root, kind, {"tool": tool, "subject": _subject(tool, tool_input), "rule": verdict.rule,
                            "reason": verdict.reason, "session": session},
               writer=writer_id(str(audit.get("writer", ""))),
               # a bad custom pattern is skipped (and named), never the record
               redactor=Redactor(extra if isinstance(extra, list) else [], strict=False))
    except Exception as exc:  # noqa: BLE001 - see docstring
        import sys

        sys.stderr.write(f"ao: could not write the audit ledger: {exc}\n")
