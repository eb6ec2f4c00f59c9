"""Gate sets and checks from agentops.toml, validated with file:line errors.

    [gates.checks.lint]
    command = "ruff check src"      # a shell command line, or a list (argv, no shell)
    files = ["*.py", "pyproject.toml"]  # globs over repo paths; default: every file
    timeout = 120                  # seconds (default gates.timeout)
    env = { RUFF_NO_CACHE = "1" }
    cwd = "."                      # relative to the repo root

    [gates.sets]
    quick = ["lint"]
    ci = ["lint", "tests"]
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from agentops_os.config import Config
from agentops_os.errors import FatalError

_KEYS = {"command", "files", "timeout", "env", "cwd", "description"}


@dataclass(frozen=True)
class Check:
    name: str
    command: str | tuple[str, ...]
    files: tuple[str, ...] = ()
    timeout: float = 600
    env: tuple[tuple[str, str], ...] = ()
    cwd: str = "."
    description: str = ""

    def fingerprint(self) -> dict[str, Any]:
        """Everything about the check's definition that can change its verdict."""
        return {"command": list(self.command) if isinstance(self.command, tuple) else self.command,
                "files": list(self.files), "timeout": self.timeout, "env": [list(e) for e in self.env],
                "cwd": self.cwd}


@dataclass
class Gates:
    checks: dict[str, Check] = field(default_factory=dict)
    sets: dict[str, list[str]] = field(default_factory=dict)
    jobs: int = 0
    output_lines: int = 40


def load_gates(config: Config) -> Gates:
    section = config.section("gates")

    def bad(key: str, what: str) -> FatalError:
        return FatalError(config.located(key, f"{key}: {what}"))

    default_timeout = float(section.get("timeout", 600))
    checks: dict[str, Check] = {}
    for name, raw in (section.get("checks") or {}).items():
        key = f"gates.checks.{name}"
        if not isinstance(raw, dict):
            raise bad(key, "must be a table with at least `command`")
        unknown = set(raw) - _KEYS
        if unknown:
            raise bad(key, f"unknown key '{sorted(unknown)[0]}' (allowed: {', '.join(sorted(_KEYS))})")
        command = raw.get("command")
        if isinstance(command, list) and command and all(isinstance(c, str) for c in command):
            command = tuple(command)
        elif not isinstance(command, str) or not command.strip():
            raise bad(key, "`command` must be a non-empty string or list of strings")
        files = raw.get("files", [])
        if isinstance(files, str):
            files = [files]
        if not isinstance(files, list) or not all(isinstance(f, str) and f for f in files):
            raise bad(key, "`files` must be a list of glob strings")
        timeout = raw.get("timeout", default_timeout)
        if isinstance(timeout, bool) or not isinstance(timeout, int | float) or timeout <= 0:
            raise bad(key, "`timeout` must be a positive number of seconds")
        env = raw.get("env", {})
        if not isinstance(env, dict) or not all(isinstance(v, str) for v in env.values()):
            raise bad(key, "`env` must be a table of strings")
        cwd = raw.get("cwd", ".")
        if not isinstance(cwd, str) or cwd.startswith("/") or ".." in cwd.split("/"):
            raise bad(key, "`cwd` must be a path inside the repository")
        checks[name] = Check(name, command, tuple(files), float(timeout), tuple(sorted(env.items())), cwd,
                             str(raw.get("description", "")))
    sets: dict[str, list[str]] = {}
    for name, members in (section.get("sets") or {}).items():
        key = f"gates.sets.{name}"
        if not isinstance(members, list) or not all(isinstance(m, str) for m in members):
            raise bad(key, "must be a list of check names")
        missing = [m for m in members if m not in checks]
        if missing:
            raise bad(key, f"unknown check '{missing[0]}' (define [gates.checks.{missing[0]}])")
        sets[name] = list(members)
    jobs = section.get("jobs", 0)
    if isinstance(jobs, bool) or not isinstance(jobs, int) or jobs < 0:
        raise bad("gates.jobs", "must be 0 (all CPUs) or a positive number")
    return Gates(checks, sets, jobs, int(section.get("output_lines", 40)))
