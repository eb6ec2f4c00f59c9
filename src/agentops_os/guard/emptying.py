"""Commands that empty the files a `find … -exec` hands them, counted like deletes.

`find src -type f -exec sh -c ': > "$1"' _ {} \\;` leaves every selected file in place
with nothing in it: as much work lost as `find src -type f -delete`, and the same
mass-delete limit applies. What empties `{}` here: an overwriting redirection of it
(`> "$1"`, `: > "$1"`, `cmd > "$1"`, `>|`, `&>`) in a `sh -c` script that is handed `{}`
(also through `for f; do … > "$f"; done`), `cp /dev/null {}`, `truncate -s0 {}`
(`truncate` is judged by rules_delete as well) and `dd if=/dev/null of={}`. An append
(`>>`) or a write to another name (`> "$1.new"`) empties nothing."""

from __future__ import annotations

import os

from agentops_os.guard.shell import Redirect, ShellSyntaxError, Word, parse

_EXEC = frozenset({"-exec", "-execdir", "-ok", "-okdir"})
_SHELLS = frozenset({"sh", "bash", "dash", "zsh", "ksh", "mksh", "ash"})
_OVERWRITE = frozenset({">", ">|", "&>"})
_PLACEHOLDER = "{}"


def empties(find_args: list[Word]) -> str | None:
    """How a find with these arguments empties what it selects (None when it does not)."""
    j = 0
    while j < len(find_args):
        if find_args[j].text in _EXEC:
            k = j + 1
            while k < len(find_args) and find_args[k].text not in (";", "+"):
                k += 1
            how = _segment(find_args[j + 1 : k])
            if how:
                return how
            j = k
        j += 1
    return None


def _segment(words: list[Word]) -> str | None:
    if not words:
        return None
    name = os.path.basename(words[0].text)
    if name in _SHELLS:
        at = next((k for k, w in enumerate(words[1:], 1) if w.text == "-c" or (
            w.text.startswith("-") and not w.text.startswith("--") and "c" in w.text[1:])), None)
        if at is None or at + 1 >= len(words):
            return None
        return _script(words[at + 1].text, words[at + 2 :])
    return _empties_command([w.text for w in words], [])


def _script(text: str, params: list[Word]) -> str | None:
    """A `sh -c SCRIPT ARG0 ARG1…` script that empties the `{}` among its arguments."""
    if not any(_PLACEHOLDER in p.text for p in params):
        return None
    from agentops_os.guard.positional import bind

    try:
        commands = parse(text)
    except ShellSyntaxError:
        return None
    bind(commands, params)
    loops = _positional_loops(text)
    for command in commands:
        how = _empties_command([w.text for w in command.words], command.redirects, loops)
        if how:
            return how
    return None


def _positional_loops(text: str) -> set[str]:
    """Variables of `for f; do`, `for f in "$@"; do`: each stands for an argument."""
    import re

    found = re.findall(r"\bfor\s+([A-Za-z_]\w*)\s*(?:;|\n|\s+do\b|\s+in\s+\"?\$[@*]\"?)", text)
    return {f"${name}" for name in found} | {f"${{{name}}}" for name in found}


def _empties_command(argv: list[str], redirects: list[Redirect], loops: set[str] | None = None) -> str | None:
    names = {_PLACEHOLDER, *(loops or ())}
    for redirect in redirects:
        target = redirect.target
        if redirect.op in _OVERWRITE and target is not None and target.text in names:
            return f"overwrites each file it selects (`{redirect.op} {target.text}`)"
    if not argv:
        return None
    name = os.path.basename(argv[0])
    rest = argv[1:]
    if name == "cp" and "/dev/null" in rest and rest[-1:] and rest[-1] in names:
        return "copies /dev/null over each file it selects"
    if name == "truncate" and any(a in names for a in rest) and zero_size(rest):
        return "truncates each file it selects to nothing"
    if name == "dd" and "if=/dev/null" in rest and any(a.removeprefix("of=") in names for a in rest
                                                       if a.startswith("of=")):
        return "writes nothing over each file it selects (dd if=/dev/null)"
    return None


def zero_size(args: list[str]) -> bool:
    """Does truncate's `-s 0`, `-s0`, `--size=0` (or `<0`) empty its files?"""
    from agentops_os.guard.gitargs import option_values

    sizes = option_values(args, ("-s", "--size"))
    return any(value.lstrip("<") in ("0", "0K", "0M", "0k") for value in sizes)
