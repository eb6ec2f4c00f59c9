"""The repository around a path and its HEAD, read from the file system (no git process:
the hook path cannot afford one per tool call). Callers that can spawn git and need
more (detached HEADs by name, config) use `agentops_os.git`."""

from __future__ import annotations

import os


def find_root(start: str | None = None) -> str | None:
    """The nearest enclosing directory with `.git` (a directory, or a file for linked
    worktrees and submodules); None outside any repository."""
    try:
        here = os.path.realpath(start or os.getcwd())
    except OSError:
        return None
    while True:
        if os.path.exists(os.path.join(here, ".git")):
            return here
        parent = os.path.dirname(here)
        if parent == here:
            return None
        here = parent


def enclosing_roots(root: str) -> list[str]:
    """Repositories that enclose `root`, nearest first (`root` itself excluded)."""
    found: list[str] = []
    here = os.path.dirname(root)
    while True:
        if os.path.exists(os.path.join(here, ".git")):
            found.append(here)
        parent = os.path.dirname(here)
        if parent == here:
            return found
        here = parent


def git_dir(root: str) -> str | None:
    """The repository's git directory: `<root>/.git`, or where a `.git` file's
    `gitdir:` line points (linked worktrees); None when neither is readable."""
    dot_git = os.path.join(root, ".git")
    if os.path.isdir(dot_git):
        return dot_git
    try:
        with open(dot_git, encoding="utf-8") as handle:
            pointer = handle.read().strip()
    except OSError:
        return None
    if not pointer.startswith("gitdir:"):
        return None
    return os.path.join(root, pointer[len("gitdir:"):].strip())


def head_text(root: str) -> str | None:
    """The content of HEAD (`ref: refs/heads/main` or a commit id); None if unreadable."""
    directory = git_dir(root)
    if directory is None:
        return None
    try:
        with open(os.path.join(directory, "HEAD"), encoding="utf-8") as handle:
            return handle.read().strip()
    except OSError:
        return None


def current_branch(root: str) -> str | None:
    """The checked-out branch's short name; None when detached or unreadable."""
    head = head_text(root)
    prefix = "ref: refs/heads/"
    return head[len(prefix):] if head and head.startswith(prefix) else None
