"""What each feature writes to the ledger: one small function per event kind."""

from __future__ import annotations

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


def record_guard(root: Path, tool: str, tool_input: Any, verdict: Any, session: str) -> None:
    """Record a guard denial (and asks, unless `audit.record_asks = false`) or a budget stop.

    Never raises: the call is already being denied; a ledger problem must not turn that
    into a crash (which would also deny, but with a less useful reason)."""
    try:
        from agentops_os.audit.ledger import append
        from agentops_os.config import load_config

        config = load_config(root)
        if verdict.decision == "ask" and not config.get("audit.record_asks", True):
            return
        kind = "budget.stop" if verdict.rule.startswith("budget") else f"guard.{verdict.decision}"
        from agentops_os.audit.ledger import writer_id

        append(root, kind, {"tool": tool, "subject": _subject(tool, tool_input), "rule": verdict.rule,
                            "reason": verdict.reason, "session": session},
               writer=writer_id(str(config.get("audit.writer", ""))))
    except Exception as exc:  # noqa: BLE001 - see docstring
        import sys

        sys.stderr.write(f"ao: could not write the audit ledger: {exc}\n")
