"""Positional parameters of `sh -c SCRIPT ARG0 ARG1 …`, put back into SCRIPT.

`find ~ -name .bashrc -exec sh -c 'echo … >> "$1"' _ {} \\;` and `bash -c 'rm -rf $0' ~`
hide their target behind `$1`/`$0`: judged as written, the script writes to or deletes
"something unknown", and a rule about start-up files or the home directory never sees
them. The arguments after the script are known words, so they are substituted the way
the inner shell expands them: a quoted `"$1"` stays one word, an unquoted one is split
on whitespace, `"$@"` is every argument from `$1` on. The substituted word keeps the
argument's own kind (a `{}` of `find -exec` still stands for what find selects, an
unquoted `~` was already the home directory when the outer shell ran).

A reference to an argument that was not given stays as written (unknown, so its rules
ask), as does everything else dynamic.
"""

from __future__ import annotations

from agentops_os.guard.shell import Command, Word

_ALL = ("$@", "${@}", "$*", "${*}")


def bind(commands: list[Command], params: list[Word]) -> None:
    """Rewrite, in place, the words and redirection targets of `commands` (one parsed
    `-c` script) that use `$0`…`$9`, `${N}`, `$@` or `$*`; `params[0]` is `$0`."""
    if not params:
        return
    for command in commands:
        if any(w.dynamic for w in command.words):
            command.words[:] = [new for word in command.words for new in _expand(word, params)]
        for redirect in command.redirects:
            target = redirect.target
            if target is not None and target.dynamic:
                expanded = _expand(target, params)
                if len(expanded) == 1:
                    redirect.target = expanded[0]


def _expand(word: Word, params: list[Word]) -> list[Word]:
    text = word.text
    if not word.dynamic or "$" not in text:
        return [word]
    if text in _ALL:
        chosen = params[1:]
        return [w for p in chosen for w in _as_used(p, word.quoted)]
    index = _whole_reference(text)
    if index is not None:
        return _as_used(params[index], word.quoted) if index < len(params) else [word]
    replaced = _replace_embedded(text, params)
    if replaced is None:
        return [word]
    new_text, from_params = replaced
    dynamic = "$" in new_text or any(p.dynamic for p in from_params)
    tilde = text.startswith("$") and from_params[0].tilde and new_text.startswith("~")  # `$1/x`, $1 = ~
    return [Word(new_text, word.quoted, dynamic, word.glob or any(p.glob for p in from_params), [], tilde)]


def _as_used(param: Word, quoted: bool) -> list[Word]:
    """The argument as the inner shell sees it: one word when the reference is quoted,
    split on whitespace when not (an argument is never tilde- or glob-expanded again,
    but the outer shell already did both)."""
    if quoted or not param.text.split() or len(param.text.split()) == 1:
        return [param]
    return [Word(part, param.quoted, param.dynamic, param.glob, [], False) for part in param.text.split()]


def _whole_reference(text: str) -> int | None:
    if len(text) == 2 and text[1].isdigit():
        return int(text[1])
    if text.startswith("${") and text.endswith("}") and text[2:-1].isdigit():
        return int(text[2:-1])
    return None


def _replace_embedded(text: str, params: list[Word]) -> tuple[str, list[Word]] | None:
    """`$1/x`, `prefix-${2}`: the text with each known positional replaced (None when
    nothing was replaced), and the arguments used, in order."""
    out: list[str] = []
    used: list[Word] = []
    i = 0
    while i < len(text):
        index, step = _reference_at(text, i)
        if index is not None and index < len(params):
            out.append(params[index].text)
            used.append(params[index])
            i += step
            continue
        out.append(text[i])
        i += 1
    return ("".join(out), used) if used else None


def _reference_at(text: str, i: int) -> tuple[int | None, int]:
    if text[i] != "$" or i + 1 >= len(text):
        return None, 1
    if text[i + 1].isdigit():
        return int(text[i + 1]), 2
    if text.startswith("${", i):
        end = text.find("}", i)
        if end > i + 2 and text[i + 2 : end].isdigit():
            return int(text[i + 2 : end]), end + 1 - i
    return None, 1
