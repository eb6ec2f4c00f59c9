"""Globs, and paths with a name computed at run time, that can name a secret file.

`grep -h '' .env*` prints `.env` whether or not the guard's machine has one today: the
glob's own pattern fits a secret name (`.env`), so the read is judged as a read of that
name. Scope already judges a glob anchored in a secret directory (`~/.aws/*`) and the
files a glob matches today; this adds the names a glob can match by its pattern alone,
against every secret pattern (bare names such as `.env`, `*.pem`, `id_rsa` and anchored
ones such as `~/.aws/credentials`), as bash matches: `*` matches no leading dot and no `/`.

A bare-name match counts only when the glob is distinctive, that is, when it matches none
of a few everyday names (`*` and `*.json` can name `id_rsa` and `credentials.json`, but
they name `main.py` and `data.json` just as well: those are judged on what they match
today). A path whose name is a variable the guard cannot know (`cat ~/.ssh/$k`, `cat
.env.$STAGE`) is judged the same way, with the variable standing for `*`.
"""

from __future__ import annotations

import os

from agentops_os.guard.policy import path_matches

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable

    from agentops_os.guard.scope import Scope

    Matcher = Callable[[str, str], bool]

_GLOB = "*?["
# Names a glob that is about secrets does not match (a glob matching any of them is not
# distinctive: it is about files in general).
_EVERYDAY = ("x", "main.py", "README.md", "notes.txt", "data.json", "config.yaml", "index.js", "Makefile",
             ".gitignore", ".github", "setup.cfg", "app.log", "CHANGELOG.md", "CONTRIBUTING.md", "LICENSE",
             "Dockerfile", "package.json", "app.db", "app.sqlite", "keys.txt", "web.config")  # fmt: skip


def glob_secret(judge: Scope, path: str) -> str | None:
    """The secret pattern that a file the glob `path` (absolute) can match fits, or None."""
    if not any(c in path for c in _GLOB):
        return None
    from agentops_os.guard.globmatch import glob_match

    policy = judge.policy
    directory, base = os.path.split(path)
    distinctive = not any(_bash_glob(name, base, glob_match) for name in _EVERYDAY)
    candidates = _examples(path)
    for secret in policy.secret_files:
        if secret.startswith("~/"):
            candidates += _examples(judge.home + secret[1:])
        elif secret.startswith("/"):
            candidates += _examples(secret)
        elif "/" in secret:
            candidates += _examples(os.path.join(judge.root, secret))
        elif distinctive:
            candidates += [os.path.join(directory, name) for name in _examples(secret)]
    for candidate in candidates:
        if not _path_glob(candidate, path, glob_match):
            continue
        hit = path_matches(candidate, policy.secret_files, judge.root, judge.home)
        if not hit or path_matches(candidate, policy.secret_exceptions, judge.root, judge.home):
            continue
        if "/" in hit or distinctive:
            return hit
    return None


def unknown_as_glob(judge: Scope, text: str) -> str | None:
    """`text` (a word with `$name` references) as a glob path: the references the hook
    knows (`$HOME`) expanded, every other one standing for `*`; None when no name of the
    path is left literal (`$f` alone says nothing) or it does not resolve."""
    from agentops_os.guard.values import expand_references

    def lookup(name: str) -> str:
        known = judge.known_variable(name) if name not in judge.assigned else None
        return known if known is not None else "*"

    pattern = expand_references(text, lookup)
    if pattern is None or "`" in pattern or "$" in pattern or pattern.strip("*/") == "":
        return None
    return judge.resolve(pattern)


def _examples(pattern: str) -> list[str]:
    """Names `pattern` matches: each `*` as nothing and as `x`, `?` as `x`, a set as its
    first character."""
    out = []
    for star in ("", "x"):
        text, i = [], 0
        while i < len(pattern):
            c = pattern[i]
            if c == "*":
                text.append(star)
            elif c == "?":
                text.append("x")
            elif c == "[" and "]" in pattern[i + 2 :]:
                end = pattern.index("]", i + 2)
                body = pattern[i + 1 : end].lstrip("!")
                text.append("x" if pattern[i + 1] == "!" or not body else body[0])
                i = end
            else:
                text.append(c)
            i += 1
        out.append("".join(text))
    return out


def _path_glob(path: str, pattern: str, glob_match: Matcher) -> bool:
    """Whether bash's glob `pattern` matches `path`, one `/` part at a time."""
    names, parts = path.split("/"), pattern.split("/")
    if len(names) != len(parts):
        return False
    return all(_bash_glob(n, p, glob_match) for n, p in zip(names, parts, strict=True))


def _bash_glob(name: str, pattern: str, glob_match: Matcher) -> bool:
    if not any(c in pattern for c in _GLOB):
        return name == pattern
    if name.startswith(".") and not pattern.startswith("."):
        return False  # `*` does not match dot files (no dotglob)
    return glob_match(name, pattern)
