"""Is this checkout one of ao's own worktrees, and of which repository?

`ao rpi` and `ao swarm` run agents in linked git worktrees under
`<repo>/.agents/.index/worktrees/<name>`. Those are checkouts of the same repository, so
what the agents' hooks record belongs in `<repo>/.agents/`, not in the worktree's copy of
the tracked store (which the task's branch would then commit). The hooks import this on
every call: `os` only.
"""

from __future__ import annotations

import os

from agentops_os.base.layout import index_path


def main_checkout_of(root: str) -> str | None:
    """`<repo>` when `root` is `<repo>/.agents/.index/worktrees/<name>` and its `.git` file
    links it to `<repo>/.git/worktrees/` (a linked worktree, not a directory planted
    there); None otherwise."""
    parent = os.path.dirname(root)
    index = os.path.dirname(parent)
    outer = os.path.dirname(os.path.dirname(index))
    if os.path.basename(parent) != "worktrees" or index != index_path(outer):
        return None
    try:
        with open(os.path.join(root, ".git"), encoding="utf-8") as handle:
            line = handle.readline().strip()
    except OSError:
        return None
    target = os.path.realpath(os.path.join(root, line.removeprefix("gitdir:").strip()))
    linked = target.startswith(os.path.realpath(os.path.join(outer, ".git", "worktrees")) + os.sep)
    return outer if linked else None
