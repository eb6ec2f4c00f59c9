"""`ao hook <event>`: read Claude Code's JSON on stdin, answer per its protocol.

This module is imported by `agentops_os.entry` before anything else and runs on every
agent tool call, so its budget is a few milliseconds over a bare interpreter start
(`bench/hook_latency`). It therefore imports only `os` and `sys` plus the light
protocol module: no `json` (its decoder imports `re`; we drive the C scanner directly),
no `pathlib`, `typing`, `importlib` or `traceback` unless something needs them. Heavy
work belongs in the per-event handler modules and must stay off the common path.

Failure policy: bad stdin or a crash in a handler is logged under `.agents/.index/` and
the hook exits 0 (never break the user's agent), except for guard events
(`FAIL_CLOSED`), which deny with the reason instead.
"""

from __future__ import annotations

import os
import sys

from agentops_os.base.gitmeta import find_root
from agentops_os.base.layout import agents_path, index_path
from agentops_os.hooks.protocol import (
    EVENTS,
    FAIL_CLOSED,
    HANDLED,
    IGNORED,
    RECORDED,
    HookContext,
    HookResult,
    deny,
)
from agentops_os.hosts import CLAUDE_CODE
from agentops_os.jsonscan import WHITESPACE as _WHITESPACE
from agentops_os.jsonscan import make_scan

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

HOOK_ERROR_LOG = "hook-errors.log"
UNKNOWN_EVENTS_LOG = "hook-unknown-events.log"


def run_hook(args: list[str]) -> int:
    if not args:
        names = ", ".join(EVENTS)
        sys.stderr.write(f"ao hook: name the event; one of: {names}\n")
        return 2
    event = args[0]
    raw = sys.stdin.buffer.read()  # read even when ignoring: the host must not see a broken pipe
    if event in IGNORED:
        return 0
    if event not in EVENTS:
        # A host newer than this ao: never break its agent; leave a line for `ao doctor`.
        _note_unknown_event(raw, event)
        return 0
    try:
        payload = parse_payload(raw)
    except ValueError as exc:
        problem = f"stdin is not valid hook JSON: {exc}"
        _log_problem(find_root(), event, problem)
        return _fail(event, problem)
    cwd = payload.get("cwd")
    root = (find_root(cwd) if isinstance(cwd, str) and cwd else None) or find_root()
    if root is None:
        if event not in FAIL_CLOSED:
            return 0  # outside any git repository there is nothing of ours to record
        # The guard still judges (built-in defaults, nothing written): never allow-all.
        where = cwd if isinstance(cwd, str) and cwd and os.path.isdir(cwd) else os.getcwd()
        payload["_ao_outside_repo"] = True
        root = os.path.realpath(where)
    else:
        from agentops_os.worktree_link import main_checkout_of

        main = main_checkout_of(root)
        if main is not None:  # an `ao rpi`/`ao swarm` worktree: judged as itself, recorded in the repo
            payload["_ao_worktree"] = root
            root = main
    context = HookContext(event=event, payload=payload, root=root)
    try:
        result = dispatch(context)
    except Exception as exc:  # noqa: BLE001 - every failure must be contained here
        import traceback

        _log_problem(root, event, f"{type(exc).__name__}: {exc}\n{traceback.format_exc()}")
        return _fail(event, f"AgentOps hook crashed ({type(exc).__name__}: {exc})")
    if result is not None:
        text = result.render(event)
        if text:
            sys.stdout.write(text + "\n")
    return 0


def dispatch(context: HookContext) -> HookResult | None:
    if context.event in RECORDED:
        record_session_event(context)
    if context.event not in HANDLED:
        return None
    name = f"agentops_os.hooks.{context.event.replace('-', '_')}"
    __import__(name)  # importlib.import_module would cost an extra import
    result: HookResult | None = sys.modules[name].handle(context)
    return result


# -- JSON without `import json` (agentops_os.jsonscan) ---------------------------------------

def parse_payload(raw: bytes) -> dict:  # type: ignore[type-arg]
    """Decode hook stdin into a dict; ValueError with the reason when it is not one.

    Uses the C scanner behind `json.loads` directly, because `import json` pulls in `re`
    and its dependencies (about half a bare interpreter start); falls back to `json`
    on interpreters without the `_json` accelerator.
    """
    if raw.startswith(b"\xef\xbb\xbf"):  # a BOM; the utf-8-sig codec would cost an import
        raw = raw[3:]
    text = raw.decode("utf-8") if raw else ""
    start = len(text) - len(text.lstrip(_WHITESPACE))
    if start == len(text):
        return {}
    scan = make_scan()
    if scan is None:  # pragma: no cover - pure-Python interpreters
        import json

        value = json.loads(text)
    else:
        try:
            value, end = scan(text, start)
        except Exception:  # noqa: BLE001 - malformed input: let `json` name the problem
            # The C scanner reports errors through json.decoder.JSONDecodeError, which it
            # imports lazily; without `json` imported it can fail with a bare SystemError.
            import json

            value, end = json.loads(text), len(text)
        if text[end:].strip(_WHITESPACE):
            raise ValueError(f"extra data at char {end}")
    if not isinstance(value, dict):
        raise ValueError("hook input must be a JSON object")
    return value


# -- repository lookup and logging, with os.path only ----------------------------------------

def _fail(event: str, problem: str) -> int:
    if event in FAIL_CLOSED:
        reason = f"AgentOps guard could not judge this call, so it is denied: {problem}"
        sys.stdout.write(deny(reason).render(event) + "\n")
    return 0


def _note_unknown_event(raw: bytes, event: str) -> None:
    """One line per call of an event this ao does not know, in the repository the
    payload names; counted by `ao doctor`. The name is cut and kept to safe characters
    (it comes from the user's settings, not from us)."""
    try:
        payload = parse_payload(raw)
    except ValueError:
        payload = {}
    cwd = payload.get("cwd")
    root = (find_root(cwd) if isinstance(cwd, str) and cwd else None) or find_root()
    if root is None:
        return
    import time

    name = "".join(c for c in event if c.isalnum() or c in "-_.")[:80] or "?"
    stamp = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
    try:
        directory = index_path(root)
        os.makedirs(directory, exist_ok=True)
        with open(os.path.join(directory, UNKNOWN_EVENTS_LOG), "a", encoding="utf-8") as handle:
            handle.write(f"{stamp} {name}\n")
    except OSError:
        pass  # counting is a courtesy; the agent's call must not fail over it


def _log_problem(root: str | None, event: str, problem: str) -> None:
    if root is None:
        sys.stderr.write(f"ao hook {event}: {problem}\n")
        return
    import time

    try:
        directory = index_path(root)
        os.makedirs(directory, exist_ok=True)
        stamp = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
        from agentops_os.store.redact import redact_text  # payloads and tracebacks can hold tokens

        with open(os.path.join(directory, HOOK_ERROR_LOG), "a", encoding="utf-8") as handle:
            handle.write(f"{stamp} {event}: {redact_text(problem.rstrip())}\n")
    except OSError:
        sys.stderr.write(f"ao hook {event}: {problem}\n")


def _json_line(record: dict[str, object]) -> bytes:
    """`json.dumps(record, sort_keys=True)` for flat str/int/float records, without json."""
    from _json import encode_basestring_ascii as quote

    parts = []
    for key in sorted(record):
        value = record[key]
        finite = isinstance(value, int) or (isinstance(value, float) and value - value == 0)
        text = repr(value) if finite else quote(str(value))
        parts.append(f"{quote(key)}: {text}")
    return ("{" + ", ".join(parts) + "}").encode("utf-8")


def record_session_event(context: HookContext) -> None:
    """Append a session event (start, end, subagent start/stop, a turn that failed, a
    compaction, a call the host denied) to `.agents/sessions/events/<session>.jsonl`.

    Metrics only: ids, times, source/reason, model, subagent ids, error and tool names;
    never prompt or transcript content (a PermissionDenied reason is redacted and cut).
    """
    from agentops_os.base.snapshot import settings
    from agentops_os.errors import FatalError

    root = context.root_str
    try:
        snapshot = settings(root)
    except FatalError as exc:  # a malformed agentops.toml must not silently stop the record
        sys.stderr.write(f"ao hook: {exc}; redacting with the built-in rules only\n")
        snapshot = None
    if snapshot is not None and not snapshot.get("hooks.record_session_events", True):
        return
    import time

    from agentops_os.store.atomic import append_line_str

    payload = context.payload
    session = "".join(c for c in context.session_id if c.isalnum() or c in "-_.") or "unknown"
    record: dict[str, object] = {
        "schema_version": 1,
        "event": EVENTS[context.event],
        "session_id": session,
        "at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "agent": CLAUDE_CODE,
    }
    # what each recorded event is about: its source/reason/trigger, the model, which
    # subagent, which error stopped the turn, which tool the host denied
    for key in ("source", "reason", "trigger", "model", "agent_id", "agent_type", "error", "tool_name"):
        value = payload.get(key)
        if isinstance(value, str | int | float) and not isinstance(value, bool):
            record[key] = value
        elif isinstance(value, dict) and isinstance(value.get("id"), str):
            record[key] = value["id"]
    cwd = payload.get("cwd")
    if isinstance(cwd, str):
        record["cwd"] = os.path.relpath(cwd, root)
    for key, variable in (("run", "AO_RUN_ID"), ("phase", "AO_RUN_PHASE"), ("task", "AO_SWARM_TASK")):
        if os.environ.get(variable):  # set by `ao rpi`/`ao swarm` for the agents they start
            record[key] = os.environ[variable]
    redactor = hook_redactor(snapshot.get("redaction.extra_patterns") if snapshot is not None else None)
    # Redact whole values, then cut: a secret cut first no longer matches its rule and
    # its first half would reach the file.
    record = {key: redactor.text(value)[:200] if isinstance(value, str) else value
              for key, value in record.items()}
    # the file name too: a session id that held a token names the file after the mark
    session = "".join(c for c in str(record["session_id"]) if c.isalnum() or c in "-_.")[:120] or "unknown"
    path = agents_path(root, "sessions", "events", f"{session}.jsonl")
    append_line_str(path, _json_line(record))


def hook_redactor(patterns: list[str] | None) -> Any:
    """The redaction step for hook writes: the built-in rules plus the repo's
    `[redaction] extra_patterns` (from the settings snapshot). A bad pattern is skipped
    and named, never the record."""
    from agentops_os.store.redact import Redactor, default

    return Redactor(patterns, strict=False) if patterns else default()
