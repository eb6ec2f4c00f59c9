"""Programs with an escape to a shell, whose shell text is judged as a command line
(through `Scope.inner`, so this module never imports the dispatcher): `awk` (`system()`,
`print | "cmd"`, `"cmd" | getline`), `script -c`, the vi family (`-c '!cmd'`), `tar
--checkpoint-action=exec=`/`--to-command`, `sqlite3 .shell`, and the recipes of a makefile
read from stdin (`make -f - <<EOF`); scripted editors and debuggers (the files vim, ex and ed
write, ed's `!cmd`, gdb's and lldb's escapes) are judged in editors.py. Also
`produced_text`: what a pipeline writes, when the guard can compute it."""

from __future__ import annotations

from agentops_os.guard.argv import long_options
from agentops_os.guard.shell import Command, Word
from agentops_os.guard.verdict import Verdict, runs_text, worst

TYPE_CHECKING = False  # typing stays off the hook path
if TYPE_CHECKING:
    from agentops_os.guard.scope import Scope
    from agentops_os.guard.unwrap import Call

_PASS_THROUGH = frozenset({"cat", "head", "tail", "grep", "sort", "uniq", "tee", "dos2unix"})


def produced_text(commands: list[Command]) -> str | None:
    """What a pipeline writes to its stdout, when the guard can compute it: `echo`,
    `printf`, `cat` of a here-document, then decoders (`base64 -d`, `xxd -r -p`,
    `openssl base64 -d`, `rev`). None when any stage is something else."""
    text: str | None = None
    for command in commands:
        argv = [w.text for w in command.words]
        if not argv or any(w.dynamic for w in command.words):
            return None
        name = argv[0].rsplit("/", 1)[-1]
        fed = next(
            (
                r.body if r.op in ("<<", "<<-") else (r.target.text + "\n" if r.target else None)
                for r in command.redirects
                if r.op in ("<<", "<<-", "<<<")
            ),
            None,
        )
        stdin = fed if fed is not None else text
        if name == "echo":
            text = _echo(argv[1:])
        elif name == "printf":
            text = _printf(argv[1:])
        elif name in _PASS_THROUGH and len(argv) == 1 or name == "cat" and argv[1:] == ["-"]:
            text = stdin
        elif (
            name in ("base64", "openssl")
            and any(a in ("-d", "--decode", "-D") for a in argv[1:])
            and (name == "base64" or "base64" in argv or "-base64" in argv or "-a" in argv)
        ):
            text = _b64(stdin)
        elif name == "xxd" and "-r" in argv and "-p" in argv or name == "xxd" and "-rp" in argv:
            text = _unhex(stdin)
        elif name == "rev" and len(argv) == 1 and stdin is not None:
            text = "\n".join(line[::-1] for line in stdin.split("\n"))
        else:
            return None
        if text is None:
            return None
    return text


def _echo(args: list[str]) -> str:
    """What `echo` writes; with `-e`, its escapes (`\\x72`, `\\0162`, `\\u0072`) decoded."""
    escapes, newline = False, "\n"
    while args and len(args[0]) > 1 and args[0][0] == "-" and set(args[0][1:]) <= set("neE"):
        for letter in args[0][1:]:
            escapes = letter == "e" if letter in "eE" else escapes
            newline = "" if letter == "n" else newline
        args = args[1:]
    text = " ".join(args) + newline
    return _unescape(text, echo=True) if escapes else text


# printf's format: a `%` conversion (flags, width, precision, letter) or a backslash escape.
_PRINTF_PIECE = (
    r"%[-+ #0]*(\d*)(?:\.\d*)?([a-zA-Z%])"
    r"|\\(?:x[0-9a-fA-F]{1,2}|u[0-9a-fA-F]{1,4}|U[0-9a-fA-F]{1,8}|[0-7]{1,3}|.)|[^%\\]+|."
)


def _printf(args: list[str]) -> str | None:
    """What `printf FORMAT ARGS...` writes, as bash computes it: the format's escapes
    decoded, `%s`/`%b`/`%c`/`%d` filled from the arguments, the format repeated while
    arguments remain. `printf -v NAME` writes nothing (it sets a variable)."""
    import re

    if args[:1] == ["--"]:
        args = args[1:]
    if not args or args[0].startswith("-v"):
        return "" if args else None
    fmt, rest = args[0], args[1:]
    out: list[str] = []
    for _ in range(100):
        used = 0
        for match in re.finditer(_PRINTF_PIECE, fmt, re.S):
            piece = match.group(0)
            if piece[0] == "\\":
                out.append(_unescape(piece, echo=False))
            elif piece[0] != "%" or len(piece) == 1:
                out.append(piece)
            elif match.group(2) == "%":
                out.append("%")
            else:
                value = rest[used] if used < len(rest) else ""
                used += 1
                letter = match.group(2)
                if letter == "b":
                    value = _unescape(value, echo=True)
                elif letter == "c":
                    value = value[:1]
                elif letter in "diouxX":
                    value = value if value.lstrip("-+").isdigit() else "0"
                out.append(value.rjust(int(match.group(1) or 0)))
        rest = rest[used:]
        if not rest or not used:
            break
    return "".join(out)


_SIMPLE_ESCAPES = {"a": "\a", "b": "\b", "e": "\x1b", "E": "\x1b", "f": "\f", "n": "\n", "r": "\r",
                   "t": "\t", "v": "\v", "\\": "\\", "'": "'", '"': '"', "?": "?"}  # fmt: skip


def _unescape(text: str, echo: bool) -> str:
    """Backslash escapes as `echo -e` / printf's `%b` (`echo`: octal as `\\0NNN`, `\\c` ends
    the output) or printf's format (octal as `\\NNN`) decode them; an unknown escape stays."""
    import re

    octal = r"0[0-7]{0,3}|[1-7][0-7]{0,2}" if echo else r"[0-7]{1,3}"
    pattern = rf"\\(x[0-9a-fA-F]{{1,2}}|u[0-9a-fA-F]{{1,4}}|U[0-9a-fA-F]{{1,8}}|{octal}|c|.)"
    out: list[str] = []
    last = 0
    for match in re.finditer(pattern, text, re.S):
        code = match.group(1)
        out.append(text[last : match.start()])
        last = match.end()
        if code == "c" and echo:
            return "".join(out)
        if code[0] in "xuU" and len(code) > 1:
            out.append(chr(min(int(code[1:], 16), 0x10FFFF)))
        elif code[0] in "01234567":
            out.append(chr(int(code, 8) & 0xFF))
        else:
            out.append(_SIMPLE_ESCAPES.get(code, "\\" + code))
    return "".join(out) + text[last:]


def _b64(text: str | None) -> str | None:
    if text is None:
        return None
    import base64
    import binascii

    try:
        return base64.b64decode("".join(text.split()), validate=False).decode("utf-8", "replace")
    except (binascii.Error, ValueError):
        return None


def _unhex(text: str | None) -> str | None:
    try:
        return bytes.fromhex("".join((text or "").split())).decode("utf-8", "replace") if text else None
    except ValueError:
        return None




# -- programs with an escape to a shell ------------------------------------------------
# An expression whose value the guard cannot know stands as this variable in the shell
# text it builds, so that `rm -rf $X` is asked about as an unresolved delete.
_UNKNOWN = "${UNKNOWN_VALUE}"


def _runs_shell(judge: Scope, call: Call, text: str, how: str) -> Verdict | None:
    """Judge `text` as the command line that `call` hands to a shell."""
    return runs_text(judge, call.name, how, text)


def _stdin_texts(call: Call) -> list[str]:
    """What the program reads on stdin, when the guard can see it: here-documents,
    here-strings and text piped from `echo`/`printf`/`cat <<EOF`."""
    texts = [
        (r.body if r.op in ("<<", "<<-") else r.target.text if r.target is not None else "") or ""
        for r in call.command.redirects
        if r.op in ("<<", "<<-", "<<<")
    ]
    piped = produced_text(call.upstream) if call.upstream else None
    return texts + ([piped] if piped else [])


_AWK_VALUED = frozenset(
    {"-F", "-v", "-f", "-i", "-l", "-E", "--field-separator", "--assign", "--file", "--include", "--load",
     "--exec"}
)  # fmt: skip
_AWK_TOKEN = (
    r"""(?P<s>"(?:\\.|[^"\\])*")|(?P<re>(?:(?<=[(,~!{;&|\n])|^)\s*/(?:\\.|[^/\\\n])+/)"""
    r"""|(?P<env>ENVIRON\s*\[\s*"(?P<var>\w+)"\s*\])|(?P<id>[A-Za-z_]\w*)"""
    r"""|(?P<op>\|&|\|\||&&|>>|[|>;{}()\n,])|\S"""
)


def _awk(judge: Scope, call: Call) -> Verdict | None:
    """`awk 'BEGIN{system("cmd")}'`, `print | "cmd"`, `"cmd" | getline`: shell commands;
    `print > "file"`: a write."""
    programs: list[str] = []
    args, j, from_file = call.args, 0, False
    while j < len(args):
        text = args[j].text
        if text in ("-e", "--source") and j + 1 < len(args):
            programs.append(args[j + 1].text)
        elif text.startswith("--source="):
            programs.append(text.split("=", 1)[1])
        elif text in ("-f", "--file", "-E", "--exec") and j + 1 < len(args):
            from_file = True
            if args[j + 1].text in ("-", "/dev/stdin"):
                programs += _stdin_texts(call)
        if text == "--" or not text.startswith("-") or text == "-":
            j += text == "--"
            break
        j += 2 if text in _AWK_VALUED or text in ("-e", "--source") else 1
    if not programs and not from_file and j < len(args):
        programs.append(args[j].text)
    from agentops_os.guard.revshell import code_shell  # gawk's `/inet/tcp/` files are sockets

    return worst([*(code_shell(judge, call.name, program) for program in programs),
                  *(v for program in programs for v in _awk_program(judge, call, program))])


def _awk_program(judge: Scope, call: Call, code: str) -> list[Verdict | None]:
    import re

    tokens = [(m.lastgroup or "x", m.group(0), m.group("var")) for m in re.finditer(_AWK_TOKEN, code)]
    verdicts: list[Verdict | None] = []
    statement_start = 0
    for k, (kind, text, _var) in enumerate(tokens):
        if text in (";", "{", "}", "\n"):
            statement_start = k + 1
        elif kind == "id" and text == "system" and k + 1 < len(tokens) and tokens[k + 1][1] == "(":
            end, depth = k + 1, 0
            while end < len(tokens):
                depth += (tokens[end][1] == "(") - (tokens[end][1] == ")")
                if depth == 0:
                    break
                end += 1
            verdicts.append(_runs_shell(judge, call, _awk_text(tokens[k + 2 : end]), "runs"))
        elif text in ("|", "|&"):
            after = k + 1
            if after < len(tokens) and tokens[after][1] == "getline":
                start = k
                while start > statement_start and tokens[start - 1][0] in ("s", "id", "env", "x"):
                    start -= 1
                verdicts.append(_runs_shell(judge, call, _awk_text(tokens[start:k]), "reads from"))
                continue
            end = after
            while end < len(tokens) and tokens[end][1] not in (";", "}", "\n", ")", ">", ">>"):
                end += 1
            # `cat | CMD`: what awk prints is not known, so a shell reading it is asked about.
            verdicts.append(_runs_shell(judge, call, "cat | " + _awk_text(tokens[after:end]), "pipes into"))
        elif (
            text in (">", ">>")
            and any(t[1] in ("print", "printf") for t in tokens[statement_start:k])
            and k + 1 < len(tokens)
            and tokens[k + 1][0] == "s"
            and (k + 2 >= len(tokens) or tokens[k + 2][1] in (";", "}", "\n", ")"))
        ):
            path = judge.resolve(_awk_string(tokens[k + 1][1]), quoted=True)
            if path is not None:
                verdicts.append(judge.judge_write(path, f"{call.name} writes"))
    return verdicts


def _awk_string(token: str) -> str:
    import re

    simple = {"n": "\n", "t": "\t", "\\": "\\", '"': '"', "/": "/"}
    return re.sub(r"\\(.)", lambda m: simple.get(m.group(1), "\\" + m.group(1)), token[1:-1])


def _awk_text(tokens: list[tuple[str, str, str | None]]) -> str:
    """The shell text an awk expression builds: literals as written, ENVIRON["X"] as $X,
    anything computed as one unknown value."""
    out: list[str] = []
    for kind, text, var in tokens:
        if kind == "s":
            out.append(_awk_string(text))
        elif kind == "env":
            out.append("${" + (var or "") + "}")
        elif text not in ("(", ")") and not text.isspace() and (not out or out[-1] != _UNKNOWN):
            out.append(_UNKNOWN)
    return "".join(out)


_SCRIPT_VALUED = frozenset({"-E", "--echo", "-I", "--log-in", "-O", "--log-out", "-B", "--log-io", "-T",
                            "--log-timing", "-t", "--timing", "-m", "--logging-format", "-o",
                            "--output-limit"})  # fmt: skip


def _script(judge: Scope, call: Call) -> Verdict | None:
    """`script -qc CMD FILE` (util-linux) and `script -q FILE CMD...` (BSD) run CMD."""
    commands: list[str] = []
    operands: list[str] = []
    args, j = call.args, 0
    while j < len(args):
        text = args[j].text
        nxt = args[j + 1].text if j + 1 < len(args) else ""
        if text in ("-c", "--command"):
            commands.append(nxt)
            j += 1
        elif text.startswith("--command="):
            commands.append(text.split("=", 1)[1])
        elif text in _SCRIPT_VALUED:
            j += 1
        elif text.startswith("-") and not text.startswith("--") and len(text) > 1:
            for k, letter in enumerate(text[1:], start=2):
                if letter == "c":
                    commands.append(text[k:] or nxt)
                    j += not text[k:]
                    break
                if "-" + letter in _SCRIPT_VALUED:
                    j += not text[k:]
                    break
        elif not text.startswith("-"):
            operands = [_shell_word(w) for w in args[j:]]  # BSD: `script [-q] FILE CMD ARGS...`
            break
        j += 1
    if not commands and len(operands) > 1:
        commands.append(" ".join(operands[1:]))
    return worst([_runs_shell(judge, call, c, "runs") for c in commands])


def _shell_word(word: Word) -> str:
    """A word of argv written back as shell text: quoted, except a leading `~` that the
    outer shell expanded."""
    from shlex import quote

    if word.tilde and word.text.startswith("~"):
        head, sep, rest = word.text.partition("/")
        return quote(head) if head != "~" else "~" + (sep + quote(rest) if sep else "")
    return quote(word.text)


def _vi(judge: Scope, call: Call) -> Verdict | None:
    """The vi family's Ex commands (`-c CMD`, `+CMD`, `--cmd CMD`, and stdin in Ex mode):
    `!cmd`, `r !cmd`, `w !cmd`, `%!filter`, `terminal cmd`, `call system('cmd')`."""
    commands: list[str] = []
    args = call.args
    for j, word in enumerate(args):
        text = word.text
        cluster = text[:1] == "-" != text[1:2] and text.endswith("c")  # -c CMD, -sc CMD
        if (text == "--cmd" or cluster) and j + 1 < len(args):
            commands.append(args[j + 1].text)
        elif text.startswith("-c") and len(text) > 2:
            commands.append(text[2:])
        elif text.startswith("+") and len(text) > 1 and not text[1:].isdigit():
            commands.append(text[1:])
    ex_mode = any(w.text.startswith("-") and "e" in w.text[1:] for w in args if w.text[:2] != "--")
    if call.name == "ex" or ex_mode:
        commands += [line for text in _stdin_texts(call) for line in text.splitlines()]
    from agentops_os.guard.editors import vi_writes  # the files a scripted vim writes

    shells = [_runs_shell(judge, call, shell, "runs") for c in commands for shell in _ex_shell(c)]
    return worst([*shells, vi_writes(judge, call, commands)])


def _ed(judge: Scope, call: Call) -> Verdict | None:
    from agentops_os.guard.editors import ed

    return ed(judge, call, _stdin_texts(call))


def _gdb(judge: Scope, call: Call) -> Verdict | None:
    from agentops_os.guard.editors import gdb

    return gdb(judge, call, _stdin_texts(call))


def _lldb(judge: Scope, call: Call) -> Verdict | None:
    from agentops_os.guard.editors import lldb

    return lldb(judge, call, _stdin_texts(call))


_EX_RANGE = r"""^[\s:]*(?:%|\d+|[.$]|'[a-z<>]|[,;+\-]|/(?:\\.|[^/])*/|\?(?:\\.|[^?])*\?)*\s*"""


def _ex_shell(command: str) -> list[str]:
    """The shell commands one line of Ex commands runs."""
    import re

    found: list[str] = []
    rest = command
    for _ in range(20):
        rest = re.sub(_EX_RANGE, "", rest)
        rest = re.sub(r"^(?:sil(?:ent)?!?|exe(?:cute)?|keepalt|noautocmd|vert(?:ical)?)\s+", "", rest)
        shell = re.match(r"^(?:(?:r(?:ead)?|w(?:rite)?!?|up(?:date)?)\s*)?!(.*)$", rest, re.S)
        if shell:
            return [*found, shell.group(1)]
        term = re.match(r"^(?:ter(?:minal)?)(?:\s+\+\+\S+)*\s+(.+)$", rest, re.S)
        if term:
            return [*found, term.group(1)]
        found += [m.group(2) for m in re.finditer(r"""\bsystem(?:list)?\(\s*(['"])(.*?)\1""", rest)]
        bar = re.search(r"(?<!\\)\|", rest)
        if bar is None:
            break
        rest = rest[bar.end() :]
    return found


_TAR_COMMANDS = ("--checkpoint-action", "--to-command", "--use-compress-program", "--info-script",
                 "--new-volume-script", "--rsh-command", "--rmt-command")  # fmt: skip
# Real tar options that a prefix of the ones above would otherwise be mistaken for.
_TAR_LONG = (*_TAR_COMMANDS, "--checkpoint", "--to-stdout", "--newer", "--newer-mtime", "--info", "--usage")


def _tar(judge: Scope, call: Call) -> Verdict | None:
    """GNU tar runs commands: `--checkpoint-action=exec=CMD`, `--to-command=CMD`,
    `--use-compress-program=CMD` (`-I CMD`), `--info-script=CMD` (`-F CMD`). What it
    extracts and archives is judged in rules_archives."""
    argv = long_options(call.argv, _TAR_LONG)
    commands: list[str] = []
    for j, text in enumerate(argv):
        name, eq, value = text.partition("=")
        if name in _TAR_COMMANDS or text in ("-I", "-F"):
            value = value if eq else argv[j + 1] if j + 1 < len(argv) else ""
            if name == "--checkpoint-action":
                value = value[5:] if value.startswith("exec=") else ""
            commands.append(value)
        elif text.startswith("-I") and not text.startswith("--") and len(text) > 2:
            commands.append(text[2:])
    from agentops_os.guard.rules_archives import tar  # what it extracts or archives

    return worst([*(_runs_shell(judge, call, c, "runs") for c in commands), tar(judge, call)])


_SQLITE_VALUED = frozenset(
    {"-cmd", "--cmd", "-separator", "-newline", "-nullvalue", "-init", "-vfs", "-mmap", "-lookaside",
     "-pagecache", "-heap", "-maxsize", "-escape", "-c", "-s"}
)  # fmt: skip


def _sqlite(judge: Scope, call: Call) -> Verdict | None:
    """sqlite3's (and duckdb's) `.shell CMD` / `.system CMD`, and `.once |CMD`,
    `.output |CMD`, `.import '|CMD' t`, `.read '|CMD'`, in arguments, `-cmd` and stdin."""
    texts: list[str] = []
    args, j, database = call.args, 0, False
    while j < len(args):
        text = args[j].text
        if text in ("-cmd", "--cmd", "-c", "-s") and j + 1 < len(args):
            texts.append(args[j + 1].text)
        if text in _SQLITE_VALUED:
            j += 2
            continue
        if not text.startswith("-"):
            if database:
                texts.append(text)
            database = True
        j += 1
    texts += _stdin_texts(call)
    return worst([_runs_shell(judge, call, c, "runs") for t in texts for c in _dot_shell(t)])


def _dot_shell(text: str) -> list[str]:
    from shlex import split

    out: list[str] = []
    for line in text.splitlines():
        command, _, rest = line.strip().partition(" ")
        try:
            words = split(rest)
        except ValueError:
            words = rest.split()
        if command in (".shell", ".system"):
            out.append(" ".join(words))
        elif command in (".once", ".output", ".import", ".read", ".excel"):
            out += [w[1:] for w in words if w.startswith("|")]
    return out


def _make(judge: Scope, call: Call) -> Verdict | None:
    """A makefile read from stdin (`make -f - <<EOF`, `-f /dev/stdin`) or given with
    `--eval`: its recipe lines and `$(shell ...)` calls are commands."""
    texts: list[str] = []
    defines: dict[str, str] = {}
    args = call.args
    for j, word in enumerate(args):
        text = word.text
        nxt = args[j + 1].text if j + 1 < len(args) else ""
        if (text in ("-f", "--file", "--makefile") and nxt in ("-", "/dev/stdin")) or text in (
            "-f-", "--file=-", "--makefile=-", "-f/dev/stdin", "--file=/dev/stdin",
        ):  # fmt: skip
            texts += _stdin_texts(call)
        elif text in ("-E", "--eval"):
            texts.append(nxt)
        elif text.startswith("--eval="):
            texts.append(text.split("=", 1)[1])
        elif "=" in text and not text.startswith("-"):
            name, _, value = text.partition("=")
            defines[name.strip()] = value
    lines = [line for text in texts for line in _recipes(text, defines)]
    from agentops_os.guard.installdirs import make  # `make install PREFIX=/usr`

    return worst([*(_runs_shell(judge, call, line, "recipe runs") for line in lines), make(judge, call)])


def _recipes(text: str, defines: dict[str, str]) -> list[str]:
    """The shell lines of a makefile, with its variables expanded as far as known."""
    import re

    lines = text.replace("\\\n", " ").split("\n")
    out: list[str] = []
    for line in lines:
        if line.startswith("\t"):
            out.append(line.strip().lstrip("@-+ "))
            continue
        assign = re.match(r"^\s*(?:override\s+|export\s+)?([\w.-]+)\s*(::?=|:::=|\?=|\+=|!=|=)\s*(.*)$", line)
        if assign:
            name, op, value = assign.groups()
            defines[name] = defines.get(name, "") + " " + value if op == "+=" else value
            if op == "!=":
                out.append(value)
        elif ":" in line and ";" in line.split(":", 1)[1]:
            out.append(line.split(":", 1)[1].split(";", 1)[1].strip())
    shells: list[str] = []
    while out and len(shells) < 200:
        shells.append(_make_expand(out.pop(0), defines, out))
    return shells


def _make_expand(line: str, defines: dict[str, str], extra: list[str], depth: int = 0) -> str:
    """`$(NAME)` and `${NAME}` replaced: by the makefile's value, by `$NAME` for the
    environment (`$(HOME)`), `$(shell cmd)` noted as a command; `$$` is a literal `$`."""
    import re

    def one(match: re.Match[str]) -> str:
        inner = match.group(1) or match.group(2) or match.group(3) or ""
        if inner.startswith("shell "):
            extra.append(inner[6:])
            return _UNKNOWN
        if inner in defines and depth < 5:
            return _make_expand(defines[inner], defines, extra, depth + 1)
        if inner == "CURDIR":
            return "${PWD}"
        if inner == "MAKE":
            return "make"
        return "${" + inner + "}" if inner.replace("_", "a").isalnum() and inner.isupper() else _UNKNOWN

    text = line.replace("$$", "\0")
    text = re.sub(r"\$\(([^()]*)\)|\$\{([^{}]*)\}|\$([^\0])", one, text)
    return text.replace("\0", "$")


RULES = {
    **dict.fromkeys(("awk", "gawk", "mawk", "nawk"), _awk),
    "script": _script,
    **dict.fromkeys(("vim", "vi", "nvim", "ex", "view", "vimdiff", "gvim", "gview", "nex"), _vi),
    **dict.fromkeys(("tar", "gtar", "bsdtar"), _tar),
    **dict.fromkeys(("sqlite3", "duckdb"), _sqlite),
    **dict.fromkeys(("make", "gmake"), _make),
    **dict.fromkeys(("ed", "red"), _ed),
    **dict.fromkeys(("gdb", "gdb-multiarch"), _gdb),
    "lldb": _lldb,
}
