"""Tcl (`tclsh`, `wish`, `expect`) read without running it, for rules_scripts: the
commands a script would run, as command lines. `exec CMD ARGS` (with its `|`, `<`, `>`
words) and expect's `spawn`/`system` are command lines; `file delete -force P` is
`rm -r -f P`, `file copy`/`file rename` are `cp`/`mv`; `open "|CMD"` runs CMD; `eval`,
`uplevel`, command substitution `[...]` and the bodies of `if`/`proc`/`foreach`/`catch`…
are read too. `$::env(HOME)`, `$env(HOME)`, `[file home]`, `[file normalize ~]` and a
leading `~` (Tcl 8 expands it in file names) are home; a variable set earlier is its value;
anything else is unknown. Pure text work: this module imports no other guard module."""

from __future__ import annotations

# Stands for a value the guard cannot know, as rules_exec writes it into shell text.
UNKNOWN = "${UNKNOWN_VALUE}"
# Commands whose braced words are scripts run then or later.
_BODIES = frozenset(
    {"if", "proc", "foreach", "while", "for", "catch", "try", "after", "time", "namespace", "lmap", "dict",
     "switch", "apply", "timeout", "expect", "interact", "trap", "on", "finally", "coroutine", "bind"}
)  # fmt: skip
# The words of `exec` that are pipes and redirections, not arguments.
_REDIRECTS = frozenset({"|", "|&", "<", "<<", "<@", ">", "2>", ">&", ">>", "2>>", ">>&", ">@", "2>@", "&"})
_EXEC_OPTIONS = frozenset({"-ignorestderr", "-keepnewline", "--"})


class Tcl:
    """Read a Tcl script; `ops` holds ("run", command line) for what it would run."""

    def __init__(self, home: str, expect: bool = False) -> None:
        self.home, self.expect = home, expect
        self.vars: dict[str, str | None] = {}
        self.ops: list[tuple[str, object]] = []
        self.depth = 0

    def script(self, text: str) -> str | None:
        """Read a script's commands; the value of the last one."""
        if self.depth > 12:
            return None
        self.depth += 1
        value = None
        for words in _commands(text):
            value = self.command(words)
        self.depth -= 1
        return value

    def command(self, words: list[tuple[str, str]]) -> str | None:
        values = [raw if kind == "brace" else self.subst(raw) for kind, raw in words]
        head = (values[0] or "").lstrip(":")
        args = values[1:]
        if head == "set" and args and args[0]:
            if len(args) > 1:
                self.vars[args[0]] = args[1]
                return args[1]
            return self.vars.get(args[0])
        if head in ("exec", "spawn") or (head == "system" and self.expect):
            if head == "system":  # expect's system hands its words to /bin/sh
                self.ops.append(("run", " ".join(a if a is not None else UNKNOWN for a in args)))
            else:
                self._exec([a for a in args if a not in _EXEC_OPTIONS])
            return None
        if head == "file" and args:
            return self._file(args[0] or "", args[1:])
        if head == "open" and args and args[0] is not None and args[0].startswith("|"):
            self._exec([self.subst(raw) if kind != "brace" else raw for kind, raw in _words(args[0][1:])])
            return None
        if head in ("eval", "uplevel", "subst"):
            rest = args[1:] if head == "uplevel" and args and (args[0] or "").lstrip("#").isdigit() else args
            return self.script(" ".join(a for a in rest if a is not None)) if head != "subst" else None
        if head == "list":
            return " ".join(a for a in args if a is not None) if None not in args else None
        if head == "pwd":
            return "."
        if head in _BODIES:
            for kind, raw in words[1:]:
                if kind == "brace":
                    self.script(raw)
        return None

    def _exec(self, args: list[str | None]) -> None:
        from shlex import quote

        parts: list[str] = []
        for arg in args:
            if arg is None:
                parts.append('"' + UNKNOWN + '"')
            elif arg in _REDIRECTS:
                parts.append(arg)
            elif arg[:1] in "<>" or arg.startswith("2>"):  # `>/tmp/out`
                op = arg[: len(arg) - len(arg.lstrip("2<>&@"))]
                parts.append(op + quote(arg[len(op) :]))
            elif arg == "~" or arg.startswith("~/"):
                parts.append("~" + (quote(arg[1:]) if arg[1:] else ""))
            else:
                parts.append(quote(arg))
        if parts:
            self.ops.append(("run", " ".join(parts)))

    def _file(self, sub: str, args: list[str | None]) -> str | None:
        import posixpath

        force = "-force" in args
        paths = [self._path(a) for a in args if a not in ("-force", "--")]
        if sub == "delete":
            self.ops.append(("argv", ["rm", "-r", "-f", *paths] if force else ["rm", *paths]))
        elif sub in ("copy", "rename") and len(paths) > 1:
            self.ops.append(("argv", ["cp", "-r", *paths] if sub == "copy" else ["mv", *paths]))
        elif sub == "home":
            return self.home
        elif sub == "normalize" and paths:
            return paths[0]
        elif sub == "join" and paths and None not in paths:
            return posixpath.join(*[p for p in paths if p is not None])
        elif sub == "dirname" and paths and paths[0] is not None:
            return posixpath.dirname(paths[0])
        return None

    def _path(self, text: str | None) -> str | None:
        if text is not None and (text == "~" or text.startswith("~/")):
            return self.home + text[1:]
        return text

    def subst(self, raw: str) -> str | None:
        """A word after Tcl's substitutions: backslashes, `$var`, `[command]`."""
        out: list[str] = []
        known = True
        i, n = 0, len(raw)
        while i < n:
            c = raw[i]
            if c == "\\" and i + 1 < n:
                out.append({"n": "\n", "t": "\t", "r": "\r"}.get(raw[i + 1], raw[i + 1]))
                i += 2
            elif c == "[":
                j = _close(raw, i, "[", "]")
                value = self.script(raw[i + 1 : j - 1])
                known, i = known and value is not None, j
                out.append(value or "")
            elif c == "$":
                value, i = self._variable(raw, i + 1)
                known = known and value is not None
                out.append(value or "")
            else:
                out.append(c)
                i += 1
        return "".join(out) if known else None

    def _variable(self, raw: str, i: int) -> tuple[str | None, int]:
        if raw[i : i + 1] == "{":
            j = raw.find("}", i)
            j = len(raw) if j < 0 else j
            return self.vars.get(raw[i + 1 : j]), j + 1
        j = i
        while j < len(raw) and (raw[j].isalnum() or raw[j] in "_:"):
            j += 1
        name = raw[i:j].lstrip(":")
        if not name:
            return "$", i
        if raw[j : j + 1] == "(":
            k = _close(raw, j, "(", ")")
            key = self.subst(raw[j + 1 : k - 1])
            home = name == "env" and key in ("HOME", "USERPROFILE")
            return (self.home if home else self.vars.get(f"{name}({key})")), k
        return self.vars.get(name), j


def _close(text: str, i: int, open_: str, close: str) -> int:
    """The index after the `close` that matches the `open_` at `i`."""
    level, j = 0, i
    while j < len(text):
        if text[j] == "\\":
            j += 2
            continue
        level += (text[j] == open_) - (text[j] == close)
        j += 1
        if level == 0:
            return j
    return len(text)


def _words(text: str) -> list[tuple[str, str]]:
    commands = _commands(text.replace("\n", " "))
    return commands[0] if commands else []


def _commands(text: str) -> list[list[tuple[str, str]]]:
    """A script's commands, each a list of (kind, raw text) words: "brace" words are
    literal, "quote" and "bare" words are substituted."""
    out: list[list[tuple[str, str]]] = []
    words: list[tuple[str, str]] = []
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if c == "\\" and text[i + 1 : i + 2] == "\n" or c in " \t\r":
            i += 2 if c == "\\" else 1
        elif c in "\n;":
            if words:
                out.append(words)
                words = []
            i += 1
        elif c == "#" and not words:
            while i < n and text[i] != "\n":
                i += 1
        elif text.startswith("{*}", i) and text[i + 3 : i + 4] not in ("", " ", "\t", "\n", ";"):
            i += 3  # `{*}$list`: the list's words
        elif c == "{":
            j = _close(text, i, "{", "}")
            words.append(("brace", text[i + 1 : j - 1]))
            i = j
        else:
            quoted = c == '"'
            j, level = i + quoted, 0
            while j < n and (level or (text[j] != '"' if quoted else text[j] not in " \t\r\n;")):
                if text[j] == "\\":
                    j += 1
                elif text[j] == "[":
                    level += 1
                elif text[j] == "]" and level:
                    level -= 1
                j += 1
            words.append(("quote" if quoted else "bare", text[i + quoted : j]))
            i = j + quoted
    if words:
        out.append(words)
    return out
