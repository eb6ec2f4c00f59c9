"""Interpreters whose code the guard reads besides Python, JavaScript, Perl, Ruby and PHP,
as one table: the programs, the options that hand them code, whether they read code from
standard input, and how their code is read (for rules_scripts).

- Lua (`lua -e`, `luajit`), Julia (`julia -e`) and R (`R -e`, `Rscript -e`) are close
  enough to the code reader's languages to be rewritten for it: Lua's `..` and `s:m()`,
  Julia's `$(…)` interpolation and `` `cmd` `` literals, R's `<-`, `c(…)` and dotted
  function names. Their deletes (Julia `rm(p; recursive=true)`, R `unlink(p, recursive=
  TRUE)`) and programs (`run(`cmd`)`, `system2("rm", c(…))`) are read by rules_scripts.
- Tcl (`tclsh`, `wish`, `expect`) is codetcl's, Emacs Lisp (`emacs --eval`) codelisp's.
- AppleScript (`osascript -e`): `do shell script "CMD"` (also built with `&`, `quoted form
  of`, `POSIX path of (path to home folder)`) and Terminal's `do script` run CMD, as root
  `with administrator privileges`; JavaScript for Automation (`-l JavaScript`) is read
  as JavaScript (`app.doShellScript(…)`).

Pure text work, but for the code reader it rewrites for."""

from __future__ import annotations

UNKNOWN = "${UNKNOWN_VALUE}"
# program -> language
PROGRAMS: dict[str, str] = {
    **dict.fromkeys(("tclsh", "tclsh8.5", "tclsh8.6", "tclsh9.0", "wish", "wish8.6", "expect"), "tcl"),
    "osascript": "applescript", "julia": "julia", "emacs": "elisp", "emacsclient": "elisp",
    "R": "r", "Rscript": "r", **dict.fromkeys(("luajit", "lua5.1", "lua5.2", "lua5.3", "lua5.4"), "lua"),
    **dict.fromkeys(("guile", "racket", "sbcl", "clisp", "ecl", "ccl", "ccl64", "csi", "gosh", "mit-scheme",
                     "chez", "chezscheme", "scheme", "petite", "chibi-scheme", "gxi"), "lisp"),
    "erl": "erlang", "elixir": "elixir",
}  # fmt: skip
# program -> the options whose value is code, where they differ from its language's
_PROGRAM_OPTIONS: dict[str, tuple[str, ...]] = {
    "guile": ("-c",), "racket": ("-e", "--eval"), "sbcl": ("--eval",), "clisp": ("-x",),
    "ecl": ("-eval", "--eval"), "ccl": ("-e", "--eval"), "ccl64": ("-e", "--eval"), "csi": ("-e", "-eval"),
    "gosh": ("-e", "-E"), "mit-scheme": ("--eval",), "chibi-scheme": ("-e", "-p"), "gxi": ("-e",),
}  # fmt: skip
# language -> the options whose value is code
CODE_OPTIONS: dict[str, tuple[str, ...]] = {
    "tcl": ("-c",), "applescript": ("-e",), "julia": ("-e", "-E", "--eval", "--print"),
    "elisp": ("--eval", "-eval", "--execute", "-execute", "-e"), "r": ("-e", "--expr"), "lua": ("-e",),
    "lisp": (), "erlang": ("-eval",), "elixir": ("-e", "--eval"),
}  # fmt: skip
# emacs options whose value is the next word (not a file it visits)
_EMACS_VALUED = frozenset({"-l", "--load", "-f", "--funcall", "-L", "--directory", "--insert", "-t",
                           "--terminal", "-d", "--display", "--chdir", "-u", "--user", "--script", "-x",
                           "--init-directory", "--file", "--visit", "--find-file", "--bg", "--fg", "-bg",
                           "-fg", "--name", "-T"})
# languages whose interpreter runs what it reads on standard input when given no script
STDIN_CODE = frozenset({"tcl", "applescript", "julia", "r", "lua", "lisp", "erlang"})


def _visit(name: str) -> str:
    escaped = name.replace("\\", "\\\\").replace('"', '\\"')
    return f'(find-file "{escaped}")'


def code_of(program: str, args: list[str]) -> str | None:
    """The code a command line hands the interpreter (each `-e` a line of it), or None."""
    lang = PROGRAMS.get(program, "")
    options = _PROGRAM_OPTIONS.get(program) or CODE_OPTIONS.get(lang, ())
    if program == "expect" or lang != "tcl":
        options = options if program != "emacsclient" else ("-e", "--eval")
    else:
        options = ()
    parts: list[str] = []
    j = 0
    while j < len(args):
        text = args[j]
        name, eq, value = text.partition("=")
        if eq and name in options and name.startswith("--"):
            parts.append(value)
        elif text in options and program == "emacsclient":
            parts += [a for a in args[j + 1 :] if not a.startswith("-")]  # every expression after -e
            break
        elif text in options and j + 1 < len(args):
            parts.append(args[j + 1])
            j += 1
        elif program == "emacs" and text.startswith("-"):
            if text in ("--file", "--visit", "--find-file") and j + 1 < len(args):
                parts.append(_visit(args[j + 1]))
            j += text in _EMACS_VALUED
        elif program == "emacs" and not text.startswith("+"):  # a file visited, as `(find-file FILE)`
            parts.append(_visit(text))
        j += 1
    return "\n".join(parts) if parts and any(not p.startswith("(find-file ") for p in parts) else None


# -- rewriting for the code reader ----------------------------------------------------------
def _pieces(code: str, quotes: str, comment: str) -> list[tuple[str, str]]:
    """The code cut into ("code", text), ("string", literal with its quotes) and comments
    (dropped)."""
    out: list[tuple[str, str]] = []
    i, start, n = 0, 0, len(code)
    while i < n:
        c = code[i]
        if c in quotes:
            j = i + 1
            while j < n and code[j] != c:
                j += 2 if code[j] == "\\" else 1
            out += [("code", code[start:i]), ("string", code[i : j + 1])]
            i = start = j + 1
        elif comment and code.startswith(comment, i):
            j = code.find("\n", i)
            out.append(("code", code[start:i]))
            i = start = n if j < 0 else j
        else:
            i += 1
    out.append(("code", code[start:]))
    return [p for p in out if p[1]]


def lua_code(code: str) -> str:
    """Lua as the code reader reads it: `a .. b` as `a + b`, `s:send(x)` as `s.send(x)`,
    `[[long strings]]` quoted, comments dropped."""
    import re

    code = re.sub(r"--\[(=*)\[.*?\]\1\]", " ", code, flags=re.S)
    code = re.sub(r"\[(=*)\[(.*?)\]\1\]", lambda m: repr(m.group(2)), code, flags=re.S)
    out: list[str] = []
    for kind, text in _pieces(code, "'\"", "--"):
        if kind == "code":
            text = re.sub(r"\.\.(?!\.)", " + ", text)
            text = re.sub(r"(?<=[\w)\]]):(?=[A-Za-z_]\w*\s*[({'\"])", ".", text)
        out.append(text)
    return "".join(out)


def julia_code(code: str, home: str) -> tuple[str, list[str]]:
    """Julia as the code reader reads it (interpolation done where it can be, comments
    dropped), and the command lines of its `` `cmd` `` literals."""
    import re

    from agentops_os.guard.coderead import CodeReader

    code = re.sub(r"#=.*?=#", " ", code, flags=re.S).replace('"""', '"')
    names = CodeReader(code, "python", home).names

    def value(match: re.Match[str]) -> str:
        expr = match.group(1)
        found = CodeReader("v=" + expr, "python", home).names.get("v") if expr else names.get(match.group(2))
        return found if isinstance(found, str) else UNKNOWN

    def interpolate(text: str) -> str:
        return re.sub(r"\$\(((?:[^()]|\([^()]*\))*)\)|\$(\w+)", value, text)

    out: list[str] = []
    commands: list[str] = []
    for kind, text in _pieces(code, '"`', "#"):
        if kind == "string":
            text = text[0] + interpolate(text[1:-1]) + text[-1]
            if text[0] == "`":
                commands.append(text[1:-1])
        out.append(text)
    return "".join(out), commands


_R_NAMES = {"file.path": "joinpath", "path.expand": "expanduser", "normalizePath": "abspath",
            "Sys.getenv": "getenv", "download.file": "download_file", "file.remove": "file_remove",
            "readLines": "readlines", "file.copy": "file_copy", "file.rename": "file_rename",
            "unlink": "unlink", "sys.source": "source"}  # fmt: skip


def r_code(code: str) -> str:
    """R as the code reader reads it: `<-` as `=`, `c(a, b)` as `[a, b]`, dotted names
    (`file.path`, `Sys.getenv`) as the reader's."""
    import re

    out: list[str] = []
    for kind, text in _pieces(code, "'\"", "#"):
        if kind == "code":
            text = re.sub(r"<<-|<-", "=", text)
            text = re.sub(r"(?<![\w.])(" + "|".join(map(re.escape, _R_NAMES)) + r")(?=\s*\()",
                          lambda m: _R_NAMES[m.group(1)], text)
            text = re.sub(r"\b\w+::", "", text)  # processx::run -> run
        out.append(text)
    joined = "".join(out)
    while True:  # c(...) -> [...]
        found = re.search(r"(?<![\w.])c\s*\(", joined)
        if found is None:
            return joined
        j, level = found.end(), 1
        while j < len(joined) and level:
            level += (joined[j] == "(") - (joined[j] == ")")
            j += 1
        joined = joined[: found.start()] + "[" + joined[found.end() : j - 1] + "]" + joined[j:]


# Erlang's and Elixir's calls, as the Python the code reader knows that does the same
_BEAM_NAMES = {"os:cmd": "os.system", ":os.cmd": "os.system", "System.shell": "os.system",
               "os:getenv": "os.getenv", "System.get_env": "os.getenv", ":os.getenv": "os.getenv",
               "file:del_dir_r": "shutil.rmtree", "File.rm_rf": "shutil.rmtree",
               "File.rm_rf!": "shutil.rmtree",
               "file:delete": "os.remove", "File.rm": "os.remove", "File.rm!": "os.remove",
               "file:read_file": "open", "File.read": "open", "File.read!": "open",
               "System.user_home": "os.path.expanduser", "System.user_home!": "os.path.expanduser",
               "Path.expand": "os.path.expanduser"}  # fmt: skip


def beam_code(code: str) -> str:
    """Erlang (`erl -eval`) or Elixir (`elixir -e`) as the code reader reads it: `++` and
    `<>` as `+`, `os:cmd(S)` as `os.system(S)`, `System.cmd(P, [A…])` as
    `subprocess.run([P, A…])`, `File.rm_rf!(P)` as `shutil.rmtree(P)`, the home lookups as
    `os.path.expanduser("~")`; comments dropped."""
    import re

    out: list[str] = []
    names = "|".join(map(re.escape, sorted(_BEAM_NAMES, key=len, reverse=True)))
    for kind, text in _pieces(code.replace('~c"', '"'), "'\"", "%" if "%" in code else ""):
        if kind == "code":
            text = text.replace("++", "+").replace("<>", "+")
            text = re.sub(r"(?<![\w.:])(" + names + r")(?=\s*\()", lambda m: _BEAM_NAMES[m.group(1)], text)
        out.append(text)
    joined = "".join(out)
    program = r"\"(?:[^\"\\]|\\.)*\"|'(?:[^'\\]|\\.)*'|\w+"
    joined = re.sub(r"(?<![\w.])System\.cmd\(\s*(" + program + r")\s*,\s*\[", r"subprocess.run([\1, ", joined)
    return re.sub(r"os\.path\.expanduser\(\s*\)", 'os.path.expanduser("~")', joined)


# -- AppleScript ----------------------------------------------------------------------------
_STOP = (" with ", " without ", " user name ", " password ", " altering ", " in ", " given ")


def applescript_ops(code: str, home: str, depth: int = 0) -> list[tuple[str, object]]:
    """("run", command line) for each `do shell script` (and Terminal `do script`)."""
    import re

    names: dict[str, str | None] = {}
    ops: list[tuple[str, object]] = []
    for line in code.replace("¬\n", " ").splitlines():
        line = line.strip()
        assigned = re.match(r"(?i)set\s+(\w+)\s+to\s+(.+)$", line)
        if assigned:
            names[assigned.group(1).lower()] = _as_text(assigned.group(2), home, names)
        for found in re.finditer(r"(?i)\b(do shell script|do script|run script)\s+", line):
            expr, tail = _until_keyword(line[found.end() :])
            text = _as_text(expr, home, names)
            if found.group(1).lower() == "run script":
                ops += applescript_ops(text, home, depth + 1) if text and depth < 3 else []
                continue
            admin = "administrator privileges" in tail.lower()
            ops.append(("run", ("sudo " if admin else "") + (text if text is not None else UNKNOWN)))
    return ops


def _until_keyword(text: str) -> tuple[str, str]:
    """An AppleScript expression up to the keyword that ends it (`with administrator …`)."""
    level, j, quoted = 0, 0, False
    while j < len(text):
        c = text[j]
        if quoted:
            j += 2 if c == "\\" else 1
            quoted = quoted and c != '"'
            continue
        if c == '"':
            quoted = True
        elif c in "()":
            level += 1 if c == "(" else -1
            if level < 0:
                return text[:j], text[j:]
        elif level == 0 and any(text[j:].lower().startswith(k) for k in _STOP):
            return text[:j], text[j:]
        j += 1
    return text, ""


def _as_text(expr: str, home: str, names: dict[str, str | None]) -> str | None:
    """The text of an AppleScript expression joined with `&`; a part the guard cannot
    know stands as an unknown shell word."""
    from shlex import quote

    parts: list[str] = []
    level, quoted, start = 0, False, 0
    for j, c in enumerate(expr + "&"):
        if c == '"' and (j == 0 or expr[j - 1] != "\\"):
            quoted = not quoted
        elif not quoted and c in "()":
            level += 1 if c == "(" else -1
        elif not quoted and level == 0 and c == "&":
            parts.append(expr[start:j].strip())
            start = j + 1
    out: list[str] = []
    for part in parts:
        while part.startswith("(") and part.endswith(")"):
            part = part[1:-1].strip()
        lowered = part.lower()
        quoting = lowered.startswith("quoted form of ")
        if quoting:
            part, lowered = part[15:].strip(" ()"), lowered[15:].strip(" ()")
        if part.startswith('"') and part.endswith('"') and len(part) > 1:
            value: str | None = part[1:-1].replace('\\"', '"').replace("\\\\", "\\")
        elif "path to home folder" in lowered or lowered == 'system attribute "home"':
            value = home + ("/" if "posix path" in lowered else "")
        elif lowered in ("space", "tab", "return", "linefeed", "quote"):
            value = {"space": " ", "tab": "\t", "return": "\n", "linefeed": "\n", "quote": '"'}[lowered]
        else:
            value = names.get(lowered)
        if value is None:
            out.append('"' + UNKNOWN + '"')
        else:
            out.append(quote(value) if quoting else value)
    return "".join(out) if out else None
