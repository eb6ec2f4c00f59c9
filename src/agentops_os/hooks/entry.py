"""`ao hook <event>`: read Claude Code's JSON on stdin, answer per its protocol.

This module is imported by `agentops_os.entry` before anything else; it imports only
the standard library and the light hook modules. Heavy work belongs in the per-event
handler modules and must stay off the common path.

Failure policy: bad stdin or a crash in a handler is logged under `.agents/.index/` and
the hook exits 0 (never break the user's agent), except for guard events
(`FAIL_CLOSED`), which deny with the reason instead.
"""

from __future__ import annotations

import importlib
import json
import os
import sys
import time
import traceback
from pathlib import Path
from typing import Any

from agentops_os.hooks.protocol import EVENTS, FAIL_CLOSED, HookContext, HookResult, deny
from agentops_os.repo import find_root, index_dir

HOOK_ERROR_LOG = "hook-errors.log"


def run_hook(args: list[str]) -> int:
    if not args or args[0] not in EVENTS:
        names = ", ".join(EVENTS)
        sys.stderr.write(f"ao hook: unknown event {args[0] if args else '(none)'!r}; one of: {names}\n")
        return 2
    event = args[0]
    raw = sys.stdin.buffer.read()
    root = None
    try:
        payload = json.loads(raw) if raw.strip() else {}
        if not isinstance(payload, dict):
            raise ValueError("hook input must be a JSON object")
    except ValueError as exc:
        root = find_root()
        problem = f"stdin is not valid hook JSON: {exc}"
        _log_problem(root, event, problem)
        return _fail(event, problem)
    root = find_root(payload.get("cwd") or None) or find_root()
    if root is None:
        # Outside any git repository there is nothing of ours to record or guard.
        return 0
    context = HookContext(event=event, payload=payload, root=root)
    try:
        result = dispatch(context)
    except Exception as exc:  # noqa: BLE001 - every failure must be contained here
        _log_problem(root, event, f"{type(exc).__name__}: {exc}\n{traceback.format_exc()}")
        return _fail(event, f"AgentOps hook crashed ({type(exc).__name__}: {exc})")
    if result is not None:
        text = result.render(event)
        if text:
            sys.stdout.write(text + "\n")
    return 0


def dispatch(context: HookContext) -> HookResult | None:
    if context.event in ("session-start", "session-end"):
        record_session_event(context)
    module = importlib.import_module(f"agentops_os.hooks.{context.event.replace('-', '_')}")
    result: HookResult | None = module.handle(context)
    return result


def _fail(event: str, problem: str) -> int:
    if event in FAIL_CLOSED:
        reason = f"AgentOps guard could not judge this call, so it is denied: {problem}"
        sys.stdout.write(deny(reason).render(event) + "\n")
    return 0


def _log_problem(root: Path | None, event: str, problem: str) -> None:
    if root is None:
        sys.stderr.write(f"ao hook {event}: {problem}\n")
        return
    try:
        directory = index_dir(root)
        directory.mkdir(parents=True, exist_ok=True)
        stamp = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
        with open(directory / HOOK_ERROR_LOG, "a", encoding="utf-8") as handle:
            handle.write(f"{stamp} {event}: {problem.rstrip()}\n")
    except OSError:
        sys.stderr.write(f"ao hook {event}: {problem}\n")


def record_session_event(context: HookContext) -> None:
    """Append a session start/end marker to `.agents/sessions/events/<session>.jsonl`.

    Metrics only: ids, times, source/reason, model; never prompt or transcript content.
    """
    from agentops_os.config import load_config

    if not load_config(context.root).get("hooks.record_session_events"):
        return
    from agentops_os.store.atomic import append_line

    payload = context.payload
    session = "".join(c for c in context.session_id if c.isalnum() or c in "-_.")[:120] or "unknown"
    record: dict[str, Any] = {
        "schema_version": 1,
        "event": EVENTS[context.event],
        "session_id": session,
        "at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "agent": "claude-code",
    }
    for key in ("source", "reason", "model"):
        value = payload.get(key)
        if isinstance(value, str | int | float) and not isinstance(value, bool):
            record[key] = value if not isinstance(value, str) else value[:100]
        elif isinstance(value, dict) and isinstance(value.get("id"), str):
            record[key] = value["id"][:100]
    cwd = payload.get("cwd")
    if isinstance(cwd, str):
        record["cwd"] = os.path.relpath(cwd, context.root)
    path = context.root / ".agents" / "sessions" / "events" / f"{session}.jsonl"
    append_line(path, json.dumps(record, sort_keys=True).encode("utf-8"))
