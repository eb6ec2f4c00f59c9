"""Where things live: the repository's `.agents/` store and its derived `.index/`.

The one spelling of these names (DESIGN §3.1). `.index/` is derived data, gitignored,
and may be deleted at any time; everything else under `.agents/` is tracked.
"""

from __future__ import annotations

import os

AGENTS_DIR = ".agents"
INDEX_DIR = ".index"
CONFIG_FILE = "agentops.toml"

# The tracked layout; `.index/` is derived and gitignored.
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


def agents_path(root: str | os.PathLike[str], *parts: str) -> str:
    """`<root>/.agents/<parts...>`."""
    return os.path.join(os.fspath(root), AGENTS_DIR, *parts)


def index_path(root: str | os.PathLike[str], *parts: str) -> str:
    """`<root>/.agents/.index/<parts...>`: derived, rebuildable data."""
    return os.path.join(os.fspath(root), AGENTS_DIR, INDEX_DIR, *parts)


def config_path(root: str | os.PathLike[str]) -> str:
    return os.path.join(os.fspath(root), CONFIG_FILE)
