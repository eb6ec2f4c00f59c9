"""Files that a tool runs by itself, written through Write/Edit: their new text is judged as
the commands or code it will run.

Writing `rm -rf ~` into a file harms nothing until something runs it, and for these files
something will, without anyone typing the command: direnv runs `.envrc` on `cd`, husky runs
`.husky/pre-commit` on the next commit, pytest imports every `conftest.py` it collects,
Python runs `sitecustomize.py`, `usercustomize.py` and the `import` lines of `*.pth` files at
start-up, `pip install .` runs `setup.py`, `npm install`/`npm test` run `package.json`'s
scripts, `make` runs a Makefile's recipes, VS Code runs a task marked `runOn: folderOpen`
and a dev container its `postCreateCommand` (and friends). So the new text is judged the way
the guard judges the same text handed to its runner on a command line (`sh <<EOF`,
`python3 - <<EOF`, `make -f - <<EOF`, a script value as `sh -c`): the same rules, the same
verdicts, with a reason that names the file. Everyday content (fixtures, build recipes,
`husky install`) passes as it would when typed.

An Edit is judged by its new text alone; for a JSON file that is a fragment, so the values
of the keys that hold commands are read from it as text.
"""

from __future__ import annotations

from agentops_os.guard.verdict import Verdict, worst

TYPE_CHECKING = False  # typing stays off the hook path
if TYPE_CHECKING:
    from typing import Any

    from agentops_os.guard.scope import Scope

_SHELL_NAMES = frozenset({".envrc", ".env.sh"})
_PYTHON_NAMES = frozenset({"conftest.py", "sitecustomize.py", "usercustomize.py", "setup.py"})
_MAKE_NAMES = frozenset({"Makefile", "makefile", "GNUmakefile"})
# package.json's scripts that run without being named: on `npm install` (and `npm ci`, and
# in a dependency's folder), and the ones an agent or a CI runs as routine. A `release` or
# `postversion` script that publishes is run by someone who asks for it.
_PACKAGE_SCRIPTS = frozenset({
    "preinstall", "install", "postinstall", "prepare", "preprepare", "postprepare", "prepublish",
    "prepack", "postpack", "test", "pretest", "posttest", "build", "prebuild", "postbuild", "lint",
    "prelint", "postlint", "start", "prestart", "poststart", "dev", "predev", "check", "typecheck",
})
# devcontainer.json's lifecycle commands
_DEVCONTAINER_KEYS = ("initializeCommand", "onCreateCommand", "updateContentCommand", "postCreateCommand",
                      "postStartCommand", "postAttachCommand")  # fmt: skip


def kind_of(path: str) -> str | None:
    """Which runner runs the file at `path` by itself, or None. Cheap: no imports."""
    parts = path.replace("\\", "/").rstrip("/").split("/")
    name = parts[-1]
    parent = parts[-2] if len(parts) > 1 else ""
    if name in _SHELL_NAMES or (parent == ".husky" and not name.startswith(("_", "."))):
        return "shell"
    if name in _PYTHON_NAMES:
        return "python"
    if name.endswith(".pth"):
        return "pth"
    if name in _MAKE_NAMES or name.endswith(".mk"):
        return "make"
    if name == "package.json" and "node_modules" not in parts:
        return "package"
    if name in ("devcontainer.json", ".devcontainer.json"):
        return "devcontainer"
    if name == "tasks.json" and parent == ".vscode":
        return "vscode-tasks"
    return None


def judge_autorun(judge: Scope, path: str, kind: str, tool_input: dict[str, Any]) -> Verdict | None:
    from agentops_os.guard.commands import judge_command

    texts = _new_texts(tool_input)
    if not texts:
        return None
    lines: list[tuple[str, str]] = []  # (command line to judge, what runs it)
    for text in texts:
        if kind == "shell":
            lines.append((text, "runs it as a shell script"))
        elif kind == "python":
            lines.append((_heredoc("python3 -", text), "imports or runs it as Python"))
        elif kind == "pth":
            code = "\n".join(line for line in text.splitlines() if line.startswith(("import ", "import\t")))
            if code:
                lines.append((_heredoc("python3 -", code), "runs its import lines at every Python start"))
        elif kind == "make":
            lines.append((_heredoc("make -f -", _without_install_targets(text)), "runs its recipes"))
        else:
            lines.extend((command, "runs it") for command in _json_commands(kind, text))
    verdicts: list[Verdict | None] = []
    where = _runs_in(judge, path, kind)
    for line, how in lines:
        if kind == "shell":
            line = _script_paths(line, path)
        verdict = judge_command(judge, f"cd {_quoted(where)} && {line}" if where else line)
        if verdict.decision == "deny" or (verdict.decision == "ask" and not _unseen(verdict)):
            verdicts.append(Verdict(verdict.decision, f"{path}: {_runner(kind)} {how}: {verdict.reason}",
                                    verdict.rule))
    return worst(verdicts) if verdicts else None


def _runs_in(judge: Scope, path: str, kind: str) -> str:
    """The directory the runner runs the file's commands in: its own for direnv, make, npm
    and a `.pth`; the repository's top for git hooks (husky), a dev container's workspace,
    VS Code tasks and Python (pytest and pip run from the top, `sitecustomize` wherever)."""
    import os

    folder = os.path.dirname(path)
    if kind in ("make", "package", "pth") or os.path.basename(path) == ".envrc":
        return folder
    return judge.root


def _without_install_targets(text: str) -> str:
    """A Makefile without the recipes of its `install`/`uninstall` targets: those write into
    the system prefix by design (`install -m 755 x $(prefix)/bin`), and are run by someone
    who asks for them, usually with sudo (which the guard asks about when it is typed)."""
    out: list[str] = []
    skipping = False
    for line in text.splitlines():
        if line and not line[0].isspace() and ":" in line and not line.lstrip().startswith("#"):
            head, _, rest = line.partition(":")
            if not rest.startswith("=") and not head.rstrip().endswith(("?", "+", ":")):
                targets = head.split()
                skipping = bool(targets) and all("install" in t for t in targets)
        if not skipping:
            out.append(line)
    return "\n".join(out)


_UNSEEN_RULES = frozenset({"rm-unresolved", "unresolved-command", "unparseable", "code-obfuscated"})


def _unseen(verdict: Verdict) -> bool:
    """An ask only because a value is computed (`shutil.rmtree(tmp_path)` in a fixture, a
    sourced `$(…)` path): typed, it is asked, since it runs now; in a file it runs later,
    under values the file's runner gives it, and asking at every fixture would teach people
    to say yes. What the guard can name in the text is judged in full."""
    return verdict.rule in _UNSEEN_RULES or "comput" in verdict.reason or "cannot" in verdict.reason


def _script_paths(text: str, path: str) -> str:
    """In a script file `$0` is the script and `$(dirname "$0")` its directory (husky's
    `. "$(dirname -- "$0")/_/husky.sh"`): put them in, so what they name is judged."""
    import os

    from agentops_os.guard.shell import quote

    folder = quote(os.path.dirname(path))
    for spelling in ('$(dirname -- "$0")', '$(dirname "$0")', "$(dirname $0)", "`dirname $0`",
                     '$(dirname -- "${0}")', '$(dirname "${0}")'):
        text = text.replace(f'"{spelling}', folder + '"').replace(spelling, folder)
    return text.replace('"$0"', quote(path)).replace("${0}", quote(path))


def _runner(kind: str) -> str:
    return {"shell": "direnv or husky", "python": "pytest, Python or pip", "pth": "Python",
            "make": "make", "package": "npm", "devcontainer": "the dev container",
            "vscode-tasks": "VS Code"}.get(kind, "a tool")  # fmt: skip


def _new_texts(tool_input: dict[str, Any]) -> list[str]:
    texts = [tool_input.get("content"), tool_input.get("new_string"), tool_input.get("new_source")]
    edits = tool_input.get("edits")
    if isinstance(edits, list):
        texts.extend(e.get("new_string") for e in edits if isinstance(e, dict))
    return [t for t in texts if isinstance(t, str) and t.strip()]


def _heredoc(runner: str, text: str) -> str:
    """`runner <<'DELIM'` with `text` as its input, under a delimiter the text does not hold."""
    delimiter = "AO_AUTORUN_EOF"
    while delimiter in text:
        delimiter += "_"
    return f"{runner} <<'{delimiter}'\n{text}\n{delimiter}\n"


def _json_commands(kind: str, text: str) -> list[str]:
    """The command lines a JSON file holds for its runner; from a fragment (an Edit) or a
    file that does not parse (JSON with comments), the values of the keys that hold them."""
    from agentops_os.jsonscan import loads_or_none

    data = loads_or_none(text)
    if not isinstance(data, dict):
        data = loads_or_none(_strip_jsonc(text))
    if isinstance(data, dict):
        return _commands_of(kind, data)
    return _commands_in_fragment(kind, text)


def _commands_of(kind: str, data: dict[str, Any]) -> list[str]:
    out: list[str] = []
    if kind == "package":
        scripts = data.get("scripts")
        if isinstance(scripts, dict):
            out.extend(v for k, v in scripts.items() if k in _PACKAGE_SCRIPTS and isinstance(v, str))
    elif kind == "devcontainer":
        for key in _DEVCONTAINER_KEYS:
            out.extend(_command_value(data.get(key)))
    elif kind == "vscode-tasks":
        tasks = data.get("tasks")
        for task in tasks if isinstance(tasks, list) else []:
            if isinstance(task, dict) and isinstance(task.get("runOptions"), dict) \
                    and task["runOptions"].get("runOn") == "folderOpen":
                args = task.get("args")
                words = [task.get("command")] + (args if isinstance(args, list) else [])
                out.append(" ".join(_quoted(w) for w in words if isinstance(w, str)))
    return [c for c in out if c.strip()]


def _command_value(value: object) -> list[str]:
    """A dev container command: a string (run by a shell), an argument list, or an object of
    named commands run in parallel."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [" ".join(_quoted(w) for w in value if isinstance(w, str))]
    if isinstance(value, dict):
        return [c for v in value.values() for c in _command_value(v)]
    return []


def _quoted(word: str) -> str:
    from agentops_os.guard.shell import quote

    return quote(word)


def _commands_in_fragment(kind: str, text: str) -> list[str]:
    import re

    from agentops_os.jsonscan import loads_or_none

    if kind == "package":
        keys = '"(?:' + "|".join(sorted(_PACKAGE_SCRIPTS)) + ')"'
    elif kind == "devcontainer":
        keys = '"(?:' + "|".join(_DEVCONTAINER_KEYS) + ')"'
    else:
        keys = '"command"'
    out = []
    for match in re.finditer(keys + r'\s*:\s*("(?:[^"\\\n]|\\.)*")', text):
        value = loads_or_none(match.group(1))
        if isinstance(value, str):
            out.append(value)
    return out


def _strip_jsonc(text: str) -> str:
    """JSON with comments and trailing commas (VS Code, dev containers) as plain JSON."""
    out: list[str] = []
    i, n = 0, len(text)
    while i < n:
        char = text[i]
        if char == '"':
            j = i + 1
            while j < n and text[j] != '"':
                j += 2 if text[j] == "\\" else 1
            out.append(text[i : j + 1])
            i = j + 1
        elif text.startswith("//", i):
            while i < n and text[i] != "\n":
                i += 1
        elif text.startswith("/*", i):
            end = text.find("*/", i + 2)
            i = n if end < 0 else end + 2
        elif char in "}]":
            while out and out[-1].strip() in ("", ","):
                if out.pop().strip() == ",":
                    break
            out.append(char)
            i += 1
        else:
            out.append(char)
            i += 1
    return "".join(out)
