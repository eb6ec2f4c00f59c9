"""Literal values a command line gives its own variables, put back where they are used.

`out=dist; rm -rf "$out"` deletes `dist`, and `f=--force; git push $f` force-pushes: a
rule that only sees `$out` or `$f` must either ask (a false alarm on an everyday cleanup)
or let the push through. So a variable that the line sets exactly once, to a value the
guard can compute, in a command of its own (`x=v`, `export x=v`), is substituted into the
words after that assignment, the way bash expands it: unquoted values are split on
whitespace and their glob characters count, quoted ones stay one word.

Anything less certain stays unknown (and its rules ask): a name set twice (an `if`
branch, a loop), set by `read`/`for`/`mapfile`, set to a command substitution, or used
before it is set.
"""

from __future__ import annotations

from agentops_os.guard.shell import Command, Word

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable

    from agentops_os.guard.scope import Scope

_DECLARERS = frozenset({"export", "readonly", "declare", "typeset", "local"})
# Commands that set the variables named by their plain words (`read X`, `for X in`,
# `export X`, `printf -v X`): the value comes from input or elsewhere, never known here.
_SETTERS = _DECLARERS | {"read", "for", "select", "mapfile", "readarray", "getopts", "unset", "printf"}
_GLOB = frozenset("*?[")


def substitute(judge: Scope, commands: list[Command], counts: dict[str, int]) -> set[str]:
    """Rewrite, in place, the words of `commands` that use a variable with a known literal
    value (`counts`: how often the line sets each name, from `assignment_counts`); return
    the original texts of the rewritten words (a second parser still sees them as written)."""
    replaced = _known_outputs(judge, commands)
    loops = _loop_values(judge, commands)
    if not loops and not any("=" in w.text for cmd in commands for w in cmd.words):
        return replaced
    if "IFS" in counts:
        return replaced  # word splitting itself changes: nothing more is substituted
    values: dict[str, str] = {}
    arrays: dict[str, list[Word]] = {}
    for cmd in commands:
        if loops and any(w.dynamic for w in cmd.words):
            replaced |= _rewrite_loop(judge, cmd, loops, values)
        if arrays and any(w.dynamic for w in cmd.words):
            replaced |= _rewrite_arrays(cmd, arrays)
        if values and any(w.dynamic for w in cmd.words):
            replaced |= _rewrite(judge, cmd, values)
        if values and any(r.target is not None and r.target.dynamic for r in cmd.redirects):
            replaced |= _rewrite_redirects(judge, cmd, values)
        assignment = _standalone_assignments(cmd)
        for name, word in assignment:
            if counts.get(name) != 1:
                continue
            elements = _array(word)
            if elements is not None:
                arrays[name] = elements
                continue
            value = _value(judge, word, values)
            if value is not None:
                values[name] = value
    return replaced


def _known_outputs(judge: Scope, commands: list[Command]) -> set[str]:
    """Substitutions that only print a well-known directory (`$(python3 -m site
    --user-site)`), put in as it (guard/knownpaths.py, imported only when a word has one)."""
    if not any(w.subs for cmd in commands for w in cmd.words) and not any(
            r.target is not None and r.target.subs for cmd in commands for r in cmd.redirects):
        return set()
    from agentops_os.guard.knownpaths import resolve_word

    replaced: set[str] = set()
    for cmd in commands:
        for i, word in enumerate(cmd.words):
            resolved = resolve_word(word, judge.home) if word.subs else None
            if resolved is not None:
                replaced.add(word.text)
                cmd.words[i] = resolved
        for redirect in cmd.redirects:
            target = redirect.target
            resolved = resolve_word(target, judge.home) if target is not None and target.subs else None
            if target is not None and resolved is not None:
                replaced.add(target.text)
                redirect.target = resolved
    return replaced


def _array(word: Word) -> list[Word] | None:
    """The elements of `name=(a 'b c' d)` when they are all literal; None otherwise (and
    for words that are no array)."""
    text = word.text.partition("=")[2]
    if word.subs or not (text.startswith("(") and text.endswith(")")):
        return None
    from agentops_os.guard.shell import ShellSyntaxError, commands_of, tokenize

    try:
        parsed = commands_of(tokenize(text[1:-1]))
    except ShellSyntaxError:
        return None
    if len(parsed) > 1 or (parsed and parsed[0].redirects):
        return None
    elements = parsed[0].words if parsed else []
    return None if any(w.dynamic or w.subs for w in elements) else elements


def _rewrite_arrays(cmd: Command, arrays: dict[str, list[Word]]) -> set[str]:
    """`"${cmd[@]}"` and `${cmd[*]}` as the array's elements, one word each, as bash expands
    the quoted form (`${cmd[@]:-x}` and single elements are not followed)."""
    replaced: set[str] = set()
    words: list[Word] = []
    for word in cmd.words:
        name = word.text[2:-4] if word.text.startswith("${") and word.text.endswith(("[@]}", "[*]}")) else ""
        if name in arrays and not word.subs:
            replaced.add(word.text)
            # a glob in the assignment was expanded then: it still names what it matches
            words.extend(Word(e.text, e.quoted, False, e.glob, [], e.tilde) for e in arrays[name])
            continue
        words.append(word)
    cmd.words[:] = words
    return replaced


def _rewrite_redirects(judge: Scope, cmd: Command, values: dict[str, str]) -> set[str]:
    """`f=.env; tr a b < $f`, `out=/tmp/x.sh; curl … > $out`: a redirection's target is one
    word however it is quoted (bash refuses a value that splits), so the value goes in whole."""
    replaced: set[str] = set()
    for redirect in cmd.redirects:
        target = redirect.target
        if target is None or not target.dynamic or target.subs or "$" not in target.text:
            continue
        text = _expand(judge, target.text, values, only_known=True)
        if text is None or text == target.text:
            continue
        replaced.add(target.text)
        redirect.target = Word(text, target.quoted, "$" in text, target.glob, [], False)
    return replaced


def assignment_counts(commands: list[Command]) -> dict[str, int]:
    """Every variable the line sets itself (`X=1`, `export X=`, `read X`, `for X in`), with
    how often; a name whose value comes from input counts as set twice (never known)."""
    counts: dict[str, int] = {}
    for cmd in commands:
        words = cmd.words
        reader = bool(words) and words[0].text in _SETTERS
        for word in words:
            raw, eq, _ = word.text.partition("=")
            name = raw.removesuffix("+")
            if eq and _is_name(name):
                counts[name] = counts.get(name, 0) + (2 if raw.endswith("+") else 1)
            elif reader and _is_name(word.text):
                counts[word.text] = 2  # its value comes from input: never known
    return counts


def _standalone_assignments(cmd: Command) -> list[tuple[str, Word]]:
    """`x=1 y=2` or `export x=1` on their own (not `x=1 cmd`, whose x is cmd's only)."""
    words = cmd.words
    if cmd.upstream or not words:
        return []
    start = 1 if words[0].text in _DECLARERS else 0
    if start and any(w.text.startswith(("-", "+")) for w in words[1:]):
        return []  # `declare -n r=HOME` (a reference), `-a`/`-A` arrays, `-i` integers
    out: list[tuple[str, Word]] = []
    for word in words[start:]:
        name, eq, _ = word.text.partition("=")
        if not eq or not _is_name(name):
            return []  # a program runs: these assignments are its environment only
        out.append((name, word))
    return out


def _value(judge: Scope, word: Word, values: dict[str, str]) -> str | None:
    if word.subs:
        return None
    text = word.text.partition("=")[2]
    if text.startswith("(") or "`" in text:
        return None  # arrays and backticks: not followed
    if not word.quoted and text.startswith("~") and (text == "~" or text.startswith("~/")):
        text = judge.home + text[1:]
    if word.dynamic:
        expanded = _expand(judge, text, values)
        if expanded is None:
            return None
        text = expanded
    return text


def _loop_values(judge: Scope, commands: list[Command]) -> dict[str, list[tuple[str, bool]]]:
    """`for d in dist build; do rm -rf "$d"; done`: the literal words a loop variable
    takes (and whether each is a glob), for a name that only that one loop (`for` or
    `select`) sets. A word using it then stands for all its values at once (`rm -rf dist
    build`), which every rule judges as it would each turn of the loop; a glob in the list
    stays the glob (`for k in ~/.ssh/id_*; do cat "$k"` is `cat ~/.ssh/id_*`), which the
    rules judge for the files it can name."""
    loops: dict[str, list[tuple[str, bool]] | None] = {}
    for cmd in commands:
        words = cmd.words
        if len(words) > 3 and words[0].text in ("for", "select") and words[2].text == "in" \
                and _is_name(words[1].text):
            name = words[1].text
            literal = all(not (w.dynamic or w.subs or w.brace) for w in words[3:])
            found = [(_home(judge, w), w.glob) for w in words[3:]]
            loops[name] = None if name in loops or not literal else found
    if not loops:
        return {}
    for cmd in commands:  # set anywhere else too: unknown
        for word in cmd.words:
            name = word.text.partition("=")[0].removesuffix("+")
            if "=" in word.text and name in loops:
                loops[name] = None
    return {name: found for name, found in loops.items() if found}


def _home(judge: Scope, word: Word) -> str:
    text = word.text
    if word.tilde and (text == "~" or text.startswith("~/")):
        return judge.home + text[1:]
    return text


def _loop_names(text: str, loops: dict[str, list[tuple[str, bool]]]) -> set[str]:
    used: set[str] = set()

    def note(name: str) -> None:
        if name in loops:
            used.add(name)

    expand_references(text, note, keep_unknown=True)  # type: ignore[arg-type]
    return used


def _rewrite_loop(
    judge: Scope, cmd: Command, loops: dict[str, list[tuple[str, bool]]], values: dict[str, str]
) -> set[str]:
    replaced: set[str] = set()
    words: list[Word] = []
    for word in cmd.words:
        used = _loop_names(word.text, loops) if word.dynamic and not word.subs and "$" in word.text else set()
        if len(used) != 1:
            words.append(word)
            continue
        name = used.pop()
        replaced.add(word.text)
        for value, glob in loops[name]:
            text = _expand(judge, word.text, {**values, name: value}, only_known=True) or word.text
            # a glob's turns are the names it matches: one unquoted glob word stands for them
            words.append(Word(text, word.quoted and not glob, "$" in text, word.glob or glob, [], False))
    cmd.words[:] = words
    return replaced


def _rewrite(judge: Scope, cmd: Command, values: dict[str, str]) -> set[str]:
    replaced: set[str] = set()
    words: list[Word] = []
    for word in cmd.words:
        if not word.dynamic or word.subs or "$" not in word.text:
            words.append(word)
            continue
        text = _expand(judge, word.text, values, only_known=True)
        if text is None or text == word.text:
            words.append(word)
            continue
        replaced.add(word.text)
        dynamic = "$" in text
        if word.quoted:
            words.append(Word(text, True, dynamic, word.glob, [], word.tilde and word.text.startswith("~")))
            continue
        for part in text.split() or [""]:
            words.append(Word(part, False, dynamic, any(c in _GLOB for c in part), [], False))
    cmd.words[:] = words
    return replaced


def _expand(judge: Scope, text: str, values: dict[str, str], only_known: bool = False) -> str | None:
    """`text` with `$x` / `${x}` replaced by their values; None when a reference is
    unknown (with `only_known`, the line's own values only, and unknown references stay
    as written)."""

    def lookup(name: str) -> str | None:
        value = values.get(name)
        if value is None and not only_known and name not in judge.assigned:
            value = judge.known_variable(name)
        return value

    return expand_references(text, lookup, keep_unknown=only_known)


def expand_references(
    text: str, lookup: Callable[[str], str | None], keep_unknown: bool = False
) -> str | None:
    """`$name`, `${name}` and `${name:-default}` in `text` replaced by `lookup(name)` (for
    a default form, the variable's value when it is known). None as soon as a reference
    is unknown, unless `keep_unknown` leaves it as written."""
    out: list[str] = []
    i = 0
    while i < len(text):
        c = text[i]
        if c != "$":
            out.append(c)
            i += 1
            continue
        if text.startswith("${", i):
            end = text.find("}", i)
            name = text[i + 2 : end] if end > 0 else ""
            step = end + 1 - i if end > 0 else 1
            for default in (":-", ":=", "-", "="):  # `${TMPDIR:-/tmp}`
                if default in name:
                    name = name.split(default, 1)[0]
                    break
        else:
            j = i + 1
            while j < len(text) and (text[j].isalnum() or text[j] == "_"):
                j += 1
            name, step = text[i + 1 : j], j - i
        value = lookup(name) if _is_name(name) else None
        if value is None:
            if not keep_unknown:
                return None
            out.append(text[i : i + step])
        else:
            out.append(value)
        i += step
    return "".join(out)


def _is_name(name: str) -> bool:
    return bool(name) and not name[0].isdigit() and name.replace("_", "a").isalnum() and name.isascii()
