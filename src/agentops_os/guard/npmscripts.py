"""Commands a JavaScript package manager is told to run later.

A package's scripts run on `npm install` (`preinstall`, `install`, `postinstall`,
`prepare`), `npm publish`, `npm test` …: setting one (`npm pkg set
scripts.postinstall='curl … | sh'`, `pnpm pkg set`, `npm set-script NAME CMD`) is judged
as that command line, since the next install runs it without asking. A script the guard
would let through (`scripts.prepare='husky install'`) passes.

The configuration can also swap the program that runs them: `script-shell` (every script
runs as `SHELL -c SCRIPT`), `shell`, `git`, `node-gyp`, `onload-script`, `init-module`,
yarn's `yarnPath` (run on every yarn call), and `node-options` that load code
(`--require x.js`). Set through `npm|pnpm|yarn config set K V` (or `npm set`), a flag on
any call (`--script-shell=X`) or the environment (`npm_config_script_shell=X npm i`),
a value other than a plain shell or the tool itself is asked, and judged as a command line
as well."""

from __future__ import annotations

import os

from agentops_os.guard.verdict import Verdict, worst

TYPE_CHECKING = False  # typing stays off the hook path
if TYPE_CHECKING:
    from agentops_os.guard.scope import Scope
    from agentops_os.guard.shell import Word
    from agentops_os.guard.unwrap import Call

# configuration keys naming a program the tool runs, and the plain values they may take
_PROGRAMS: dict[str, frozenset[str]] = {
    "script-shell": frozenset({"sh", "bash", "zsh", "dash", "ksh", "fish", "pwsh", "powershell", "cmd",
                               "cmd.exe", "bash.exe", "powershell.exe", "pwsh.exe"}),
    "shell": frozenset({"sh", "bash", "zsh", "dash", "ksh", "fish", "pwsh", "powershell", "cmd", "cmd.exe"}),
    "git": frozenset({"git", "git.exe"}),
    "node-gyp": frozenset({"node-gyp", "node-gyp.js"}),
    "onload-script": frozenset(),
    "init-module": frozenset(),
    "yarn-path": frozenset(),
}  # fmt: skip
_SYSTEM_BINS = frozenset({"/bin", "/usr/bin", "/usr/local/bin", "/opt/homebrew/bin", "/usr/sbin", "/sbin"})
_LOADS_CODE = ("--require", "-r", "--import", "--loader", "--experimental-loader", "--env-file")


def later_commands(judge: Scope, call: Call) -> Verdict | None:
    argv = call.argv
    from agentops_os.guard.pkgexec import verb_at

    at = verb_at(call.name, call.args)
    verb = argv[at] if at is not None else ""
    rest = call.args[at + 1 :] if at is not None else []
    verdicts: list[Verdict | None] = []
    if verb == "pkg" and rest[:1] and rest[0].text == "set":
        verdicts += [_script(judge, call, key, value) for key, value in _pairs(rest[1:], "--json" in argv)]
    elif verb == "set-script" and len(rest) > 1:
        verdicts.append(_script(judge, call, "scripts." + rest[0].text, rest[1].text))
    if verb in ("config", "c", "set") and call.name in ("npm", "pnpm", "yarn"):
        pairs = rest[1:] if verb != "set" and rest[:1] and rest[0].text == "set" else rest if verb == "set" \
            else []
        verdicts += [_setting(judge, call, key, value) for key, value in _pairs(pairs, False)]
    verdicts += [_setting(judge, call, key, value) for key, value in _flags(call.args)]
    verdicts += [_setting(judge, call, key, value) for key, value in _environment(call.command.words)]
    return worst(verdicts)


def _pairs(words: list[Word], as_json: bool) -> list[tuple[str, str]]:
    """`K=V` words (and `K V` pairs) of `pkg set` / `config set`; a JSON object value
    (`scripts='{"postinstall": "…"}' --json`) gives one pair per member."""
    out: list[tuple[str, str]] = []
    texts = [w.text for w in words]
    k = 0
    while k < len(texts):
        key, eq, value = texts[k].partition("=")
        k += 1
        if key.startswith("-"):  # `--json`, `--location=global`
            continue
        if not eq and k < len(texts):
            value = texts[k]
            k += 1
        if as_json and value[:1] in ('"', "{"):
            out += _json_pairs(key, value)
        else:
            out.append((key, value))
    return out


def _json_pairs(key: str, value: str) -> list[tuple[str, str]]:
    import json

    try:
        data = json.loads(value)
    except ValueError:
        return [(key, value)]
    if isinstance(data, dict):
        return [(f"{key}.{name}", text) for name, text in data.items() if isinstance(text, str)]
    return [(key, data)] if isinstance(data, str) else []


def _script(judge: Scope, call: Call, key: str, value: str) -> Verdict | None:
    if not key.startswith(("scripts.", "scripts[")) and not (key == "scripts" and value):
        return None
    name = key[8:].strip("[]'\"") or "scripts"
    verdict = judge.inner(value) if value.strip() else None
    if verdict is None or verdict.decision == "allow":
        return None
    reason = f"{call.name} sets the package script {name!r}, run later: `{value[:60]}`: {verdict.reason}"
    return Verdict(verdict.decision, reason, verdict.rule)


def _setting(judge: Scope, call: Call, key: str, value: str) -> Verdict | None:
    key = _normal_key(key)
    if key == "node-options":
        if not any(part.split("=", 1)[0] in _LOADS_CODE for part in value.split()):
            return None
        reason = f"{call.name} sets node-options {value[:60]!r}: every node it starts loads that code"
        return judge.verdict("package-config-exec", "ask", reason)
    if key not in _PROGRAMS or not value:
        return None
    inner = judge.inner(value)
    if inner.decision == "deny":
        reason = f"{call.name} sets {key} to `{value[:60]}`, run by every later call: {inner.reason}"
        return Verdict("deny", reason, inner.rule)
    first = value.split()[0] if value.split() else value
    system = "/" not in first or os.path.dirname(first) in _SYSTEM_BINS  # not `/tmp/sh`, a planted "shell"
    if value.split() == [first] and os.path.basename(first) in _PROGRAMS[key] and system:
        return None
    reason = f"{call.name} sets {key} to {value[:60]!r}: later calls run that program (package scripts)"
    return judge.verdict("package-config-exec", "ask", reason)


def _normal_key(key: str) -> str:
    """`scriptShell`, `script_shell`, `SCRIPT-SHELL` and `yarnPath` as npm's kebab-case."""
    out = "".join("-" + c.lower() if c.isupper() and i else c.lower() for i, c in enumerate(key))
    return out.replace("_", "-").replace("--", "-").lstrip("-")


def _flags(args: list[Word]) -> list[tuple[str, str]]:
    """`--script-shell=X` / `--script-shell X` given on any call."""
    out: list[tuple[str, str]] = []
    for k, word in enumerate(args):
        name, eq, value = word.text.partition("=")
        if not name.startswith("--") or _normal_key(name[2:]) not in (*_PROGRAMS, "node-options"):
            continue
        if not eq:
            value = args[k + 1].text if k + 1 < len(args) else ""
        out.append((name[2:], value))
    return out


def _environment(words: list[Word]) -> list[tuple[str, str]]:
    """`npm_config_script_shell=X` (npm and pnpm read `npm_config_*` in any case) and
    `YARN_YARN_PATH=X` before the command."""
    out: list[tuple[str, str]] = []
    for word in words:
        name, eq, value = word.text.partition("=")
        if not eq:
            continue
        lower = name.lower()
        if lower.startswith("npm_config_"):
            out.append((lower[11:], value))
        elif lower.startswith("yarn_"):
            out.append((lower[5:], value))
    return out
