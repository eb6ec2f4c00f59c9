"""`ao doctor`: is AgentOps set up correctly in this repository? One check per concern,
each failing check with the exact fix."""

from __future__ import annotations

import functools
import os
import shlex
import shutil
import sqlite3
import subprocess
from dataclasses import asdict, dataclass
from pathlib import Path

from agentops_os import githooks
from agentops_os.errors import FatalError
from agentops_os.repo import AGENTS_DIR, CONFIG_FILE, index_dir
from agentops_os.setup import settings as claude_settings
from agentops_os.setup import templates


@dataclass
class Check:
    name: str
    ok: bool
    detail: str
    fix: str = ""

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


def resolve_executable(command: str, cwd: Path) -> str | None:
    """Absolute path of a command's program, as a shell started in `cwd` would find it."""
    try:
        program = shlex.split(command)[0]
    except (ValueError, IndexError):
        return None
    if "/" in program:
        path = Path(os.path.expandvars(program))
        path = path if path.is_absolute() else cwd / path
        return str(path) if path.is_file() and os.access(path, os.X_OK) else None
    return shutil.which(program)


@functools.cache
def works(executable: str) -> bool:
    """The program really is a working `ao` (it answers --version); asked once per path."""
    try:
        proc = subprocess.run([executable, "--version"], capture_output=True, text=True, timeout=60)
    except (OSError, subprocess.TimeoutExpired):
        return False
    return proc.returncode == 0 and proc.stdout.startswith("ao ")


def run_doctor(root: Path) -> list[Check]:
    checks: list[Check] = []
    checks.append(_check_config(root))
    checks.extend(_check_scaffold(root))
    checks.extend(_check_git_hooks(root))
    checks.extend(_check_settings(root))
    checks.extend(_check_codex(root))
    checks.append(_check_index(root))
    checks.extend(_check_hook_events(root))
    checks.extend(_check_guard(root))
    return checks


def _check_hook_events(root: Path) -> list[Check]:
    """Events a host sent that this ao does not know (a newer Claude Code or Codex, or a
    hand-written registration): answered with exit 0, counted here so they are not lost."""
    from collections import Counter

    from agentops_os.hooks.entry import UNKNOWN_EVENTS_LOG

    log = index_dir(root) / UNKNOWN_EVENTS_LOG
    if not log.exists():
        return []
    counts = Counter(
        line.split(" ", 1)[1]
        for line in log.read_text(encoding="utf-8", errors="replace").splitlines()
        if " " in line
    )
    if not counts:
        return []
    named = ", ".join(f"{name} ({n})" for name, n in counts.most_common())
    return [
        Check(
            "hook events",
            True,
            f"{sum(counts.values())} call(s) of events this ao does not handle, answered with "
            f"no effect: {named} (upgrade agentops-os, or remove those `ao hook` registrations; "
            f"clear the count by deleting {log.relative_to(root)})",
        )
    ]


def _check_guard(root: Path) -> list[Check]:
    """The guard's own state: its settings cache matches its sources (not tampered with),
    and its second bash parser (tree-sitter-bash) loads."""
    from agentops_os.config.snapshot import cache_is_current
    from agentops_os.guard import tsparse

    try:
        ok, why = cache_is_current(str(root))
    except FatalError as exc:
        ok, why = False, str(exc)
    fix = "" if ok else "nothing to do by hand: the next hook call rebuilds it; find out who edited it"
    checks = [Check("guard settings cache", ok, why or "matches agentops.toml and the defaults", fix)]
    parser_ok = tsparse.parser() is not None
    detail = "tree-sitter-bash loads" if parser_ok else f"tree-sitter-bash unavailable ({tsparse._failed})"
    checks.append(Check("guard bash parser", parser_ok, detail,
                        "" if parser_ok else "reinstall agentops-os (it depends on tree-sitter-bash)"))
    return checks


def _check_config(root: Path) -> Check:
    from agentops_os.commits.message import PARTS
    from agentops_os.config import load_config

    try:
        config = load_config(root)
    except FatalError as exc:
        return Check("config", False, str(exc), f"fix {CONFIG_FILE} at the line named above")
    unknown = [p for p in config.get("commit.required_parts") if str(p).lower() not in PARTS]
    if unknown:
        return Check("config", False, f"commit.required_parts has unknown part(s): {unknown}",
                     f"use any of {', '.join(PARTS)} in {CONFIG_FILE}")
    fraction = config.get("context.budget_fraction")
    if not 0 < float(fraction) <= 1:
        return Check("config", False, f"context.budget_fraction must be in (0, 1], is {fraction}",
                     f"set context.budget_fraction = 0.4 in {CONFIG_FILE}")
    where = CONFIG_FILE if config.path else "defaults (no agentops.toml)"
    return Check("config", True, f"valid ({where})")


def _check_scaffold(root: Path) -> list[Check]:
    wanted = [f"{AGENTS_DIR}/CONSTITUTION.md", CONFIG_FILE, "AGENTS.md"]
    missing = [rel for rel in wanted if not (root / rel).exists()]
    checks = [Check("scaffold", not missing,
                    "missing " + ", ".join(missing) if missing
                    else "CONSTITUTION.md, agentops.toml, AGENTS.md",
                    "run `ao init`" if missing else "")]
    gitignore = root / ".gitignore"
    text = gitignore.read_text(encoding="utf-8") if gitignore.exists() else ""
    ignored = any(line.strip().strip("/") == ".agents/.index" for line in text.splitlines())
    checks.append(Check("gitignore", ignored, ".agents/.index/ ignored" if ignored
                        else ".agents/.index/ is not in .gitignore (derived data would be committed)",
                        "" if ignored else "run `ao init` (or add '.agents/.index/' to .gitignore)"))
    return checks


def _check_git_hooks(root: Path) -> list[Check]:
    checks = []
    hooks = dict(templates.GIT_HOOKS)
    for hook in githooks.managed_hooks(root):
        hooks.setdefault(hook, "")
    for hook, command in hooks.items():
        info = githooks.hook_details(root, hook)
        name = f"git hook {hook}"
        if not info["exists"] or not info["managed"]:
            state = "not installed" if not info["exists"] else "is not managed by ao"
            checks.append(Check(name, False, f"{info['path']} {state}",
                                "run `ao init` (your own hook is kept and chained)"))
            continue
        commands = info.get("commands") or []
        if command and command not in commands:  # type: ignore[operator]
            checks.append(Check(name, False, f"does not run `{command}`", "run `ao init`"))
            continue
        if not info.get("executable"):
            checks.append(Check(name, False, f"{info['path']} is not executable",
                                f"chmod +x {info['path']}"))
            continue
        if info.get("local") and not info.get("local_exists"):
            checks.append(Check(name, False, f"chained hook {info['local']} is missing",
                                f"restore {info['local']} next to the hook, or run `ao init`"))
            continue
        ao_bin = str(info.get("ao_bin") or "")
        exe = ao_bin if ao_bin and os.access(ao_bin, os.X_OK) else shutil.which("ao")
        if not exe or not works(exe):
            checks.append(Check(name, False, f"cannot find a working ao (recorded: {ao_bin or 'none'})",
                                "install agentops-os so `ao` is on PATH, then run `ao init`"))
            continue
        chained = f"; chains {info['local']}" if info.get("local") else ""
        checks.append(Check(name, True, f"runs {', '.join(map(str, commands))}{chained}"))  # type: ignore[call-overload]
    return checks


def _check_settings(root: Path) -> list[Check]:
    path = root / ".claude" / "settings.json"
    try:
        data = claude_settings.load_settings(path)
    except FatalError as exc:
        return [Check("claude settings", False, str(exc), "fix the JSON, then run `ao init`")]
    if data is None:
        return [Check("claude settings", False, f"{path.relative_to(root)} does not exist", "run `ao init`")]
    registered = claude_settings.registered_events(data)
    missing = [event for event in templates.CLAUDE_EVENTS if event not in registered]
    registered_note = f"all {len(templates.CLAUDE_EVENTS)} events registered"
    checks = [Check("claude hooks", not missing,
                    f"missing {', '.join(missing)}" if missing else registered_note,
                    "run `ao init`" if missing else "")]
    seen: dict[str, bool] = {}
    for commands in registered.values():
        for command in commands:
            exe = resolve_executable(command, root)
            key = exe or command
            if key not in seen:
                seen[key] = bool(exe) and works(str(exe))
            if not seen[key]:
                checks.append(Check("claude hook command", False,
                                    f"`{command}` does not resolve to a working ao from {root}",
                                    "put `ao` on PATH for Claude Code (install agentops-os), "
                                    "or run `ao init` to record this ao's absolute path"))
                return checks
    if registered:
        checks.append(Check("claude hook command", True, f"resolves to {', '.join(sorted(seen))}"))
    return checks


def _check_codex(root: Path) -> list[Check]:
    """Codex skips an untrusted hook without a word, so its trust is checked here."""
    from agentops_os.setup import codex

    path = root / codex.HOOKS_FILE
    try:
        data = claude_settings.load_settings(path)
    except FatalError as exc:
        return [Check("codex hooks", False, str(exc), "fix the JSON, then run `ao init`")]
    if data is None:
        return [Check("codex hooks", False, f"{codex.HOOKS_FILE} does not exist", "run `ao init`")]
    _, missing = codex.merged_hooks(data, "ao")
    detail = f"missing for {', '.join(missing)}" if missing else "ao hooks registered in .codex/hooks.json"
    checks = [Check("codex hooks", not missing, detail, "run `ao init`" if missing else "")]
    try:
        hooks = codex.list_hooks(root)
    except codex.CodexUnavailable as exc:
        checks.append(Check("codex hook trust", True, f"not checked: {exc}"))
        return checks
    ok, detail, fix = codex.summary(hooks)
    checks.append(Check("codex hook trust", ok, detail, fix))
    return checks


def _check_index(root: Path) -> Check:
    from agentops_os.index.db import INDEX_FILE

    path = index_dir(root) / INDEX_FILE
    if not path.exists():
        return Check("index", True, "not built yet (built automatically on first use)")
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=10)
        try:
            row = conn.execute("PRAGMA quick_check").fetchone()
            count = conn.execute("SELECT count(*) FROM _migrations").fetchone()[0]
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        return Check("index", False, f"{path.relative_to(root)} is unreadable ({exc})", "run `ao reindex`")
    if not row or row[0] != "ok":
        return Check("index", False, f"{path.relative_to(root)} failed its integrity check",
                     "run `ao reindex`")
    log = index_dir(root) / "hook-errors.log"
    extra = ""
    if log.exists() and log.stat().st_size:
        lines = log.read_text(encoding="utf-8", errors="replace").count("\n")
        extra = f"; {lines} hook problem(s) logged in {log.relative_to(root)}"
    return Check("index", True, f"healthy, {count} migrations applied{extra}")
