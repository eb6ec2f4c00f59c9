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


_CI_NAMES = ("Jenkinsfile", ".gitlab-ci", "azure-pipelines", "bitbucket-pipelines", ".travis.", ".drone.",
             "cloudbuild.", "action.y", ".woodpecker")  # fmt: skip
_CI_DIRS = (".github/", ".gitlab-ci/", ".circleci/", ".buildkite/", ".woodpecker/")


def ci_file(path: str) -> bool:
    """Whether `path` may be a CI pipeline file (ciwrite.py judges it). Cheap: no imports."""
    name = path.replace("\\", "/").rsplit("/", 1)[-1]
    return name.startswith(_CI_NAMES) or any(part in path for part in _CI_DIRS)


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
    return _agent_or_build_kind(name, parent, parts)


_AGENT_DIRS = frozenset({".claude", ".cursor", ".gemini", ".codex", ".windsurf", ".roo", ".kiro", ".amazonq",
                         ".continue", ".zed", ".vscode", ".cline", ".qwen"})  # fmt: skip
_HOOK_DIRS = frozenset({".claude", ".cursor", ".gemini", ".codex", ".qwen"})
_VIM_NAMES = frozenset({".nvim.lua", ".nvimrc", ".exrc", ".vimrc", "_vimrc", ".lvimrc", ".vimrc.local",
                        ".nvim.vim"})  # fmt: skip
_JS_SUFFIXES = (".js", ".cjs", ".mjs", ".ts", ".cts", ".mts", ".jsx", ".tsx")


def _agent_or_build_kind(name: str, parent: str, parts: list[str]) -> str | None:
    """The agent clients', editors' and build tools' files (autofiles.py reads them)."""
    hooks = [i for i, p in enumerate(parts[:-1]) if p == "hooks" and i and parts[i - 1] in _HOOK_DIRS]
    if hooks:
        return "agent-hook"
    if name.endswith(".json") and ("mcp" in name.lower() or (parent in _AGENT_DIRS and name.startswith(
            ("settings", "hooks")))):  # fmt: skip
        return "agent"
    if name in _VIM_NAMES:
        return "vim-lua" if name.endswith(".lua") else "vim"
    if name in ("justfile", "Justfile", ".justfile") or name.endswith(".just"):
        return "just"
    if name == "build.rs" or (name.endswith(".rs") and parent == "build"):
        return "rust-build"
    if name == "tox.ini" or name == "setup.cfg" or name == "pyproject.toml":
        return "tox"
    if name in ("noxfile.py", "conf.py"):  # nox; Sphinx runs its conf.py at every build
        return "python"
    if name.endswith((".py", ".pyw")):
        return "python-source"
    if name.startswith(".pnpmfile.") and name.endswith(_JS_SUFFIXES):  # pnpm runs it at every install
        return "node"
    if name.endswith(_JS_SUFFIXES):
        return "node-source"
    if name in ("Rakefile", "Gemfile", "Guardfile") or name.endswith((".rb", ".gemspec", ".rake")):
        return "ruby-source"
    return None


def worth_reading(kind: str, tool_input: dict[str, Any]) -> bool:
    """Whether the new text can hold anything judge_autorun looks for: a plain source
    file without one of the code words is most Writes, and is passed before the command
    dispatcher (and its regular expressions) is loaded."""
    if kind not in _SOURCE_KINDS:
        return True
    return any(word in text for text in _new_texts(tool_input) for word in _SOURCE_TRIGGERS)


def judge_autorun(judge: Scope, path: str, kind: str, tool_input: dict[str, Any]) -> Verdict | None:
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
        elif kind in _JSON_KINDS:
            lines.extend((command, "runs it") for command in _json_commands(kind, text))
        else:
            lines.extend(_other_lines(kind, path, text))
    verdicts: list[Verdict | None] = [_hook_write(judge, path)] if kind == "agent-hook" else []
    where = _runs_in(judge, path, kind)
    for line, how in lines:
        if kind in ("shell", "agent-hook"):
            line = _script_paths(line, path)
        verdict = judge.inner(f"cd {_quoted(where)} && {line}" if where else line)  # the dispatcher
        if kind in _SOURCE_KINDS and not _strong(verdict, text):
            continue
        if kind in _SOURCE_KINDS:  # a module that holds such code as data (a guard's tests) is asked
            verdict = Verdict("ask", verdict.reason, verdict.rule)
        if verdict.decision == "deny" or (verdict.decision == "ask" and not _unseen(verdict)):
            verdicts.append(Verdict(verdict.decision, f"{path}: {_runner(kind)} {how}: {verdict.reason}",
                                    verdict.rule))
    return worst(verdicts) if any(verdicts) else None


_JSON_KINDS = frozenset({"package", "devcontainer", "vscode-tasks"})
# Source files some program imports or loads later (a package's `__init__.py`, a config
# module): only the strongest code classes are judged in them (see _strong).
_SOURCE_KINDS = frozenset({"python-source", "node-source", "ruby-source"})
_SOURCE_TRIGGERS = ("system", "popen", "subprocess", "exec", "eval", "spawn", "socket", "urlopen", "urllib",
                    "requests", "fetch", "http", "pty", "child_process", "Function", "pickle", "`", "%x",
                    "IO.", "Open3", "net.", "dup2")  # fmt: skip
# the verdicts that count in a source file: it runs a download or a remote shell, or sends
# secrets or the environment away
_STRONG_RULES = frozenset({"pipe-to-shell", "reverse-shell", "exfiltration"})
# a network sender in a command line the code runs (`os.system('curl -d @~/.aws/credentials …')`)
_SENDERS = (r"code runs `[^`]*\b(?:curl|wget|nc|ncat|netcat|socat|scp|rsync|sftp|ftp|telnet|ssh|xh|http|"
            r"https|aws|gsutil|rclone)\b")  # fmt: skip


def _strong(verdict: Verdict, text: str) -> bool:
    """Whether a verdict on a source file's code is one of the strongest classes: a
    download run (`os.system('curl … | sh')`), a reverse shell, the environment sent, or a
    secret file read by a command that sends it (`os.system('curl -d @~/.aws/credentials
    …')`) or in code that names a URL. Ordinary code (subprocess calls, deletes in a
    cleanup helper, a credential loader reading `~/.aws/credentials`, `load_dotenv()`) is
    left to the judgement of whoever runs it; a socket and a `dup2` far apart in a long
    file (a daemon's stdio set-up and its server) are not a reverse shell."""
    import re

    if verdict.decision == "allow":
        return False
    if verdict.rule == "reverse-shell":
        return len(text) <= _CHUNK or _near(text)
    if verdict.rule in _STRONG_RULES:
        return True
    if verdict.rule != "secret-read" or verdict.decision != "deny":
        return False
    named_host = re.search(r"https?://|\b\d{1,3}(?:\.\d{1,3}){3}\b", text)
    sent = re.search(_SENDERS, verdict.reason)
    return bool(sent) or ("reads secret file" in verdict.reason and bool(named_host))


def _near(text: str) -> bool:
    """A socket opened and a shell wired to it within a few lines of each other."""
    import re

    from agentops_os.guard.revshell import _CODE_SHELL, _CODE_SOCKET

    shells = [m.start() for m in re.finditer(_CODE_SHELL, text)]
    return any(abs(m.start() - s) < 1200 for m in re.finditer(_CODE_SOCKET, text) for s in shells)


def _hook_write(judge: Scope, path: str) -> Verdict | None:
    """A hook script of an agent client (`.claude/hooks/*`): the client runs it at each tool
    call and obeys what it prints, so one that prints an approval switches the guard off."""
    reason = (f"writes {path}, a hook script the agent client runs at its tool calls (what it prints "
              f"can approve them), which needs a human yes")
    return judge.verdict("ask-write", "ask", reason)


def _other_lines(kind: str, path: str, text: str) -> list[tuple[str, str]]:
    """(command line to judge, what runs it) for the files autofiles.py reads, and for
    code files (as the interpreter's here-document)."""
    import os

    from agentops_os.guard import autofiles

    if kind == "agent":
        return [(command, "runs it") for command in autofiles.agent_commands(text)]
    if kind == "agent-hook":
        lang = _shebang_language(text) or {".py": "python3", ".js": "node", ".mjs": "node", ".cjs": "node",
                                           ".ts": "node", ".rb": "ruby"}.get(os.path.splitext(path)[1], "sh")
        if lang in ("sh", "bash", "zsh", "dash"):
            return [(text, "runs it at its tool calls")]
        return [(_heredoc(f"{lang} -", text), "runs it at its tool calls")] if lang in _CODE_RUNNERS else []
    if kind == "vim":
        shell, lua = autofiles.vim_script(text)
        out = [(line, "runs it when it opens the folder") for line in shell]
        return out + ([(_heredoc("lua -", autofiles.neovim_lua(lua)), "runs its Lua")] if lua.strip() else [])
    if kind == "vim-lua":
        return [(_heredoc("lua -", autofiles.neovim_lua(text)), "runs it when it opens the folder")]
    if kind == "just":
        out = []
        for body, lang in autofiles.just_recipes(text):
            if lang in ("sh", "bash", "zsh", "dash"):
                out.append((body, "runs its recipes"))
            elif lang in _CODE_RUNNERS:
                out.append((_heredoc(f"{lang} -", body), "runs its recipes"))
        return out
    if kind == "rust-build":
        return [(line, "runs the program it starts") for line in autofiles.rust_commands(text)]
    if kind == "tox":
        return [(line, "runs it") for line in autofiles.tox_commands(text)]
    runner = {"node": "node", "node-source": "node", "python-source": "python3", "ruby-source": "ruby"}[kind]
    if kind not in _SOURCE_KINDS:
        return [(_heredoc(f"{runner} -", text), "loads it as code")]
    if not any(word in text for word in _SOURCE_TRIGGERS):
        return []
    if kind == "python-source":
        text = _python_code_only(text)
    return [(_heredoc(f"{runner} -", chunk), "loads it as code") for chunk in _chunks(text)]


def _python_code_only(text: str) -> str:
    """The source without its comments and docstrings: a module that explains in them
    what it guards against (`# os.system("curl … | sh")`) runs none of it. Text Python's
    tokenizer cannot read is kept whole (judged as written)."""
    import io
    import tokenize

    lines = text.splitlines(keepends=True)
    try:
        tokens = list(tokenize.generate_tokens(io.StringIO(text).readline))
    except (tokenize.TokenError, SyntaxError, IndentationError):
        return text
    drop: set[tuple[int, int]] = set()  # (row, col) starts of comment and docstring tokens
    starts = (tokenize.NEWLINE, tokenize.INDENT, tokenize.DEDENT, tokenize.NL)  # before a statement
    previous = tokenize.NEWLINE
    for token in tokens:
        if token.type == tokenize.COMMENT:
            drop.add(token.start)
        elif token.type == tokenize.STRING and previous in starts:
            drop.add(token.start)  # a string alone as a statement: a docstring
        if token.type not in (tokenize.NL, tokenize.COMMENT):
            previous = token.type
    if not drop:
        return text
    for token in tokens:
        if token.start in drop:
            (row, col), (end_row, end_col) = token.start, token.end
            first = lines[row - 1]
            if row == end_row:
                lines[row - 1] = first[:col] + " " * (end_col - col) + first[end_col:]
            else:
                lines[row - 1] = first[:col] + "\n"
                for middle in range(row, end_row - 1):
                    lines[middle] = "\n"
                lines[end_row - 1] = " " * end_col + lines[end_row - 1][end_col:]
    return "".join(lines)


_CHUNK = 3000


def _chunks(text: str) -> list[str]:
    """A long source file as pieces of whole top-level statements or methods of about a
    third of _CHUNK characters or more, each after the file's import lines: the code
    reader follows names across the text it is given, and over a whole module a name set
    in one function (`env = {**os.environ}`) is taken for the same name in another. What
    a file does at import (a planted payload) is a few lines together, and is seen whole
    in its piece."""
    if len(text) <= _CHUNK:
        return [text]
    lines = text.splitlines()
    imports = "\n".join(line for line in lines if line.startswith(("import ", "from ", "const ", "require")))
    pieces: list[str] = []
    current: list[str] = []
    size = 0
    for line in lines:
        top = bool(line) and not line[0].isspace() and not line.startswith((")", "]", "}", "@", "#"))
        method = line[:4].isspace() and line.lstrip().startswith(("def ", "async def ", "@"))
        if (top or method and line[4:5] != " ") and size > _CHUNK // 3:
            pieces.append("\n".join(current))
            current, size = [], 0
        current.append(line)
        size += len(line) + 1
    pieces.append("\n".join(current))
    return [imports + "\n" + piece for piece in pieces if piece.strip()]


_CODE_RUNNERS = frozenset({"python", "python3", "node", "ruby", "perl", "php", "lua"})


def _shebang_language(text: str) -> str | None:
    if not text.startswith("#!"):
        return None
    words = text[2:].split("\n", 1)[0].split()
    if words and words[0].endswith("/env"):
        words = [w for w in words[1:] if not w.startswith("-")]
    return words[0].rsplit("/", 1)[-1] if words else None


def _runs_in(judge: Scope, path: str, kind: str) -> str:
    """The directory the runner runs the file's commands in: its own for direnv, make, npm
    and a `.pth`; the repository's top for git hooks (husky), a dev container's workspace,
    VS Code tasks and Python (pytest and pip run from the top, `sitecustomize` wherever)."""
    import os

    folder = os.path.dirname(path)
    if kind in ("make", "package", "pth", "just", "tox", "rust-build") or os.path.basename(path) == ".envrc":
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
            "vscode-tasks": "VS Code", "agent": "the agent client", "agent-hook": "the agent client",
            "vim": "Neovim (exrc)", "vim-lua": "Neovim (exrc)", "just": "just", "rust-build": "cargo build",
            "tox": "tox", "node": "pnpm", "python-source": "Python", "node-source": "node or a build tool",
            "ruby-source": "Ruby or bundler"}.get(kind, "a tool")  # fmt: skip


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
        from agentops_os.guard.autofiles import strip_jsonc

        data = loads_or_none(strip_jsonc(text))
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
                out.append(_task_line(task))
    return [c for c in out if c.strip()]


def _task_line(task: dict[str, Any]) -> str:
    """A VS Code task's command line: a `shell` task's `command` is a shell line (its `args`
    quoted after it), a `process` task's the program. The `linux`/`osx`/`windows` keys
    override the task's own."""
    import sys

    own = task.get("linux" if sys.platform.startswith("linux") else "osx")
    task = {**task, **own} if isinstance(own, dict) else task
    command, args = task.get("command"), task.get("args")
    if isinstance(command, dict):  # {"value": "…", "quoting": …}
        command = command.get("value")
    if not isinstance(command, str):
        return ""
    words = [a.get("value") if isinstance(a, dict) else a for a in args] if isinstance(args, list) else []
    rest = " ".join(_quoted(w) for w in words if isinstance(w, str))
    shell = task.get("type", "process") == "shell" or not rest and " " in command
    head = command if shell else _quoted(command)
    return f"{head} {rest}".strip()


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
