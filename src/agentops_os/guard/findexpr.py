"""Whether a `find` expression selects some files rather than everything below its start paths.

find joins its terms with an implied AND, so one selecting test at the top level (`-name
'*.pyc'`) narrows the whole expression, and a negated term (`-not -path './.venv/*'`,
`! -name keep`) can only narrow it further: `find . -name '*.pyc' -not -path './.venv/*'
-delete` deletes compiled files, not the tree. An `-o` splits the expression into branches
and a file is acted on by the branch it satisfies, so every branch that acts (`-delete`,
`-exec`, `-print` for a pipe) must select: `find . -path ./node_modules -prune -o -name
'*.pyc' -delete` selects, `find . -name x -o -delete` does not. With no action anywhere,
find prints what the whole expression matches: then every branch must select. A test that
matches everything anyway (`-name '*'`) selects nothing. A parenthesised group is a term:
it selects when each of its branches does, and its actions count.
"""

from __future__ import annotations

# find predicates that select some files rather than everything below the start paths.
NARROWING = frozenset({
    "-name", "-iname", "-path", "-ipath", "-wholename", "-iwholename", "-regex", "-iregex",
    "-newer", "-mtime", "-mmin", "-atime", "-amin", "-ctime", "-cmin", "-empty", "-size",
    "-user", "-group", "-perm", "-samefile", "-inum", "-lname", "-links",
})
_MATCH_ALL = frozenset({"*", "**", ".*"})
_NOT = frozenset({"-not", "!"})
_OR = frozenset({"-o", "-or"})


_ACTIONS = frozenset({"-delete", "-exec", "-execdir", "-ok", "-okdir", "-print", "-print0", "-printf",
                      "-fprint", "-fprint0", "-fprintf", "-ls", "-fls"})
_RUNS = frozenset({"-exec", "-execdir", "-ok", "-okdir"})


def narrowed(tests: list[str]) -> bool:
    """`tests`: the words of the expression (after the start paths)."""
    selects, _ = _expression(tests, 0)[0]
    return selects


def _expression(tests: list[str], k: int) -> tuple[tuple[bool, bool], int]:
    """(selects, acts) of the expression from `k` up to its closing `)`, and where it ended.
    It selects when each of its branches that acts (or, with no action in it, each branch)
    selects."""
    branches: list[tuple[bool, bool]] = []  # (selects, acts) of each branch
    negated, selecting, acting = False, False, False
    while k < len(tests):
        text = tests[k]
        if text in (")", "\\)"):
            k += 1
            break
        if text in _RUNS:  # the command's own words are not tests
            acting = True
            while k < len(tests) and tests[k] not in (";", "+", "\\;"):
                k += 1
        elif text in ("(", "\\("):
            (group_selects, group_acts), k = _expression(tests, k + 1)
            selecting = selecting or (group_selects and not negated)
            acting = acting or group_acts
            negated = False
            continue
        elif text in _ACTIONS:
            acting = True
        elif text in _OR:
            branches.append((selecting, acting))
            selecting = acting = False
        elif text in _NOT:
            negated = not negated
            k += 1
            continue
        elif text in NARROWING:
            value = tests[k + 1] if k + 1 < len(tests) else ""
            selecting = selecting or (not negated and value not in _MATCH_ALL)
        negated = False
        k += 1
    branches.append((selecting, acting))
    acts = any(a for _, a in branches)
    selects = all(s for s, a in branches if a or not acts)
    return (selects, acts), k
