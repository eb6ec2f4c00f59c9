"""Build and test runners that delete, copy or install files themselves.

`cmake -E` is a portable file tool: `remove_directory`, `rm`, `copy`, `rename`, `touch`,
`create_symlink`, `tar`, `cat`, `chdir DIR CMD`, `env … CMD`, `time CMD` do what rm,
cp, mv, touch, ln, tar, cat and the wrappers do, so each is rewritten as that command
line and judged as one (`cmake -E rm -rf ~` is `rm -rf ~`; `cmake -E copy x
.git/hooks/pre-commit` writes git metadata). `cmake --install B --prefix DIR` writes
into DIR (installdirs). `cmake -P SCRIPT` runs a CMake script: its `execute_process` and
`file(REMOVE_RECURSE …)` commands are judged as the command lines they are (cmakescript).

`pytest --basetemp=DIR` empties DIR before the run (pytest removes it whole when it
exists), so it is judged as `rm -rf DIR`: `--basetemp=~` deletes the home. The same
option reaches pytest through `tox … -- ARGS`, `nox … -- ARGS`, `python -m pytest` and
`PYTEST_ADDOPTS`."""

from __future__ import annotations

from agentops_os.guard.shell import Word
from agentops_os.guard.verdict import Verdict, worst

TYPE_CHECKING = False  # typing stays off the hook path
if TYPE_CHECKING:
    from agentops_os.guard.scope import Scope
    from agentops_os.guard.unwrap import Call

# cmake -E COMMAND -> the command line that does the same: program and options put first
_CMAKE_E: dict[str, tuple[str, ...]] = {
    "remove": ("rm", "-f", "--"),
    "remove_directory": ("rm", "-r", "-f", "--"),
    "rm": ("rm",),
    "copy": ("cp",),
    "copy_if_different": ("cp",),
    "copy_if_newer": ("cp",),
    "copy_directory": ("cp", "-r"),
    "copy_directory_if_different": ("cp", "-r"),
    "copy_directory_if_newer": ("cp", "-r"),
    "rename": ("mv",),
    "make_directory": ("mkdir", "-p"),
    "touch": ("touch",),
    "touch_nocreate": ("touch", "-c"),
    "create_symlink": ("ln", "-s"),
    "create_hardlink": ("ln",),
    "tar": ("tar",),
    "cat": ("cat",),
    "time": (),
    "env": ("env",),
}


def _cmake(judge: Scope, call: Call) -> Verdict | None:
    argv = call.argv
    if "-P" in argv[:-1]:
        return _cmake_script(judge, call, argv[argv.index("-P") + 1])
    if "-E" not in argv[:-1]:
        from agentops_os.guard.installdirs import cmake as cmake_install  # not on every pytest call

        return cmake_install(judge, call)
    at = argv.index("-E")
    command, rest = argv[at + 1], call.args[at + 2 :]
    from agentops_os.guard.rebuild import shell_line, shell_word

    if command == "chdir" and len(rest) > 1:  # `cmake -E chdir DIR CMD ARGS…`
        line = f"cd {shell_word(rest[0])} && {shell_line(shell_word(rest[1]), rest[2:])}"
    elif command in _CMAKE_E:
        if command == "remove":
            rest = [w for w in rest if w.text != "-f"]
        if command == "env":  # cmake's own `--unset=NAME` / `--modify` options
            rest = [w for w in rest if not w.text.startswith(("--unset=", "--modify"))]
        program = _CMAKE_E[command]
        if not program:
            if not rest:
                return None
            program, rest = (rest[0].text,), rest[1:]
        line = shell_line(" ".join(program), rest)
    else:
        return None
    return _as(judge, f"cmake -E {command}", line)


def _cmake_script(judge: Scope, call: Call, name: str) -> Verdict | None:
    """`cmake -P FILE`: the commands of the script (cmakescript), read from the file when it
    is there, or from the here-string or pipe when it is stdin."""
    from agentops_os.guard.cmakescript import MAX_SCRIPT, script_lines

    texts: list[str] = []
    if name in ("-", "/dev/stdin", "/dev/fd/0"):
        from agentops_os.guard.rules_exec import _stdin_texts

        texts = _stdin_texts(call)
    else:
        import os

        path = judge.resolve_word(call.args[call.argv.index("-P") + 1])
        if path is None or not os.path.isfile(path):  # never a fifo or a device: the hook must not block
            return None
        try:
            with open(path, encoding="utf-8", errors="replace") as handle:
                texts = [handle.read(MAX_SCRIPT)]
        except OSError:
            return None
    lines = [line for text in texts for line in script_lines(text)]
    return worst([_as(judge, "the cmake script's command", line) for line in lines[:32]])


def _as(judge: Scope, how: str, line: str) -> Verdict | None:
    verdict = judge.inner(line)
    if verdict.decision == "allow":
        return None
    return Verdict(verdict.decision, f"{how} is `{line[:60]}`: {verdict.reason}", verdict.rule)


def basetemp(judge: Scope, call: Call, args: list[Word]) -> Verdict | None:
    """`--basetemp=DIR` / `--basetemp DIR` among pytest's `args` (and in PYTEST_ADDOPTS):
    a recursive delete of DIR."""
    from agentops_os.guard.rules_delete import delete_targets

    words = list(args)
    for word in call.command.words:  # `PYTEST_ADDOPTS='--basetemp=~' pytest`
        name, eq, value = word.text.partition("=")
        if eq and name == "PYTEST_ADDOPTS":
            words += [Word(part, word.quoted, word.dynamic, tilde=True) for part in value.split()]
    targets: list[Word] = []
    for k, word in enumerate(words):
        name, eq, value = word.text.partition("=")
        if len(name) > 6 and "--basetemp".startswith(name):  # argparse takes `--basete=` too
            if eq:
                targets.append(Word(value, word.quoted, word.dynamic, tilde=not word.quoted))
            elif k + 1 < len(words):
                targets.append(words[k + 1])
    # a directory made for the run (`--basetemp="$(mktemp -d)"`) holds nothing to lose
    targets = [w for w in targets if not any(m in w.text for m in ("$(mktemp", "`mktemp"))]
    if not targets:
        return None
    verdict = delete_targets(judge, call, targets, True)
    if verdict is None or verdict.decision == "allow":
        return None
    return Verdict(verdict.decision, f"pytest --basetemp removes that directory first: {verdict.reason}",
                   verdict.rule)


def _pytest(judge: Scope, call: Call) -> Verdict | None:
    return basetemp(judge, call, call.args)


def _tox(judge: Scope, call: Call) -> Verdict | None:
    """`tox -e py312 -- ARGS` / `nox -s tests -- ARGS`: ARGS go to the test command
    (pytest, as a rule)."""
    argv = call.argv
    if "--" not in argv:
        return None
    return basetemp(judge, call, call.args[argv.index("--") + 1 :])


def python(judge: Scope, call: Call) -> Verdict | None:
    """`python setup.py install --prefix=/usr`, `python -m pytest --basetemp=DIR`,
    `python -m tox|nox -- --basetemp=DIR`."""
    from agentops_os.guard.installdirs import setup_py

    argv = call.argv
    verdicts = [setup_py(judge, call)]
    if "-m" in argv[:-1]:
        at = argv.index("-m")
        module = argv[at + 1]
        rest = call.args[at + 2 :]
        if module in ("pytest", "py.test"):
            verdicts.append(basetemp(judge, call, rest))
        elif module in ("tox", "nox") and "--" in argv[at + 2 :]:
            verdicts.append(basetemp(judge, call, rest[argv[at + 2 :].index("--") + 1 :]))
    return worst(verdicts)


RULES = {
    "cmake": _cmake,
    "pytest": _pytest,
    "py.test": _pytest,
    "tox": _tox,
    "nox": _tox,
}
