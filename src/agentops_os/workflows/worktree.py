"""Git worktrees for agent work: one branch per run or task, from one base commit.

Worktrees live under `.agents/.index/worktrees/` (ignored, inside the repository): the
session ledger counts their transcripts as this project's (Claude Code names a project by
its path, and theirs start with the repository's), and `git worktree prune` plus
`remove` clean them up. Left-behind worktrees filled peers' disks: every caller removes
its worktree in a `finally`, and `remove` tolerates a half-created one.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from agentops_os import git
from agentops_os.errors import FatalError
from agentops_os.repo import AGENTS_DIR, INDEX_DIR
from agentops_os.store.atomic import locked

WORKTREES = "worktrees"


def base_dir(root: Path) -> Path:
    return root / AGENTS_DIR / INDEX_DIR / WORKTREES


def _lock(root: Path) -> locked:
    # Parallel tasks add and remove worktrees at once: `git worktree prune` in one could
    # drop another's half-created entry, so these steps take turns (threads and processes).
    return locked(base_dir(root) / ".lock")


def create(root: Path, name: str, branch: str, base: str) -> Path:
    """A worktree at `base` on a new `branch`; reused if it already exists for `branch`."""
    with _lock(root):
        return _create(root, name, branch, base)


def _create(root: Path, name: str, branch: str, base: str) -> Path:
    path = base_dir(root) / name
    if (path / ".git").exists():
        current = git.run(["rev-parse", "--abbrev-ref", "HEAD"], path, check=False).strip()
        if current == branch:
            return path
        _remove(root, path)
    path.parent.mkdir(parents=True, exist_ok=True)
    exists = git.run(["rev-parse", "--verify", "--quiet", f"refs/heads/{branch}"], root, check=False).strip()
    args = ["worktree", "add", "--quiet", str(path), branch] if exists else \
        ["worktree", "add", "--quiet", "-b", branch, str(path), base]
    try:
        git.run(args, root)
    except FatalError as exc:
        raise FatalError(f"cannot create a worktree for {branch}: {exc}") from None
    return path


def reuse(root: Path, name: str, branch: str, base: str) -> Path:
    """Like `create`, but an existing (parked) worktree called `name` is switched to a new
    `branch` at `base` instead of being checked out from scratch: git then rewrites only
    the files that differ, which on a large repository is the difference between seconds
    and milliseconds per task."""
    path = base_dir(root) / name
    with _lock(root):
        if not (path / ".git").exists():
            return _create(root, name, branch, base)
        git.run(["checkout", "--quiet", "--force", "-B", branch, base], path)
        git.run(["clean", "-fdxq"], path)
        return path


def park(path: Path) -> None:
    """Leave a reused worktree clean and on no branch (so its branch can be merged or
    deleted) until the next task takes it."""
    git.run(["checkout", "--quiet", "--detach"], path, check=False)
    git.run(["reset", "--quiet", "--hard"], path, check=False)
    git.run(["clean", "-fdxq"], path, check=False)


def remove(root: Path, path: Path) -> None:
    with _lock(root):
        _remove(root, path)


def _remove(root: Path, path: Path) -> None:
    if path.exists():
        git.run(["worktree", "remove", "--force", str(path)], root, check=False)
        if path.exists():
            shutil.rmtree(path, ignore_errors=True)
    git.run(["worktree", "prune"], root, check=False)


def commit_all(path: Path, message: str) -> str | None:
    """Commit everything the agent left in the worktree; the new sha, or None if clean."""
    if not git.run(["status", "--porcelain"], path).strip():
        return None
    git.run(["add", "-A"], path)
    git.run(["commit", "--quiet", "-F", "-"], path, input=message)
    return git.run(["rev-parse", "HEAD"], path).strip()


def commits_since(path: Path, base: str) -> list[str]:
    out = git.run(["rev-list", "--reverse", f"{base}..HEAD"], path, check=False)
    return [line for line in out.splitlines() if line]


def diff_stat(path: Path, base: str) -> str:
    return git.run(["diff", "--shortstat", f"{base}..HEAD"], path, check=False).strip()
