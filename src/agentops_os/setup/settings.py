"""Merge our hook registrations into `.claude/settings.json` without touching the rest.

Users' own keys, permissions and hooks stay exactly as they were; an `ao hook <event>`
entry is added only when that event has none yet. A file that is not valid JSON (or has
the wrong shape) aborts `ao init` before anything is written, naming file and line.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from typing import Any

from agentops_os.errors import FatalError, located
from agentops_os.setup.templates import CLAUDE_EVENTS

_AO_HOOK = re.compile(r"(?:^|[\s/\"'])ao\"?\s+hook\s+(?P<event>[a-z\-]+)")


def hook_command(event: str, ao: str) -> str:
    return f"{ao} hook {event}"


def ao_for_settings(current_ao: str) -> str:
    """`ao` when it is on PATH (portable: settings.json is usually shared through git);
    else the absolute path of this installation so it works on this machine at least."""
    if shutil.which("ao"):
        return "ao"
    return current_ao or "ao"


def parse_json_object(path: Path, text: str) -> dict[str, Any]:
    """A user's JSON config file (settings, `.mcp.json`) as a dict: empty text is {}; bad
    JSON or another type is a FatalError naming the file and line."""
    if not text.strip():
        return {}
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        what = f"invalid JSON ({exc.msg}); nothing was changed"
        raise FatalError(located(path, exc.lineno, what)) from None
    if not isinstance(data, dict):
        raise FatalError(located(path, 1, "expected a JSON object; nothing was changed"))
    return data


def load_settings(path: Path) -> dict[str, Any] | None:
    if not path.exists():
        return None
    text = path.read_text(encoding="utf-8")
    data = parse_json_object(path, text)
    hooks = data.get("hooks", {})
    if not isinstance(hooks, dict):
        raise FatalError(located(path, _line_of(text, '"hooks"'),
                                 "'hooks' must be an object; nothing was changed"))
    for event, entries in hooks.items():
        if not isinstance(entries, list):
            raise FatalError(located(path, _line_of(text, f'"{event}"'),
                                     f"'hooks.{event}' must be a list; nothing was changed"))
    return data


def registered_events(data: dict[str, Any]) -> dict[str, list[str]]:
    """Claude event -> every `ao hook ...` command registered for it."""
    found: dict[str, list[str]] = {}
    for event, entries in (data.get("hooks") or {}).items():
        for entry in entries if isinstance(entries, list) else []:
            for hook in (entry.get("hooks") or []) if isinstance(entry, dict) else []:
                command = hook.get("command") if isinstance(hook, dict) else None
                if isinstance(command, str) and _AO_HOOK.search(command):
                    found.setdefault(event, []).append(command)
    return found


# Claude Code gives all SessionEnd hooks together max(1.5 s, the largest `timeout` among
# them) before it exits and kills them; 1.5 s is short for a handoff on a cold cache.
CLAUDE_TIMEOUTS: dict[str, int] = {"SessionEnd": 10}


def merged_settings(
    data: dict[str, Any] | None, ao: str, events: dict[str, tuple[str, str | None]] | None = None
) -> tuple[dict[str, Any], list[str]]:
    """Settings with our hooks added where missing, and the events that were added.
    `events` maps the host's event name to (ao hook event, matcher); Claude Code's by
    default. Codex's hooks.json has the same shape, so it is merged the same way."""
    merged = json.loads(json.dumps(data or {}))  # deep copy, key order kept
    hooks = merged.setdefault("hooks", {})
    present = registered_events(merged)
    added = []
    for event, (ao_event, matcher) in (CLAUDE_EVENTS if events is None else events).items():
        if any(_ao_event(cmd) == ao_event for cmd in present.get(event, [])):
            continue
        entry: dict[str, Any] = {}
        if matcher is not None:
            entry["matcher"] = matcher
        command: dict[str, Any] = {"type": "command", "command": hook_command(ao_event, ao)}
        if events is None and event in CLAUDE_TIMEOUTS:
            command["timeout"] = CLAUDE_TIMEOUTS[event]
        entry["hooks"] = [command]
        hooks.setdefault(event, []).append(entry)
        added.append(event)
    return merged, added


def dump_settings(data: dict[str, Any], original: str | None = None) -> str:
    """JSON text of the settings, indented like the user's file (2 spaces if new)."""
    return json.dumps(data, indent=_indent_of(original), ensure_ascii=False) + "\n"


def _indent_of(text: str | None) -> int | str:
    for line in (text or "").splitlines()[1:]:
        stripped = line.lstrip(" \t")
        if stripped and stripped != line:
            indent = line[: len(line) - len(stripped)]
            return "\t" if indent.startswith("\t") else len(indent)
    return 2


def _ao_event(command: str) -> str | None:
    match = _AO_HOOK.search(command)
    return match.group("event") if match else None


def _line_of(text: str, needle: str) -> int | None:
    for number, line in enumerate(text.splitlines(), start=1):
        if needle in line:
            return number
    return None
