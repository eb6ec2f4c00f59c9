"""Editors and debuggers driven by a script instead of a person.

`vim -c ':%d' -c ':wq' ~/.bashrc`, `ex -sc '$a|curl x|sh|.|x' ~/.profile` and `printf
'$a\\n...\\n.\\nw\\n' | ed ~/.bashrc` write their file operands as surely as `sed -i`
does: those files are judged as writes (the guard's write judging: `ask-write`,
`secret-write`, ... follow from the path), and so is the target of `:w FILE` / `:saveas
FILE`. ed's `!cmd` lines and the debuggers' escapes (gdb's `shell CMD`, `!CMD`, `pipe ...
| CMD`, `python CODE`, `call system("CMD")`; lldb's `platform shell CMD`, `script CODE`)
are judged as the command lines (or Python code) they run, as is the program a debugger
is told to run (`gdb --args PROG ARGS`, `lldb -- PROG ARGS`). rules_exec dispatches here;
this module never imports the dispatcher (`Scope.inner` judges nested command lines)."""

from __future__ import annotations

import re

from agentops_os.guard.verdict import Verdict, runs_text, worst

TYPE_CHECKING = False  # typing stays off the hook path
if TYPE_CHECKING:
    from agentops_os.guard.scope import Scope
    from agentops_os.guard.shell import Word
    from agentops_os.guard.unwrap import Call

# An Ex/ed address range in front of a command (`%`, `1,$`, `.`, `'a`, `/re/`).
_RANGE = r"""^[\s:]*(?:%|\d+|[.$]|'[a-z<>]|[,;+\-]|/(?:\\.|[^/])*/|\?(?:\\.|[^?])*\?)*\s*"""
# Ex commands that write the buffer: `w`, `wq`, `x`, `wa`, `up`, `sav FILE`, `exi`, `norm ZZ`.
_VI_WRITE = re.compile(
    r"^(?:w(?:r(?:i(?:te?)?)?)?|wq|wqa(?:ll)?|wa(?:ll)?|xa(?:ll)?|x(?:it)?|exi(?:t)?|up(?:d(?:a(?:te?)?)?)?"
    r"|sav(?:e(?:as?)?)?|wn(?:ext)?|wN(?:ext)?|wp(?:revious)?)(?P<bang>!?)(?:\s+(?P<arg>.*))?$"
    r"|^norm(?:al)?!?\s.*Z[ZQ]"
)
# vim options that take a value (the next word), so it is no file operand.
_VI_VALUED = frozenset({"-c", "--cmd", "-S", "-s", "-u", "-U", "-i", "-T", "-w", "-W", "-t", "-q", "-r",
                        "--servername", "--remote", "--remote-send", "--remote-expr", "--startuptime",
                        "--listen", "--log"})  # fmt: skip


def _runs(judge: Scope, name: str, text: str, how: str) -> Verdict | None:
    """Judge `text` as the command line `name` hands to a shell."""
    return runs_text(judge, name, how, text)


def _python(judge: Scope, name: str, code: str) -> Verdict | None:
    """Python code a debugger runs, judged as `python3 -c CODE` would be."""
    from shlex import quote

    return _runs(judge, name, "python3 -c " + quote(code), "runs Python") if code.strip() else None


def _writes(judge: Scope, name: str, words: list[Word], targets: list[str]) -> Verdict | None:
    """The files a scripted editor writes: its file operands and `:w FILE` targets."""
    verdicts: list[Verdict | None] = []
    for word in words:
        path = judge.resolve_word(word)
        verdicts.append(judge.judge_write(path, f"{name} writes") if path else None)
    for target in targets:
        path = judge.resolve(target)
        verdicts.append(judge.judge_write(path, f"{name} writes") if path else None)
    return worst(verdicts)


# -- the vi family -----------------------------------------------------------------------


def vi_writes(judge: Scope, call: Call, commands: list[str]) -> Verdict | None:
    """`vim -c CMD FILE...` (or Ex mode reading a script) with a write command among its
    commands writes FILE; a script the guard cannot read (`-s FILE`, `-S FILE`, Ex mode
    from a redirected file) may too."""
    files: list[Word] = []
    unseen, ex_mode = False, _ex_mode(call)
    args, j = call.args, 0
    while j < len(args):
        text = args[j].text
        if text == "--":
            files += args[j + 1 :]
            break
        if text == "-s" and ex_mode:  # in Ex mode `-s` is silent mode, not a script
            j += 1
            continue
        if text in ("-s", "-S", "-W") and j + 1 < len(args):
            unseen = True
        if text in _VI_VALUED or (text.startswith("-") and not text.startswith("--") and text.endswith("c")):
            j += 2
            continue
        if not text.startswith(("-", "+")):
            files.append(args[j])
        j += 1
    if ex_mode and any(r.op == "<" for r in call.command.redirects):
        unseen = True
    writes, targets = _vi_write_commands(commands)
    if not (writes or unseen):
        return None
    return _writes(judge, call.name, files, targets)


def _ex_mode(call: Call) -> bool:
    return call.name in ("ex", "nex") or any(
        w.text.startswith("-") and not w.text.startswith("--") and ("e" in w.text[1:] or "E" in w.text[1:])
        for w in call.args
    )


def _vi_write_commands(commands: list[str]) -> tuple[bool, list[str]]:
    """(whether any Ex command writes, the files named as write targets)."""
    writes, targets = False, []
    for command in commands:
        for piece in re.split(r"(?<!\\)\|", command):
            piece = re.sub(_RANGE, "", piece).strip()
            match = _VI_WRITE.match(piece)
            if not match:
                continue
            arg = (match.group("arg") or "").strip()
            if arg.startswith("!"):  # `w !cmd` pipes the buffer to a command: no write
                continue
            writes = True
            arg = arg.removeprefix(">>").strip()
            if arg and not arg.startswith(("++", "!")):
                targets.append(arg)
    return writes, targets


# -- ed ----------------------------------------------------------------------------------


def ed(judge: Scope, call: Call, stdin: list[str]) -> Verdict | None:
    """ed reads its commands from stdin: `w` writes the file operand (or `w FILE`),
    `!cmd`, `r !cmd`, `e !cmd` and `w !cmd` run a shell command; the lines after `a`,
    `i`, `c` up to `.` are text. A file operand `!cmd` reads that command's output.
    Commands from a redirected file the guard cannot read count as a write."""
    files = [w for w in call.args if not w.text.startswith("-")]
    files = [w for w in files if w.text != "-"]  # `-` alone is the old spelling of -s
    verdicts: list[Verdict | None] = []
    for word in files:
        if word.text.startswith("!"):
            verdicts.append(_runs(judge, call.name, word.text[1:], "reads the output of"))
    files = [w for w in files if not w.text.startswith("!")]
    writes = False
    targets: list[str] = []
    for text in stdin:
        wrote, named, shells = _ed_script(text)
        writes, targets = writes or wrote, targets + named
        verdicts += [_runs(judge, call.name, shell, "runs") for shell in shells]
    if not stdin and any(r.op == "<" for r in call.command.redirects):
        writes = True
    if writes:
        verdicts.append(_writes(judge, call.name, files, targets))
    return worst(verdicts)


_ED_COMMAND = re.compile(r"^(?P<cmd>[a-zA-Z=!]?)(?P<rest>.*)$", re.S)


def _ed_script(text: str) -> tuple[bool, list[str], list[str]]:
    """(writes, the files named by `w FILE`, the shell commands) of an ed script."""
    writes, targets, shells = False, [], []
    inserting = False
    for line in text.split("\n"):
        if inserting:
            inserting = line != "."
            continue
        command = re.sub(_RANGE, "", line)
        match = _ED_COMMAND.match(command)
        if not match:
            continue
        cmd, rest = match.group("cmd"), match.group("rest").strip()
        if cmd in ("a", "i", "c") and not rest:
            inserting = True
        elif cmd == "!":
            shells.append(rest)
        elif cmd in ("r", "e", "E", "w", "W") and rest.startswith("!"):
            shells.append(rest[1:])
        elif cmd in ("w", "W"):
            writes = True
            rest = rest.removeprefix("q").strip()
            if rest:
                targets.append(rest)
    return writes, targets, shells


# -- debuggers ---------------------------------------------------------------------------

_GDB_COMMANDS = ("-ex", "--ex", "-eval-command", "--eval-command", "-iex", "--iex",
                 "-init-eval-command", "--init-eval-command")  # fmt: skip
_GDB_VALUED = frozenset({"-x", "--x", "-command", "--command", "-ix", "--ix", "-init-command",
                         "--init-command", "-p", "--pid", "-d", "--directory", "-cd", "--cd", "-s",
                         "--symbols", "-e", "--exec", "-se", "--se", "-core", "--core", "-c", "-tty",
                         "--tty", "-b", "-l", "-D", "--data-directory", "-i", "--interpreter"})  # fmt: skip


def gdb(judge: Scope, call: Call, stdin: list[str]) -> Verdict | None:
    """gdb's commands from `-ex`/`-iex` (and a script on stdin, `-x /dev/stdin`), and
    the program `--args PROG ARGS` runs."""
    commands: list[str] = []
    program: list[str] = []
    args, j = call.args, 0
    while j < len(args):
        text = args[j].text
        name, eq, value = text.partition("=")
        if text in _GDB_COMMANDS and j + 1 < len(args):
            commands.append(args[j + 1].text)
            j += 1
        elif eq and name in _GDB_COMMANDS:
            commands.append(value)
        elif text == "--args" or text == "-args":
            program = [_shell_word(w) for w in args[j + 1 :]]
            break
        elif text in ("-x", "--x", "-command", "--command") and j + 1 < len(args):
            if args[j + 1].text in ("-", "/dev/stdin"):
                commands += [line for t in stdin for line in t.splitlines()]
            j += 1
        elif text in _GDB_VALUED:
            j += 1
        j += 1
    if not any(a.text in ("-x", "--x", "-command", "--command") for a in args):
        commands += [line for t in stdin for line in t.splitlines()]
    verdicts = [_gdb_command(judge, call.name, c) for c in commands]
    if program:
        verdicts.append(_runs(judge, call.name, " ".join(program), "debugs (runs)"))
    return worst(verdicts)


def _gdb_command(judge: Scope, name: str, command: str) -> Verdict | None:
    command = command.strip()
    shell = re.match(r"^(?:she(?:ll?)?\s+|!\s*)(.*)$", command, re.S)
    if shell:
        return _runs(judge, name, shell.group(1), "runs")
    pipe = re.match(r"^(?:pipe\s+|\|\s*)(?:-d\s+(\S)\s+)?(.*)$", command, re.S)
    if pipe:
        delimiter = re.escape(pipe.group(1) or "|")
        parts = re.split(delimiter, pipe.group(2), maxsplit=1)
        return _runs(judge, name, parts[-1] if len(parts) > 1 else "", "pipes into")
    python = re.match(r"^(?:python(?:3|-interactive)?|py|pi)\b\s*(.*)$", command, re.S)
    if python:
        return _python(judge, name, python.group(1))
    return worst([_runs(judge, name, text, "runs") for text in _system_calls(command)])


def _system_calls(text: str) -> list[str]:
    """`call system("CMD")`, `print (int)system("CMD")`, `p popen("CMD", "r")`."""
    return [m.group(2) for m in re.finditer(r"""\b(?:system|popen|execl?p?)\s*\(\s*(["'])(.*?)\1""", text)]


_LLDB_COMMANDS = ("-o", "--one-line", "-O", "--one-line-before-file", "-k", "--one-line-on-crash",
                  "-K", "--source-on-crash")  # fmt: skip
_LLDB_VALUED = frozenset({"-s", "--source", "-S", "--source-before-file", "-p", "--attach-pid", "-n",
                          "--attach-name", "-c", "--core", "-a", "--arch", "-f", "--file", "-l",
                          "--script-language", "-r", "--repl-language"})  # fmt: skip


def lldb(judge: Scope, call: Call, stdin: list[str]) -> Verdict | None:
    """lldb's commands from `-o`/`-O` (and stdin), and the program after `--`."""
    commands: list[str] = [line for t in stdin for line in t.splitlines()]
    program: list[str] = []
    args, j = call.args, 0
    while j < len(args):
        text = args[j].text
        if text in _LLDB_COMMANDS and j + 1 < len(args):
            commands.append(args[j + 1].text)
            j += 1
        elif text == "--":
            program = [_shell_word(w) for w in args[j + 1 :]]
            break
        elif text in _LLDB_VALUED:
            j += 1
        j += 1
    verdicts = [_lldb_command(judge, call.name, c) for c in commands]
    if program:
        verdicts.append(_runs(judge, call.name, " ".join(program), "debugs (runs)"))
    return worst(verdicts)


def _lldb_command(judge: Scope, name: str, command: str) -> Verdict | None:
    command = command.strip()
    shell = re.match(r"^(?:(?:platform\s+)?shell(?:\s+-[a-z]\s+\S+)*\s+|!\s*)(.*)$", command, re.S)
    if shell:
        return _runs(judge, name, shell.group(1), "runs")
    script = re.match(r"^(?:script|scr)\b(?:\s+(?:-l|--language)\s+\S+)?(?:\s+--)?\s*(.*)$", command, re.S)
    if script:
        return _python(judge, name, script.group(1))
    return worst([_runs(judge, name, text, "runs") for text in _system_calls(command)])


def _shell_word(word: Word) -> str:
    from shlex import quote

    """A word of argv written back as shell text: quoted, except a leading `~` that the
    outer shell expanded."""
    text = word.text
    if word.tilde and (text == "~" or text.startswith("~/")):
        return "~" + (quote(text[1:]) if text[1:] else "")
    return quote(text)
