"""Which files a check covers and what their contents are, as cheaply as git allows.

Tracked files that are unchanged take their blob id straight from the index (`git ls-files
-s`); only modified and untracked files are read and hashed. The same blob-id scheme is
used for both, so a file's key does not depend on whether it is staged.
"""

from __future__ import annotations

import fnmatch
import functools
import hashlib
import re
from collections.abc import Callable
from pathlib import Path

from agentops_os import git


def blob_id(data: bytes) -> str:
    return hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()  # noqa: S324 - git's own scheme


def snapshot(root: Path) -> dict[str, str]:
    """path -> content id for every tracked and untracked (not ignored) file."""
    ids: dict[str, str] = {}
    for line in git.run(["ls-files", "-s", "-z"], root).split("\0"):
        if not line:
            continue
        meta, _, path = line.partition("\t")
        ids[path] = meta.split()[1]
    dirty = git.run(["ls-files", "-z", "-m", "-o", "-d", "--exclude-standard"], root).split("\0")
    for path in dict.fromkeys(p for p in dirty if p):
        full = root / path
        try:
            ids[path] = blob_id(full.read_bytes()) if full.is_file() else "deleted"
        except OSError:
            ids[path] = "unreadable"
    # `.agents/` is AgentOps' own record (the ledger grows with every gate run): it must
    # not invalidate every cached verdict.
    return {p: i for p, i in ids.items() if i != "deleted" and not p.startswith(".agents/")}


def changed_files(root: Path, base: str | None = None) -> set[str]:
    """Files changed against HEAD (or `base`): staged, unstaged and untracked."""
    out: set[str] = set()
    if git.head_sha(root):
        out.update(git.run(["diff", "--name-only", "-z", base or "HEAD"], root).split("\0"))
    else:
        out.update(git.run(["ls-files", "-z"], root).split("\0"))
    out.update(git.run(["ls-files", "-z", "-o", "--exclude-standard"], root).split("\0"))
    out.discard("")
    return out


def matches(path: str, globs: tuple[str, ...]) -> bool:
    """Glob match on repo-relative paths; a glob without `/` also matches the file name,
    and `dir/**` matches everything under `dir/`."""
    return matcher(globs)(path)


@functools.lru_cache(maxsize=256)
def matcher(globs: tuple[str, ...]) -> Callable[[str], bool]:
    """`matches` for one set of globs, compiled once: a gate tests every file of the repo
    against every check, thousands of calls on each (otherwise cached) run."""
    if not globs:
        return lambda path: True
    whole = re.compile("|".join(fnmatch.translate(p) for p in globs))
    names = [fnmatch.translate(p) for p in globs if "/" not in p]
    by_name = re.compile("|".join(names)) if names else None
    prefixes = tuple(p[:-2] for p in globs if p.endswith("/**"))

    def test(path: str) -> bool:
        if whole.match(path) or (prefixes and path.startswith(prefixes)):
            return True
        return by_name is not None and by_name.match(path.rsplit("/", 1)[-1]) is not None

    return test
