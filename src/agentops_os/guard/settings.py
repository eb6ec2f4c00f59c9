"""The config sections the PreToolUse hook needs, cached between tool calls.

Loading agentops.toml means importing tomllib and every domain's defaults module; on every
tool call that is most of the hook's budget. The validated sections are cached in
`.agents/.index/hook-settings.marshal`, keyed by a SHA-256 of agentops.toml's content (and
the stamps of the defaults modules involved), so an edit is seen on the very next call
and a cache that does not match its sources (edited, forged, restored mtimes) is rebuilt.
A malformed file is never cached: it raises `FatalError` every time (the hook then denies).
An unreadable agentops.toml (permissions, a directory in its place) gives the built-in
defaults, never allow-all. The guard itself denies writes to `.agents/.index/`, and
`ao doctor` compares the cache with a fresh load of its sources.

`marshal` rather than JSON: it is built in, so reading the cache imports nothing.
"""

from __future__ import annotations

import marshal
import os

from agentops_os import __version__

CACHE_FILE = "hook-settings.marshal"
SECTIONS = ("guard", "budgets", "audit", "redaction")
# Where each section's defaults live (their stamps are part of the cache key).
_DEFAULTS_FILES = (
    "guard/config_defaults.py",
    "budgets/config_defaults.py",
    "audit/config_defaults.py",
    "config/defaults.py",
)
_PACKAGE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def _stamp(path: str) -> str:
    try:
        st = os.stat(path)
    except OSError:
        return "-"
    return f"{st.st_size}:{st.st_mtime_ns}"


def _digest(data: bytes) -> str:
    try:  # the C module behind hashlib.sha256, without hashlib's own imports
        from _sha2 import sha256  # type: ignore[import-not-found]
    except ImportError:  # pragma: no cover - Python 3.11
        try:
            from _sha256 import sha256  # type: ignore[import-not-found,no-redef]
        except ImportError:
            from hashlib import sha256  # type: ignore[no-redef]
    return str(sha256(data).hexdigest())


def _content(path: str) -> str:
    try:
        with open(path, "rb") as handle:
            return _digest(handle.read())
    except FileNotFoundError:
        return "-"
    except OSError:
        return "unreadable"


def cache_key(root: str) -> str:
    parts = [__version__, _content(os.path.join(root, "agentops.toml"))]
    parts += [_stamp(os.path.join(_PACKAGE, name)) for name in _DEFAULTS_FILES]
    return "|".join(parts)


def hook_settings(root: str) -> dict[str, object]:
    """{"guard": {...}, "budgets": {...}, "audit": {...}, "sources": {...}, "path": str|None}."""
    key = cache_key(root)
    directory = os.path.join(root, ".agents", ".index")
    cache = os.path.join(directory, CACHE_FILE)
    try:
        with open(cache, "rb") as handle:
            cached = marshal.load(handle)
        if isinstance(cached, dict) and cached.get("key") == key:
            return cached
    except (OSError, ValueError, EOFError, TypeError):
        pass
    from pathlib import Path

    from agentops_os.config import load_config

    try:
        config = load_config(Path(root))  # FatalError on a malformed file: never cached
    except OSError:  # unreadable agentops.toml: the built-in defaults, never allow-all
        config = load_config(None)
    data: dict[str, object] = {section: config.section(section) for section in SECTIONS}
    data["sources"] = {k: v for k, v in config.sources.items() if k.split(".", 1)[0] in SECTIONS}
    data["path"] = str(config.path) if config.path else None
    data["key"] = key
    try:
        from agentops_os.store.atomic import write_atomic

        os.makedirs(directory, exist_ok=True)
        ignore = Path(directory) / ".gitignore"
        if not ignore.exists():  # derived data must never be committed, even before `ao init`
            write_atomic(ignore, b"*\n")
        write_atomic(Path(cache), marshal.dumps(data))
    except (OSError, ValueError):
        pass  # a read-only checkout still gets judged, just without the cache
    return data


def enclosing_roots(root: str) -> list[str]:
    """Repositories enclosing `root` (nearest first, `root` excluded). A nested
    repository's agentops.toml must not relax the outer one's rules, so the hook judges
    a call under every enclosing repository's policy and keeps the strictest verdict."""
    found: list[str] = []
    if _ao_worktree_of(root):
        # ao's own worktree of this very repository (`ao rpi`/`ao swarm` put them under
        # .agents/.index/worktrees/): a checkout of the same policy, not a nested
        # repository. Judging it under the outer checkout too would deny every write
        # the agent makes there as a write into ao's derived index.
        return found
    here = os.path.dirname(root)
    while True:
        if os.path.exists(os.path.join(here, ".git")):
            found.append(here)
        parent = os.path.dirname(here)
        if parent == here:
            return found
        here = parent


def _ao_worktree_of(root: str) -> bool:
    from agentops_os.worktree_link import main_checkout_of

    return main_checkout_of(root) is not None


def cache_is_current(root: str) -> tuple[bool, str]:
    """For `ao doctor`: does the cache on disk say what a fresh load of its sources says?
    (False, why) when it was edited or forged; (True, "") when it matches or is absent."""
    cache = os.path.join(root, ".agents", ".index", CACHE_FILE)
    try:
        with open(cache, "rb") as handle:
            cached = marshal.load(handle)
    except FileNotFoundError:
        return True, ""
    except (OSError, ValueError, EOFError, TypeError) as exc:
        return False, f"{CACHE_FILE} cannot be read ({type(exc).__name__}); it will be rebuilt"
    if not isinstance(cached, dict):
        return False, f"{CACHE_FILE} is not a settings cache"
    from pathlib import Path

    from agentops_os.config import load_config

    config = load_config(Path(root))
    for section in SECTIONS:
        if cached.get(section) != config.section(section):
            stale = cached.get("key") != cache_key(root)
            why = "is stale (its sources changed)" if stale else "differs from its sources, key matching"
            return False, f"{CACHE_FILE} [{section}] {why}: tampered with or out of date; it will be rebuilt"
    return True, ""
