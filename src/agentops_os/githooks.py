"""Install `ao` commands into git hooks without ever replacing the user's own hook.

One managed hook script per git hook name, in the directory git really runs hooks from
(`core.hooksPath` respected). It holds one line per `ao` command, so several features can
share a hook (`ao init` adds `commit-msg`, `ao gate install` adds `pre-commit`...), and
re-installing the same command is a no-op.

A hook that was there before is moved to `<hook>.local` and the managed script runs it
first with the same arguments and stdin; its failure stops git exactly as before.

Finding `ao`: git hooks are per-clone (never shared through git), so the managed script
prefers the absolute path of the `ao` that installed it and falls back to `ao` on PATH.
"""

from __future__ import annotations

import os
import re
import shutil
import stat
import sys
from pathlib import Path

from agentops_os import git
from agentops_os.errors import FatalError

MARKER = "# agentops-managed-hook v1"
BEGIN = "# >>> ao commands (one per line; managed by `ao`)"
END = "# <<< ao commands"

# Hooks that receive data on stdin: it is buffered so the chained hook and every
# command each get the full input (otherwise the first reader would drain it).
STDIN_HOOKS = frozenset({"pre-push", "post-rewrite", "pre-receive", "post-receive",
                         "reference-transaction", "proc-receive"})

_LINE = re.compile(r'^(?P<cmd>.*?)(?: < "\$AO_STDIN")? \|\| exit \$\?$')
_AO_BIN = re.compile(r"^AO_BIN='(?P<path>[^']*)'$", re.MULTILINE)
_LOCAL = re.compile(r"^LOCAL_HOOK='(?P<name>[^']*)'$", re.MULTILINE)


def current_ao() -> str:
    """Absolute path of the `ao` console script of this installation ("" if none)."""
    beside = Path(sys.executable).parent / "ao"
    if beside.is_file() and os.access(beside, os.X_OK) and "'" not in str(beside):
        return str(beside)
    if Path(sys.argv[0]).name == "ao" and os.access(sys.argv[0], os.X_OK):
        return str(Path(sys.argv[0]).resolve())
    found = shutil.which("ao")
    # The path is written inside single quotes in the hook script; PATH lookup covers the rest.
    return str(Path(found).resolve()) if found and "'" not in found else ""


def hook_path(root: Path, hook: str) -> Path:
    return git.hooks_dir(root) / hook


def is_managed(path: Path) -> bool:
    try:
        with open(path, encoding="utf-8", errors="replace") as handle:
            return MARKER in handle.read(4096)
    except OSError:
        return False


def parse_managed(text: str) -> tuple[list[str], str, str]:
    """(commands, chained local hook name, recorded ao path) of a managed hook script."""
    commands: list[str] = []
    inside = False
    for line in text.splitlines():
        if line == BEGIN:
            inside = True
            continue
        if line == END:
            inside = False
            continue
        if inside and line.strip():
            match = _LINE.match(line.strip())
            commands.append(match.group("cmd") if match else line.strip())
    ao_bin = _AO_BIN.search(text)
    local = _LOCAL.search(text)
    return commands, local.group("name") if local else "", ao_bin.group("path") if ao_bin else ""


def render_hook(hook: str, commands: list[str], local_name: str, ao_bin: str) -> str:
    """The managed script: chain the user's hook, then run each `ao` command in order."""
    uses_stdin = hook in STDIN_HOOKS
    redirect = ' < "$AO_STDIN"' if uses_stdin else ""
    lines = [
        "#!/bin/sh",
        MARKER,
        f"# git {hook} hook installed by AgentOps (`ao init`, `ao gate install`).",
        "# Your own hook, if you had one, was moved next to this file and runs first;",
        "# edit that file, not this one. Bypass once with `git commit --no-verify`.",
        f"AO_BIN='{ao_bin}'",
        f"LOCAL_HOOK='{local_name}'",
        'HOOK_DIR=$(dirname "$0")',
        "# Prefer the ao that installed this hook; fall back to ao on PATH.",
        'if [ -n "$AO_BIN" ] && [ -x "$AO_BIN" ]; then :',
        "elif AO_BIN=$(command -v ao 2>/dev/null); then :",
        "else",
        f"  echo \"AgentOps {hook} hook: 'ao' not found (install agentops-os or run 'ao doctor')\" >&2",
        "  exit 1",
        "fi",
        'ao() { "$AO_BIN" "$@"; }',
    ]
    if uses_stdin:
        lines += [
            'AO_STDIN=$(mktemp "${TMPDIR:-/tmp}/ao-hook.XXXXXX") || exit 1',
            "trap 'rm -f \"$AO_STDIN\"' EXIT",
            'cat > "$AO_STDIN"',
        ]
    lines += [
        'if [ -n "$LOCAL_HOOK" ] && [ -x "$HOOK_DIR/$LOCAL_HOOK" ]; then',
        f'  "$HOOK_DIR/$LOCAL_HOOK" "$@"{redirect} || exit $?',
        "fi",
        BEGIN,
        *[f"{command}{redirect} || exit $?" for command in commands],
        END,
        "exit 0",
    ]
    return "\n".join(lines) + "\n"


def _free_local_name(directory: Path, hook: str) -> str:
    name = f"{hook}.local"
    counter = 2
    while (directory / name).exists() or (directory / name).is_symlink():
        name = f"{hook}.local{counter}"
        counter += 1
    return name


def plan_git_hook(root: Path, hook: str, command: str) -> tuple[str | None, str | None, str]:
    """What installing `command` into `hook` would do, without doing it.

    Returns (new script text or None if unchanged, name to move the existing user hook
    to or None, description).
    """
    path = hook_path(root, hook)
    existing = path.read_text(encoding="utf-8", errors="replace") if path.exists() else None
    move_to: str | None = None
    if existing is not None and is_managed(path):
        commands, local_name, ao_bin = parse_managed(existing)
        if not ao_bin or not os.access(ao_bin, os.X_OK):
            ao_bin = current_ao()
    else:
        commands, local_name, ao_bin = [], "", current_ao()
        if existing is not None or path.is_symlink():
            local_name = move_to = _free_local_name(path.parent, hook)
    if command not in commands:
        commands.append(command)
    text = render_hook(hook, commands, local_name, ao_bin)
    if existing == text:
        return None, None, ""
    if move_to:
        what = f"{hook}: installed `{command}`; your existing hook now runs first as {move_to}"
    elif existing is None:
        what = f"{hook}: installed `{command}`"
    else:
        what = f"{hook}: updated (`{command}`)"
    return text, move_to, what


def install_git_hook(root: Path, hook: str, command: str, *, dry_run: bool = False) -> str:
    """Make git's `hook` run `command` (e.g. `ao commit check "$1"`), chaining any hook
    the user already had. Returns a short description of the change, "" if none needed."""
    if "\n" in command or not command.strip() or "/" in hook or hook.startswith("."):
        raise FatalError(f"invalid git hook command for {hook!r}: {command!r} (one line, no hook paths)")
    text, move_to, what = plan_git_hook(root, hook, command)
    if text is None or dry_run:
        return what
    path = hook_path(root, hook)
    path.parent.mkdir(parents=True, exist_ok=True)
    if move_to:
        os.rename(path, path.parent / move_to)
    tmp = path.parent / f".{hook}.ao-tmp"
    tmp.write_text(text, encoding="utf-8")
    tmp.chmod(tmp.stat().st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
    os.replace(tmp, path)
    return what


def managed_hooks(root: Path) -> dict[str, list[str]]:
    """Every managed git hook of this repo and the `ao` commands it runs."""
    directory = git.hooks_dir(root)
    found: dict[str, list[str]] = {}
    if not directory.is_dir():
        return found
    for path in sorted(directory.iterdir()):
        if path.is_file() and "." not in path.name and is_managed(path):
            found[path.name] = parse_managed(path.read_text(encoding="utf-8", errors="replace"))[0]
    return found


def hook_details(root: Path, hook: str) -> dict[str, object]:
    """State of one hook for `ao doctor`: installed, executable, chained hook, ao path."""
    path = hook_path(root, hook)
    info: dict[str, object] = {"path": str(path), "exists": path.exists(), "managed": False}
    if not path.exists():
        return info
    info["executable"] = os.access(path, os.X_OK)
    if is_managed(path):
        commands, local_name, ao_bin = parse_managed(path.read_text(encoding="utf-8"))
        local = path.parent / local_name if local_name else None
        info.update(managed=True, commands=commands, ao_bin=ao_bin, local=local_name,
                    local_exists=bool(local and (local.exists() or local.is_symlink())))
    return info
