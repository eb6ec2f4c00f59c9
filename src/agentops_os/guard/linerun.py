"""A later command of the line that runs, sources, builds or loads a file an earlier one
made (linefiles says which and from where).

- Run by its path (`/tmp/p`, `./tool/install`) or by a shell or interpreter (`sh f`,
  `python3 f.py`, `source f`, `. f`): a download, or a file of an unpacked download, is
  `pipe-to-shell` (deny); written text is judged as the program it is (a shell script,
  or the interpreter's code: `python f.py`, or the `#!` line when run by its path).
- `make -f FILE`, or `make` (`-C DIR`) of a makefile the line wrote: its recipe lines
  are commands (as `make -f - <<EOF` is judged).
- Files another program loads on its own: `conftest.py` (pytest), `setup.py` (pip
  install), `noxfile.py` (nox), `package.json` scripts (npm, pnpm, yarn, bun), `.envrc`
  (direnv), `Rakefile` (rake), `justfile` (just), and `sitecustomize.py`,
  `usercustomize.py`, `*.pth` (every Python start): what the line wrote there is judged
  as the code it is when such a program runs later on the line.
- `LD_PRELOAD`, `LD_AUDIT` (a library loaded into every program started) and
  `LD_LIBRARY_PATH` (where libraries are looked up): a downloaded library is
  `pipe-to-shell` (deny); a preloaded library outside the system's library directories
  is asked, since the guard cannot see what it does.

Text the guard could not compute (`python gen.py > x.sh && sh x.sh`) is asked.
"""

from __future__ import annotations

import os

from agentops_os.guard.argv import EXEC_SINKS, LOADER_VARIABLES
from agentops_os.guard.linefiles import CLONED, UNKNOWN, WRITTEN, from_download, written_text
from agentops_os.guard.shell import Command, Redirect, Word
from agentops_os.guard.unwrap import SHELLS, Call
from agentops_os.guard.verdict import Verdict, worst

TYPE_CHECKING = False  # typing stays off the hook path
if TYPE_CHECKING:
    from agentops_os.guard.scope import Scope

# the option that hands each interpreter its program as text (as rules_code reads it)
_CODE_FLAG = {"node": "-e", "perl": "-e", "ruby": "-e", "php": "-r", "deno": "eval", "bun": "-e", "lua": "-e"}
_INLINE = frozenset({"-c", "-m", "-e", "-E", "-r", "--eval", "-p", "--print", "eval"})
_SHELL_VALUED = frozenset({"-o", "+o", "-O", "+O", "--rcfile", "--init-file"})
_PYTHONS = frozenset({"pip", "pip3", "pytest", "py.test", "uv", "tox", "nox", "pipx", "ipython", "jupyter",
                      "poetry", "pdm", "hatch"})  # fmt: skip
_SYSTEM_LIBS = ("/lib/", "/lib32/", "/lib64/", "/libx32/", "/usr/lib/", "/usr/lib32/", "/usr/lib64/",
                "/usr/libx32/", "/usr/local/lib/", "/opt/homebrew/lib/")  # fmt: skip
_JAR_RUNNERS = frozenset({"java", "javaw"})  # `java -jar FILE` runs the code in FILE
_DECLARERS = frozenset({"export", "declare", "typeset", "local", "readonly", "env", "sudo"})


def runs(judge: Scope, call: Call) -> Verdict | None:
    """The strongest verdict over what `call` runs of the files the line made."""
    verdicts: list[Verdict | None] = []
    for word in _run_files(call):
        path = judge.resolve_word(word)
        if path is not None:
            verdicts.append(_runs_file(judge, call, path))
    if call.name in ("make", "gmake"):
        verdicts.append(_makefiles(judge, call))
    if judge.downloaded or judge.git_line.get(WRITTEN):
        verdicts.append(_autoloads(judge, call))
    if any(w.text.startswith(LOADER_VARIABLES) for w in call.command.words):
        verdicts.append(_loader_variables(judge, call))
    return worst(verdicts) if any(verdicts) else None


def _run_files(call: Call) -> list[Word]:
    """The files `call` runs: the program named by its path, the script a shell or
    interpreter is given (not `-c CODE` or `-m MODULE`), the file `source`/`.` read."""
    ran: list[Word] = []
    for word in call.command.words:
        if os.path.basename(word.text) == call.name and "/" in word.text:
            ran.append(word)
            break
    if call.name in _JAR_RUNNERS:
        args = call.args
        ran += [args[j + 1] for j in range(len(args) - 1) if args[j].text == "-jar"][:1]
    if call.name in EXEC_SINKS:
        args, j = call.args, 0
        while j < len(args):
            text = args[j].text
            if call.name not in ("source", ".", "eval") and text in _INLINE:
                break  # the program is given inline or as a module
            if text.startswith(("-", "+")) and text not in ("-", "--") and call.name not in ("source", "."):
                j += 2 if text in _SHELL_VALUED and call.name in SHELLS else 1
                continue
            if text != "--":
                ran.append(args[j])
                break
            j += 1
    return ran


def _runs_file(judge: Scope, call: Call, path: str) -> Verdict | None:
    how = from_download(judge, path)
    shown = _show(judge, path)
    if how == "file":
        reason = f"runs {shown}, which this command line downloads (download, read, then run it)"
        return judge.verdict("pipe-to-shell", "deny", reason)
    if how == "tree" and "ssh" not in call.via and not (os.path.exists(path) and judge.inside_repo(path)):
        # on the far side of ssh the guard cannot tell what was there before the archive
        if any((path + "/").startswith(tree) for tree in judge.git_line.get(CLONED) or {}):
            # a clone is often a known project's source: a person may well say yes to running it
            reason = f"runs {shown}, code from a repository this command line clones from another host"
            return judge.verdict("pipe-to-shell", "ask", reason)
        return judge.verdict(
            "pipe-to-shell", "deny", f"runs {shown}, which comes from an archive this command line downloads"
        )
    text = written_text(judge, path)
    if text is None:
        return None
    program = call.name if call.name in EXEC_SINKS else _shebang(text) or "sh"
    return _judge_text(judge, call, path, text, program, f"runs {shown}, which this command line writes")


def _shebang(text: str) -> str | None:
    """The interpreter a `#!` line names (`#!/usr/bin/env python3` is python3)."""
    if not text.startswith("#!"):
        return None
    words = text[2:].split("\n", 1)[0].split()
    if words and os.path.basename(words[0]) == "env":
        words = [w for w in words[1:] if not w.startswith("-") and "=" not in w]
    return os.path.basename(words[0]) if words else None


def _judge_text(
    judge: Scope, call: Call, path: str, text: str, program: str, how: str, unknown_asks: bool = True
) -> Verdict | None:
    """Judge `text` as what `program` runs of it: shell commands, interpreter code, or
    (`program` "make") makefile recipes. A part the guard could not compute is asked
    about when the file is run as a program (`unknown_asks`); a makefile or a file
    another program loads (`jq … > package.json.tmp && mv …`) is judged on what is known."""
    running = judge.line_notes("running")
    if path in running:
        return None  # a script that runs itself is judged once
    running[path] = program
    try:
        verdict = _as_program(judge, call, text.lstrip(UNKNOWN), program)
    finally:
        running.pop(path, None)
    if verdict is not None and verdict.decision != "allow":
        return Verdict(verdict.decision, f"{how}: {verdict.reason}", verdict.rule)
    if text.startswith(UNKNOWN) and unknown_asks:
        reason = f"{how} with text the guard cannot compute, so it cannot see what would run"
        return judge.verdict("pipe-to-shell", "ask", reason)
    return None


def _as_program(judge: Scope, call: Call, text: str, program: str) -> Verdict | None:
    if program in SHELLS or program in ("source", ".", "eval"):
        return judge.inner(text)
    if program == "make":
        from agentops_os.guard.rules_exec import RULES

        here = Command([Word("make"), Word("-f"), Word("-")], [Redirect("<<", Word("EOF"), text)])
        defines = [w for w in call.args if "=" in w.text and not w.text.startswith("-")]
        return RULES["make"](judge, Call("make", [Word("-f"), Word("-"), *defines], here))
    name = program.rstrip("0123456789.")
    if name == "python" or name in _CODE_FLAG:
        from agentops_os.guard.rules_code import code_verdict

        flag = "-c" if name == "python" else _CODE_FLAG[name]
        return code_verdict(judge, Call(program, [Word(flag), Word(text)], call.command))
    return judge.verdict(
        "pipe-to-shell", "ask", f"{program} runs it, which the guard cannot read as a program"
    )


def _makefiles(judge: Scope, call: Call) -> Verdict | None:
    """`make -f FILE`, `make -C DIR` and `make`: the makefile it reads."""
    args = call.args
    files: list[str] = []
    directory = judge.cwd
    j = 0
    while j < len(args):
        text = args[j].text
        following = args[j + 1].text if j + 1 < len(args) else ""
        if text in ("-f", "--file", "--makefile", "-C", "--directory"):
            j += 1
            value = following
        elif text.startswith(("--file=", "--makefile=", "--directory=")):
            value = text.split("=", 1)[1]
        elif text.startswith(("-f", "-C")) and len(text) > 2:
            value = text[2:]
        else:
            j += 1
            continue
        if text.startswith(("-C", "--directory")):
            directory = judge.resolve(value, directory) if directory is not None else None
        elif value not in ("-", "/dev/stdin"):
            files.append(value)
        j += 1
    if directory is None:
        return None
    verdicts: list[Verdict | None] = []
    named = [judge.resolve(f, directory) for f in files]
    default = [os.path.join(directory, n) for n in ("GNUmakefile", "makefile", "Makefile")]
    for path in [p for p in named if p is not None] if files else default:
        how = from_download(judge, path)
        shown = _show(judge, path)
        kept = os.path.exists(path) and judge.inside_repo(path)  # a file of the repository
        if how == "file" or how == "tree" and files and not kept:
            reason = f"make runs the recipes of {shown}, which this command line downloads"
            verdicts.append(judge.verdict("pipe-to-shell", "deny", reason))
            continue
        makefile = written_text(judge, path)
        if makefile is not None:
            how_text = f"make reads {shown}, which this command line writes"
            verdicts.append(_judge_text(judge, call, path, makefile, "make", how_text, unknown_asks=False))
    return worst(verdicts)


# files a program loads on its own: name -> (the language of the file, the programs that load it)
_AUTOLOADED: dict[str, tuple[str, frozenset[str]]] = {
    "conftest.py": ("python", frozenset({"pytest", "py.test", "tox", "nox"})),
    "setup.py": ("python", frozenset({"pip", "pip3", "uv", "pipx"})),
    "noxfile.py": ("python", frozenset({"nox"})),
    "package.json": ("scripts", frozenset({"npm", "pnpm", "yarn", "bun"})),
    ".envrc": ("sh", frozenset({"direnv"})),
    "Rakefile": ("ruby", frozenset({"rake"})),
    "justfile": ("just", frozenset({"just"})),
    "Justfile": ("just", frozenset({"just"})),
    "sitecustomize.py": ("python", _PYTHONS),
    "usercustomize.py": ("python", _PYTHONS),
}
_PYTHON_MODULES = {"pytest": "pytest", "pip": "pip", "build": "pip", "nox": "nox", "tox": "tox"}


def _autoloads(judge: Scope, call: Call) -> Verdict | None:
    """A file the line downloaded or wrote that `call` loads on its own (`pytest` and
    conftest.py)."""
    loader = call.name
    if loader.startswith("python"):
        argv = call.argv
        module = argv[argv.index("-m") + 1] if "-m" in argv[:-1] else ""
        loader = _PYTHON_MODULES.get(module, "python")
    pythonish = loader == "python" or loader in _PYTHONS
    verdicts: list[Verdict | None] = []
    for path in judge.downloaded:
        if _loaded_kind(os.path.basename(path), loader, pythonish):
            reason = f"{call.name} loads {_show(judge, path)}, which this command line downloads"
            verdicts.append(judge.verdict("pipe-to-shell", "deny", reason))
    for path, text in list((judge.git_line.get(WRITTEN) or {}).items()):
        kind = _loaded_kind(os.path.basename(path), loader, pythonish)
        if not kind:
            continue
        how = f"{call.name} loads {_show(judge, path)}, which this command line writes"
        text = text.lstrip(UNKNOWN)  # what cannot be computed was made from what is there already
        if kind == "scripts":
            verdicts.append(_package_scripts(judge, call, path, text, how))
        elif kind == "pth":  # the lines that start with `import` run at every Python start
            code = "\n".join(line for line in text.split("\n") if line.startswith("import"))
            verdicts.append(_judge_text(judge, call, path, code, "python3", how))
        elif kind == "just":  # recipe lines are indented under their name
            body = "\n".join(line.strip() for line in text.split("\n") if line[:1] in " \t")
            verdicts.append(_judge_text(judge, call, path, body, "sh", how))
        else:
            program = "python3" if kind == "python" else kind
            verdicts.append(_judge_text(judge, call, path, text, program, how))
    return worst(verdicts)


def _loaded_kind(name: str, loader: str, pythonish: bool) -> str:
    """What a file called `name` holds when the program `loader` loads it on its own
    ("" when it does not)."""
    kind, loaders = _AUTOLOADED.get(name, ("pth", _PYTHONS) if name.endswith(".pth") else ("", frozenset()))
    if loader in loaders or (pythonish and loaders is _PYTHONS):
        return kind
    return ""


def _package_scripts(judge: Scope, call: Call, path: str, text: str, how: str) -> Verdict | None:
    """The `scripts` of a package.json the line wrote, each judged as its command line."""
    import json

    try:
        scripts = json.loads(text).get("scripts") or {}
    except (ValueError, AttributeError):
        return None  # not JSON: the package manager refuses it
    if not isinstance(scripts, dict):
        return None
    lines = "\n".join(str(v) for v in scripts.values())
    return _judge_text(judge, call, path, lines, "sh", how)


def _loader_variables(judge: Scope, call: Call) -> Verdict | None:
    """`LD_PRELOAD=/tmp/l.so ls`, `env LD_AUDIT=…`, `export LD_PRELOAD=…`, `LD_LIBRARY_PATH=DIR`."""
    verdicts: list[Verdict | None] = []
    for word in _assignments(call.command.words):
        name, _, value = word.text.partition("=")
        if not value.strip():
            continue
        if not name.startswith("LD_"):  # code for an interpreter, not a library
            from agentops_os.guard.codeloaders import judge_code_variable

            verdicts.append(judge_code_variable(judge, word, lambda p: from_download(judge, p),
                                                lambda p: written_text(judge, p)))
            continue
        if word.dynamic:
            if name != "LD_LIBRARY_PATH":
                reason = f"{name} loads a library the guard cannot know in advance into every program started"
                verdicts.append(judge.verdict("unresolved-command", "ask", reason))
            continue
        for part in value.replace(" ", ":").split(":"):
            if part:
                verdicts.append(_library(judge, name, part, word))
    return worst(verdicts)


def _library(judge: Scope, name: str, part: str, word: Word) -> Verdict | None:
    path = judge.resolve(part, tilde=not word.quoted)
    if path is None:
        return None
    shown = _show(judge, path)
    if name == "LD_LIBRARY_PATH":
        inside = path.rstrip("/") + "/"
        if any(inside.startswith(d) or d.startswith(inside) if d.endswith("/") else os.path.dirname(d) == path
               for d in judge.downloaded):  # a downloaded file there, or an unpacked download
            reason = f"{name} looks libraries up in {shown}, where this command line downloads one"
            return judge.verdict("pipe-to-shell", "deny", reason)
        return None
    if from_download(judge, path):
        reason = f"{name} loads {shown}, which this command line downloads, into every program started"
        return judge.verdict("pipe-to-shell", "deny", reason)
    if written_text(judge, path) is not None:
        reason = f"{name} loads {shown}, which this command line writes, into every program started"
        return judge.verdict("pipe-to-shell", "ask", reason)
    if "/" not in part or path.startswith(_SYSTEM_LIBS):
        return None  # a library of the system (a bare name is looked up there)
    reason = (f"{name} loads {shown} into every program started, code the guard cannot see "
              f"(outside the system's library directories)")
    return judge.verdict("unresolved-command", "ask", reason)


def _assignments(words: list[Word]) -> list[Word]:
    """The `LD_*=` words that set a program's environment: in front of it, after `env`,
    `sudo` or `export`."""
    out: list[Word] = []
    for word in words:
        name, eq, _ = word.text.partition("=")
        if eq and name.isidentifier():
            if word.text.startswith(LOADER_VARIABLES):
                out.append(word)
        elif word.text.startswith("-") or os.path.basename(word.text) in _DECLARERS:
            continue
        else:
            break
    return out


def _show(judge: Scope, path: str) -> str:
    if judge.inside_repo(path) and path != judge.root:
        return os.path.relpath(path, judge.root)
    return path
