"""A CMake script run with `cmake -P FILE` (also `-P /dev/stdin` fed a here-string): what its
commands do, as the command lines that do the same, for rules_build to judge.

`execute_process(COMMAND rm -rf $ENV{HOME})` runs `rm -rf "$HOME"` (each COMMAND its own
program, no shell between), `file(REMOVE_RECURSE D…)` is `rm -rf D…`, `file(REMOVE F…)`
`rm -f F…`, `file(RENAME A B)` `mv A B`, `file(COPY S… DESTINATION D)` `cp -r S… D`,
`file(WRITE|APPEND F …)` writes F (`: >> F`), `file(DOWNLOAD URL F)` is `curl -o F URL`.
`$ENV{NAME}` is the environment's NAME; `set(V value)` is followed for `${V}`. Pure text
work: this module imports no other guard module."""

from __future__ import annotations

import re

MAX_SCRIPT = 65536
_KEYWORDS = frozenset({"COMMAND", "WORKING_DIRECTORY", "TIMEOUT", "RESULT_VARIABLE", "RESULTS_VARIABLE",
                       "OUTPUT_VARIABLE", "ERROR_VARIABLE", "INPUT_FILE", "OUTPUT_FILE", "ERROR_FILE",
                       "OUTPUT_QUIET", "ERROR_QUIET", "COMMAND_ECHO", "OUTPUT_STRIP_TRAILING_WHITESPACE",
                       "ERROR_STRIP_TRAILING_WHITESPACE", "ENCODING", "ECHO_OUTPUT_VARIABLE",
                       "ECHO_ERROR_VARIABLE", "COMMAND_ERROR_IS_FATAL"})  # fmt: skip
_UNKNOWN = "${UNKNOWN_VALUE}"


def script_lines(text: str) -> list[str]:
    """The command lines that do what the CMake script `text` does."""
    variables: dict[str, str] = {}
    out: list[str] = []
    for name, args in _commands(text[:MAX_SCRIPT]):
        words = [_expand(a, variables) for a in args]
        name = name.lower()
        if name == "set" and args:
            variables[args[0]] = " ".join(args[1:])
        elif name == "execute_process":
            out += _processes(words)
        elif name == "file" and words:
            line = _file(words[0].upper(), words[1:])
            if line:
                out.append(line)
    return out


def _processes(words: list[str]) -> list[str]:
    out: list[str] = []
    current: list[str] | None = None
    for word in words:
        if word in _KEYWORDS:
            if current:
                out.append(" ".join(current))
            current = [] if word == "COMMAND" else None
        elif current is not None:
            current.append(word)
    if current:
        out.append(" ".join(current))
    return out


def _file(sub: str, rest: list[str]) -> str | None:
    if sub in ("REMOVE_RECURSE", "REMOVE"):
        return ("rm -rf -- " if sub == "REMOVE_RECURSE" else "rm -f -- ") + " ".join(rest) if rest else None
    if sub in ("RENAME", "COPY_FILE", "CREATE_LINK") and len(rest) > 1:
        program = {"RENAME": "mv", "COPY_FILE": "cp", "CREATE_LINK": "ln -s"}[sub]
        return f"{program} -- {rest[0]} {rest[1]}"
    if sub in ("COPY", "INSTALL") and "DESTINATION" in rest:
        at = rest.index("DESTINATION")
        sources = [w for w in rest[:at] if not w.isupper()]
        return f"cp -r -- {' '.join(sources)} {rest[at + 1]}" if sources and at + 1 < len(rest) else None
    if sub in ("WRITE", "APPEND", "TOUCH", "GENERATE") and rest:
        target = rest[1] if sub == "GENERATE" and len(rest) > 1 else rest[0]
        return f": >> {target}"
    if sub == "DOWNLOAD" and len(rest) > 1:
        return f"curl -o {rest[1]} {rest[0]}"
    return None


def _commands(text: str) -> list[tuple[str, list[str]]]:
    """`name(arg arg "quoted arg")` commands, comments dropped."""
    out: list[tuple[str, list[str]]] = []
    token = r'"(?:\\.|[^"\\])*"|\[(=*)\[.*?\]\1\]|#[^\n]*|[()]|[^\s()"#]+'
    name: str | None = None
    args: list[str] = []
    depth = 0
    last = ""
    for match in re.finditer(token, text, re.S):
        piece = match.group(0)
        if piece.startswith("#"):
            continue
        if piece == "(":
            if depth == 0:
                name, args = last, []
            else:
                args.append("(")
            depth += 1
        elif piece == ")":
            depth -= 1
            if depth == 0 and name:
                out.append((name, args))
                name = None
            elif depth > 0:
                args.append(")")
            depth = max(depth, 0)
        elif depth > 0:
            args.append(_unquote(piece))
        last = piece
    return out


def _unquote(piece: str) -> str:
    if piece.startswith('"'):
        return re.sub(r"\\(.)", lambda m: {"n": "\n", "t": "\t"}.get(m.group(1), m.group(1)), piece[1:-1])
    bracket = re.match(r"\[(=*)\[(.*)\]\1\]$", piece, re.S)
    return bracket.group(2) if bracket else piece


def _expand(word: str, variables: dict[str, str]) -> str:
    """`word` as shell text: `$ENV{HOME}` the environment's, `${V}` a `set` value, other
    text quoted so that it is taken literally (execute_process runs no shell)."""
    for _ in range(5):
        known = re.sub(r"\$\{(\w+)\}", lambda m: variables.get(m.group(1), m.group(0)), word)
        if known == word:
            break
        word = known
    text = re.sub(r"\$ENV\{(\w+)\}|\$\{\w+\}", lambda m: "\0" + (m.group(1) or "?") + "\0", word)
    out = []
    for k, part in enumerate(text.split("\0")):
        if k % 2:
            out.append(_UNKNOWN if part == "?" else '"${' + part + '}"')
        elif part:
            plain = re.fullmatch(r"[\w./@%+=:,-]+", part)
            out.append(part if plain else "'" + part.replace("'", "'\\''") + "'")
    return "".join(out) or "''"
