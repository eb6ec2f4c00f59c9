"""Where a repository and its `.agents/` store live, found without spawning git.

The hook path uses this too, so it only walks the file system.
"""

from __future__ import annotations

import os
from pathlib import Path

from agentops_os.errors import FatalError

AGENTS_DIR = ".agents"
CONFIG_FILE = "agentops.toml"
INDEX_DIR = ".index"

# The tracked layout of DESIGN §3.1; `.index/` is derived and gitignored.
LAYOUT = (
    "learnings",
    "pending",
    "handoffs",
    "bundles",
    "sessions",
    "runs",
    "audit",
    "improve",  # the Law 2 backlog (ao improve)
    "profiles",  # installed profiles: what each installed, with hashes (ao profile)
)


def find_root(start: str | os.PathLike[str] | None = None) -> Path | None:
    """The nearest enclosing directory that has `.git` (a dir, or a file for worktrees)."""
    here = Path(start or os.getcwd()).resolve()
    for candidate in (here, *here.parents):
        if (candidate / ".git").exists():
            return candidate
    return None


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
