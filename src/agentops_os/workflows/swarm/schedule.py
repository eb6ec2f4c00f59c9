"""Which tasks may start now: every dependency done, no running task's scope touching theirs.

Two scopes overlap when some path could be matched by both. A tracked file matched by a
glob of each is proof; for files that do not exist yet the globs themselves are
compared: their literal directory prefixes must nest (`src/` and `src/api/` can meet,
`src/api/` and `docs/` cannot) and their file-name patterns must be able to match a
common name (`*.py` and `*.md` cannot). The rule errs towards "overlap": two agents
editing one file is the failure this exists to prevent; running one task later is cheap.
"""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Iterable

from agentops_os.workflows.swarm.tasks import Task

_WILD = re.compile(r"[*?\[]")


def _split(glob: str) -> tuple[str, str]:
    """(literal directory prefix, last segment); `**` segments end the prefix."""
    glob = glob.lstrip("./")
    parts = glob.split("/")
    prefix: list[str] = []
    for part in parts[:-1]:
        if _WILD.search(part):
            return "/".join(prefix) + ("/" if prefix else ""), parts[-1]
        prefix.append(part)
    return "/".join(prefix) + ("/" if prefix else ""), parts[-1]


def _names_can_meet(a: str, b: str) -> bool:
    if not _WILD.search(a) or not _WILD.search(b):
        literal, pattern = (a, b) if not _WILD.search(a) else (b, a)
        return fnmatch.fnmatchcase(literal, pattern) or not _WILD.search(pattern) and literal == pattern
    # Two patterns: compare what they fix at the end (an extension) and at the start.
    tail_a, tail_b = re.split(r"[*?\]]", a)[-1], re.split(r"[*?\]]", b)[-1]
    head_a, head_b = re.split(r"[*?\[]", a)[0], re.split(r"[*?\[]", b)[0]
    return (tail_a.endswith(tail_b) or tail_b.endswith(tail_a)) and (
        head_a.startswith(head_b) or head_b.startswith(head_a)
    )


def globs_overlap(a: str, b: str) -> bool:
    prefix_a, name_a = _split(a)
    prefix_b, name_b = _split(b)
    if not (prefix_a.startswith(prefix_b) or prefix_b.startswith(prefix_a)):
        return False
    if name_a in ("**", "") or name_b in ("**", ""):
        return True
    return _names_can_meet(name_a, name_b)


def scopes_overlap(a: tuple[str, ...], b: tuple[str, ...], files: Iterable[str] = ()) -> bool:
    if not a or not b:  # no scope = the whole repository
        return True
    if any(globs_overlap(x, y) for x in a for y in b):
        return True
    from agentops_os.gates.files import matcher

    in_a, in_b = matcher(a), matcher(b)
    return any(in_a(path) and in_b(path) for path in files)


def ready(
    tasks: list[Task], done: set[str], running: set[str], blocked: set[str], files: Iterable[str] = ()
) -> list[Task]:
    """Tasks that may start now, in file order. `blocked` ones (a dependency failed) never do."""
    by_id = {t.id: t for t in tasks}
    listed = list(files)
    chosen: list[Task] = []
    for task in tasks:
        if task.id in done or task.id in running or task.id in blocked:
            continue
        if not all(d in done for d in task.depends_on):
            continue
        busy = [by_id[r] for r in running] + chosen
        if any(scopes_overlap(task.scope, other.scope, listed) for other in busy):
            continue
        chosen.append(task)
    return chosen
