"""Secrets a line loads into its shell and then prints.

`source .env` alone passes: a project's settings loaded to run its tools. What the line
prints afterwards is another matter: `source .env && echo "$DATABASE_URL"`, `. ./.env;
printenv`, `set -a; . .env; env` put the secrets that `cat .env` would have printed into
the agent's transcript, so they are judged as that read (`secret-read`). Only the shell's
own variables (`$HOME`, `$PATH` …) can be printed safely; a variable the secret file may
have set cannot be told apart from one it did not, so any other one counts.
"""

from __future__ import annotations

import re

from agentops_os.guard.verdict import Verdict

TYPE_CHECKING = False  # typing stays off the hook path
if TYPE_CHECKING:
    from agentops_os.guard.scope import Scope
    from agentops_os.guard.unwrap import Call

SOURCED = "sourced-secrets"  # the line note: secret file -> how it is shown
_LOADERS = frozenset({"source", "."})
_PRINTERS = frozenset({"echo", "printf"})
_DUMPS = frozenset({"printenv", "env", "set", "export", "declare", "typeset"})
_SHELL_OWN = frozenset({"HOME", "PATH", "PWD", "OLDPWD", "USER", "LOGNAME", "SHELL", "LANG", "TERM",
                        "HOSTNAME", "IFS", "PS1", "SHLVL", "TMPDIR", "UID", "EUID", "RANDOM", "LINENO",
                        "SECONDS"})  # fmt: skip
_VARIABLE = re.compile(r"\$\{?([A-Za-z_][A-Za-z0-9_]*)")


def judge_sourced(judge: Scope, call: Call) -> Verdict | None:
    if call.name in _LOADERS:
        _note(judge, call)
        return None
    loaded = judge.git_line.get(SOURCED)
    if not loaded:
        return None
    shown = next(iter(loaded.values()))
    if call.name in _PRINTERS:
        for word in call.args:
            names = [n for n in _VARIABLE.findall(word.text) if n not in _SHELL_OWN]
            if names:
                reason = f"{call.name} prints ${names[0]}, which `source {shown}` may have set from a secret"
                return judge.verdict("secret-read", "deny", reason)
        return None
    if call.name in _DUMPS and _dumps(call):
        reason = f"{call.name} prints the environment, with what `source {shown}` loaded from a secret file"
        return judge.verdict("secret-read", "deny", reason)
    return None


def _dumps(call: Call) -> bool:
    """`printenv`, `printenv NAME`, bare `env`/`set`, `export -p`, `declare -p`/`-x`
    (with no names)."""
    args = [w.text for w in call.args]
    if call.name == "printenv":
        return True
    if call.name in ("env", "set"):
        return all(a in ("-0", "--null") for a in args)  # `set -e`, `set +a` set options
    return bool(args) and all(a.startswith("-") for a in args) and any("p" in a or "x" in a for a in args)


def _note(judge: Scope, call: Call) -> None:
    first = next((w for w in call.args if w.text != "--"), None)
    path = judge.resolve_word(first) if first is not None else None
    if path is not None and judge.is_secret(path):
        judge.line_notes(SOURCED)[path] = first.text if first is not None else path
