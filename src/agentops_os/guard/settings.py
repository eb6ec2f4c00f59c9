"""The config sections the PreToolUse hook needs, cached between tool calls.

Loading agentops.toml means importing tomllib and every domain's defaults module; on every
tool call that is most of the hook's budget. The validated sections are cached in
`.agents/.index/hook-settings.marshal`, keyed by the size and mtime of agentops.toml and of
the defaults modules involved, so an edit is seen on the very next call. A malformed file
is never cached: it raises `FatalError` every time (the hook then denies).

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


def cache_key(root: str) -> str:
    parts = [__version__, _stamp(os.path.join(root, "agentops.toml"))]
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

    config = load_config(Path(root))  # FatalError on a malformed file: never cached
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
