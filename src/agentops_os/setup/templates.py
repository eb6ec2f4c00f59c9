"""Scaffold contents: package-data templates and the generated agentops.toml."""

from __future__ import annotations

import json
from importlib import resources
from typing import Any

from agentops_os.hooks.protocol import host_events
from agentops_os.hosts import CLAUDE_CODE

AGENTS = ("researcher", "planner", "implementer", "reviewer")
RPI_PHASES = ("research", "plan", "implement")  # prompts under .agents/workflows/rpi/

SECTION_BEGIN = "<!-- agentops:begin (managed by `ao init`; edits inside are replaced) -->"
SECTION_END = "<!-- agentops:end -->"


def template(name: str) -> str:
    """Text of a file under `agentops_os/scaffold/` (shipped as package data)."""
    node = resources.files("agentops_os").joinpath("scaffold")
    for part in name.split("/"):
        node = node.joinpath(part)
    return node.read_text(encoding="utf-8")


def agents_section() -> str:
    return f"{SECTION_BEGIN}\n{template('AGENTS_SECTION.md').rstrip()}\n{SECTION_END}\n"


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value)
    if isinstance(value, list):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{_toml_key(k)} = {_toml_value(v)}" for k, v in value.items()) + " }"
    return json.dumps(str(value))


def _toml_key(key: str) -> str:
    bare = key.replace("_", "").replace("-", "").isalnum()
    return key if bare else json.dumps(key)


def agentops_toml() -> str:
    """Every default key, commented out under its table with its one-line doc.

    Keys stay commented so that the documented defaults apply until you change one;
    uncomment a line to override it.
    """
    from agentops_os.config import all_defaults

    defaults, docs = all_defaults()
    lines = [
        "# AgentOps configuration (`ao config show` prints the effective values and sources).",
        "# Every key below is at its default; uncomment a line to change it. See docs/config.md.",
    ]

    def table(name: str, values: dict[str, Any]) -> None:
        # Non-empty tables (context.windows) get their own [header] so that each entry is
        # one commented line a user can uncomment.
        scalars = {k: v for k, v in values.items() if not (isinstance(v, dict) and v)}
        subtables = {k: v for k, v in values.items() if k not in scalars}
        lines.append("")
        if name in docs:
            lines.append(f"# {docs[name]}")
        lines.append(f"[{name}]")
        for key, value in scalars.items():
            doc = docs.get(f"{name}.{key}")
            if doc:
                lines.append(f"# {doc}")
            lines.append(f"# {_toml_key(key)} = {_toml_value(value)}")
        for key, value in subtables.items():
            table(f"{name}.{_toml_key(key)}", value)

    for section, values in defaults.items():
        if isinstance(values, dict):
            table(section, values)
    return "\n".join(lines) + "\n"


# Claude Code hook registrations: event name -> (ao event, matcher or None), from the
# one event table.
CLAUDE_EVENTS: dict[str, tuple[str, str | None]] = host_events(CLAUDE_CODE)

GIT_HOOKS: dict[str, str] = {
    "prepare-commit-msg": 'ao commit template "$1" "$2" "$3"',
    "commit-msg": 'ao commit check "$1"',
}

GITIGNORE_LINE = ".agents/.index/"

CLAUDE_MD = "@AGENTS.md\n"
