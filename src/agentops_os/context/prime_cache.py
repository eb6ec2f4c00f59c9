"""The SessionStart prime packet, cached under `.agents/.index/` by cheap file facts.

Building the packet needs sqlite3, the FTS index, `re`, `pathlib` and dataclasses: far
more than the hook budget (2x a bare interpreter start) allows on every session start.
The packet is a function of a few inputs, so we key the rendered text by `os.stat`
facts of all of them and serve it with `os` alone while none has changed:

- the branch (the content of `.git/HEAD`, worktree-aware) and `agentops.toml`;
- `.agents/CONSTITUTION.md`; the `learnings/` and `handoffs/` directories (Store writes
  are atomic renames, so an added, replaced or removed document changes their mtime);
- `.claude/agents/` and each agent file in it (the best-fit agent);
- when `bd` is on PATH: its path, `BEADS_DIR`/`BEADS_DB` and every entry of `.beads/`;
- the ao version and this package's `prime.py` (an upgrade or a dev edit rebuilds).

An in-place edit of a learning (not through Store) does not change its directory's
mtime; the index finds those with a full rescan every `context.index_rescan_seconds`,
and the cache entry expires when the index's next rescan is due, so the packet is never
staler than `ao prime` would be. The first session start after any change takes the
slow path (build, then store); the index (derived data) is not part of the key.
"""

from __future__ import annotations

import os

from agentops_os.base.layout import index_path
from agentops_os.base.stamps import stamp

CACHE_FILE = "session-start-packet.txt"
_FORMAT = "ao-session-start-cache 1"
_SEPARATOR = "\n\x1e\n"  # between the header (expiry, key) and the packet text


def cache_path(root: str) -> str:
    return index_path(root, CACHE_FILE)


def _head(root: str) -> str:
    """`.git/HEAD` as text (the branch the packet is for); worktrees have a `.git` file."""
    from agentops_os.base.gitmeta import head_text

    return head_text(root) or "-"


def which(name: str) -> str | None:
    """`shutil.which` without importing shutil (the SessionStart path; prime uses it too)."""
    for directory in os.environ.get("PATH", "").split(os.pathsep):
        candidate = os.path.join(directory or ".", name)
        if os.path.isfile(candidate) and os.access(candidate, os.X_OK):
            return candidate
    return None


def _entries(directory: str) -> list[str]:
    try:
        names = sorted(os.listdir(directory))
    except OSError:
        return []
    return [f"  {name}={stamp(os.path.join(directory, name))}" for name in names]


def facts(root: str) -> str:
    """Everything the SessionStart packet is derived from, as one comparable string."""
    from agentops_os import __version__

    here = os.path.dirname(os.path.abspath(__file__))
    parts = [_FORMAT, f"ao={__version__} prime.py={stamp(os.path.join(here, 'prime.py'))}",
             f"HEAD={_head(root)}"]
    for rel in ("agentops.toml", ".agents/CONSTITUTION.md", ".agents/learnings",
                ".agents/handoffs", ".claude/agents"):
        parts.append(f"{rel}={stamp(os.path.join(root, rel))}")
    parts.extend(_entries(os.path.join(root, ".claude", "agents")))
    bd = which("bd")
    if bd is not None:
        parts.append(f"bd={bd}:{stamp(bd)} BEADS_DIR={os.environ.get('BEADS_DIR', '')} "
                     f"BEADS_DB={os.environ.get('BEADS_DB', '')}")
        parts.extend(_entries(os.path.join(root, ".beads")))
    return "\n".join(parts)


def lookup(root: str, key: str, now: float) -> str | None:
    """The cached packet text ("" = no packet) if stored under `key` and not expired."""
    try:
        with open(cache_path(root), encoding="utf-8") as handle:
            data = handle.read()
    except (OSError, ValueError):
        return None
    head, sep, text = data.partition(_SEPARATOR)
    expires, _, stored_key = head.partition("\n")
    if not sep or stored_key != key:
        return None
    try:
        if float(expires) <= now:
            return None
    except ValueError:
        return None
    return text


def store(root: str, key: str, text: str, expires: float) -> None:
    """Write the entry atomically (derived data under `.agents/.index/`)."""
    from pathlib import Path

    from agentops_os.store.atomic import write_atomic
    from agentops_os.store.redact import redact_text  # branch names and notes end up in packets

    if redact_text(key) != key:
        # The key holds HEAD: a branch named after a token. The packet derived from it
        # (dashes turned to spaces) no longer matches the token's rule, so nothing is cached.
        return
    write_atomic(Path(cache_path(root)), f"{expires:.3f}\n{key}{_SEPARATOR}{redact_text(text)}".encode())
