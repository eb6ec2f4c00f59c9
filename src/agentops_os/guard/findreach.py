"""The protected places a `find … -exec CMD {} +` can hand to CMD.

`findexec` stands `{}` for one path per test (`start/NAME`, `start/*`), which is all a
read or a single write needs. A write or delete of `{}` needs more: find descends, so
`find .agents -path '*audit*' -type f -exec truncate -s 0 {} +` empties the audit ledger
in `.agents/audit/`, and `find . -name '*.jsonl' -delete` deletes it, though no word
of either names it. So for each protected place (`guard.protected_paths`,
`secret_files`, `ask_write_paths` and `.git`, down to the first wildcard of its glob)
below a start path, the find's tests are applied to the place itself, the directories
on the way to it and what it holds today (a bounded walk): a place one of them selects
is handed to CMD. A protected path counts whether or not it exists here (the attempt is
what is judged, as with secret files); a secret or ask-write place only when it exists.
`-not`/`!` and `-prune` exclusions and `-maxdepth` are followed; other tests (`-type`,
`-mtime`, `-size` …) are taken to select what they may.

A find over the whole repository or home with no name or path test (`find . -type f
-exec chmod 644 {} +`) is judged by its start path, as before: that it also reaches
`.git` is true of every such find and is not what makes one dangerous.
"""

from __future__ import annotations

import os

TYPE_CHECKING = False
if TYPE_CHECKING:
    from agentops_os.guard.scope import Scope
    from agentops_os.guard.unwrap import Call

_NAME = frozenset({"-name", "-iname"})
_PATH = frozenset({"-path", "-ipath", "-wholename", "-iwholename", "-regex", "-iregex"})
_ACTIONS = frozenset({"-exec", "-execdir", "-ok", "-okdir", "-delete"})
_NOT = frozenset({"!", "-not"})
_MAX_WALKED = 400  # entries looked at below one place (the hook is a hot path)


class _Tests:
    __slots__ = ("names", "paths", "skip_names", "skip_paths", "maxdepth")

    def __init__(self) -> None:
        self.names: list[tuple[str, str]] = []  # (test, pattern) that select
        self.paths: list[tuple[str, str]] = []
        self.skip_names: list[tuple[str, str]] = []  # negated or pruned
        self.skip_paths: list[tuple[str, str]] = []
        self.maxdepth: int | None = None


def pruned_branch(words: list[str], k: int) -> bool:
    """Whether `words[k]` is a `-prune` that ends a branch find leaves out: one `-o` joins
    to the branch that acts (`-path ./vendor -prune -o -name '*.pyc' -delete`). Without
    the `-o` the prune is and-ed with the action (`-name .git -prune -exec rm -rf {} +`
    deletes every .git it finds: it only stops find from going into them)."""
    if words[k : k + 1] != ["-prune"]:
        return False
    k += 1
    while k < len(words) and words[k] in (")", "\\)"):
        k += 1
    return words[k : k + 1] in (["-o"], ["-or"])


def _tests(words: list[str]) -> _Tests | None:
    """The find's tests, read from its words (None when the command is no find)."""
    start = next((k for k, w in enumerate(words) if os.path.basename(w) == "find"), None)
    if start is None:
        return None
    tests = _Tests()
    j = start + 1
    while j < len(words) and not words[j].startswith(("-", "(", "!")):
        j += 1
    while j < len(words) and words[j] not in _ACTIONS:
        text, value = words[j], words[j + 1] if j + 1 < len(words) else ""
        negated = j > 0 and words[j - 1] in _NOT
        pruned = pruned_branch(words, j + 2)
        if text in _NAME or text in _PATH:
            skip = negated or pruned
            kind = tests.names if text in _NAME else tests.paths
            if skip:
                kind = tests.skip_names if text in _NAME else tests.skip_paths
            kind.append((text, value))
            j += 2
            continue
        if text == "-maxdepth" and value.isdigit():
            tests.maxdepth = int(value)
        j += 1
    return tests


def _match(test: str, pattern: str, text: str) -> bool:
    from agentops_os.guard.globmatch import glob_match

    if test in ("-regex", "-iregex"):
        import re

        try:
            return re.fullmatch(pattern, text, re.IGNORECASE if test == "-iregex" else 0) is not None
        except re.error:
            return False
    if test.startswith("-i"):
        return glob_match(text.lower(), pattern.lower())
    return glob_match(text, pattern)


def places(judge: Scope, lists: tuple[str, ...] = ("protected_paths", "secret_files", "ask_write_paths")
           ) -> list[str]:
    """Absolute paths of the protected places: each glob of these policy lists up to its
    first wildcard (and the repository's `.git`)."""
    out = [os.path.join(judge.root, ".git")]
    for pattern in (p for name in lists for p in getattr(judge.policy, name)):
        if "/" not in pattern.rstrip("/"):
            continue  # a bare name (`*.pem`, `.env`) matches anywhere: findexec's words cover it
        if pattern.startswith("~/"):
            pattern = judge.home + pattern[1:]
        elif not pattern.startswith("/"):
            pattern = os.path.join(judge.root, pattern)
        parts: list[str] = []
        for part in pattern.split("/")[1:]:
            if any(c in part for c in "*?["):
                break
            parts.append(part)
        if len(parts) >= 1 and parts != [""]:
            out.append("/" + "/".join(parts))
    return sorted(set(out))


def reached(judge: Scope, call: Call, trees: bool = False) -> list[str]:
    """Protected places (or entries of them) the find running `call` can select; with
    `trees` (`-exec rm -rf {} +`, which deletes what it is handed with all below it), also
    those below a directory it selects within its -maxdepth."""
    tests = _tests([w.text for w in call.command.words])
    if tests is None or not call.find_paths:
        return []
    found_places = places(judge)
    protected = set(places(judge, ("protected_paths",)))  # judged whether or not it exists here
    out: list[str] = []
    for word in call.find_paths:
        start = judge.resolve_word(word)
        if start is None:
            continue
        shown = judge.home + word.text[1:] if word.tilde and word.text.startswith("~") else word.text
        whole = start == "/" or any(start == p or p.startswith(start.rstrip("/") + "/")
                                    for p in (judge.root, judge.home))
        for place in found_places:
            if not place.startswith(start.rstrip("/") + "/"):
                continue
            if place in protected or os.path.lexists(place):  # nothing there to hand over
                out.extend(_selected(tests, start, shown.rstrip("/") or "/", place, whole, trees))
    return sorted(set(out))


def _selected(
    tests: _Tests, start: str, shown: str, place: str, whole: bool, trees: bool = False
) -> list[str]:
    rel = os.path.relpath(place, start).split(os.sep)
    limit = tests.maxdepth if tests.maxdepth is not None else 1 << 20
    if len(rel) > limit and not trees:
        return []
    steps = ["/".join(rel[: k + 1]) for k in range(len(rel))]  # the way down, place last

    def printed(sub: str) -> str:
        return (shown if shown != "/" else "") + "/" + sub

    for k, step in enumerate(steps):  # an exclusion on the way down keeps find out
        name = rel[k]
        if any(_match(t, p, name) for t, p in tests.skip_names) or any(
            _match(t, p, printed(step)) or _match(t, p, printed(step) + "/x") for t, p in tests.skip_paths
        ):
            return []
    if not tests.names and not tests.paths:
        return [] if whole else [place]
    for k, step in enumerate(steps):
        if k < limit and (any(_match(t, p, rel[k]) for t, p in tests.names) or any(
            _match(t, p, printed(step)) for t, p in tests.paths
        )):
            return [place]
    if len(rel) > limit:
        return []
    found: list[str] = []
    depth_left = limit - len(rel)
    seen = 0
    for directory, dirs, files in os.walk(place):
        below = os.path.relpath(directory, place)
        depth = 0 if below == "." else below.count(os.sep) + 1
        if depth >= depth_left:
            dirs[:] = []
            continue
        for name in [*dirs, *files]:
            seen += 1
            if seen > _MAX_WALKED:
                return found
            full = os.path.join(directory, name)
            sub = os.path.relpath(full, start).replace(os.sep, "/")
            if any(_match(t, p, name) for t, p in tests.names) or any(
                _match(t, p, printed(sub)) for t, p in tests.paths
            ):
                found.append(full)
    return found[:20]
