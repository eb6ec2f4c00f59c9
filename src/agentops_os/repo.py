"""Where a repository and its `.agents/` store live, as `Path`s, for commands (the hook
path uses `agentops_os.base` directly: the same facts without pathlib)."""

from __future__ import annotations

import os
from pathlib import Path

from agentops_os.base import gitmeta
from agentops_os.base.layout import AGENTS_DIR, CONFIG_FILE, INDEX_DIR, LAYOUT
from agentops_os.errors import FatalError

__all__ = ["AGENTS_DIR", "CONFIG_FILE", "INDEX_DIR", "LAYOUT", "agents_dir", "find_root", "index_dir",
           "require_root"]


def find_root(start: str | os.PathLike[str] | None = None) -> Path | None:
    """The nearest enclosing directory that has `.git` (a dir, or a file for worktrees)."""
    found = gitmeta.find_root(os.fspath(start) if start is not None else None)
    return Path(found) if found is not None else None


def require_root(start: str | os.PathLike[str] | None = None) -> Path:
    root = find_root(start)
    if root is None:
        where = Path(start or os.getcwd()).resolve()
        raise FatalError(f"{where}: not a git repository (run `git init` first)")
    return root


def agents_dir(root: Path) -> Path:
    return root / AGENTS_DIR


def index_dir(root: Path) -> Path:
    return root / AGENTS_DIR / INDEX_DIR
