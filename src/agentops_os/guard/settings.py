"""The config sections the PreToolUse hook needs, cached between tool calls.

Loading agentops.toml means importing tomllib and every domain's defaults module; on every
tool call that is most of the hook's start-up time. The validated sections are cached in
`.agents/.index/hook-settings.json`, keyed by the size and mtime of agentops.toml and of
the defaults modules involved, so an edit is seen on the very next call. A malformed file
is never cached: it raises `FatalError` every time (the hook then denies).
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from agentops_os import __version__
from agentops_os.repo import CONFIG_FILE, index_dir

CACHE_FILE = "hook-settings.json"
SECTIONS = ("guard", "budgets", "audit")
_PACKAGE = Path(__file__).resolve().parent.parent


def _stamp(path: Path) -> str:
    try:
        st = os.stat(path)
    except OSError:
        return "-"
    return f"{st.st_size}:{st.st_mtime_ns}"


def cache_key(root: Path) -> str:
    parts = [__version__, _stamp(root / CONFIG_FILE)]
    parts += [_stamp(_PACKAGE / name / "config_defaults.py") for name in SECTIONS]
    return "|".join(parts)


def hook_settings(root: Path) -> dict[str, Any]:
    """{"guard": {...}, "budgets": {...}, "audit": {...}, "sources": {...}, "path": str|None}."""
    key = cache_key(root)
    cache = index_dir(root) / CACHE_FILE
    try:
        data = json.loads(cache.read_bytes())
        if isinstance(data, dict) and data.get("key") == key:
            return data
    except (OSError, ValueError):
        pass
    from agentops_os.config import load_config

    config = load_config(root)  # FatalError on a malformed file: never cached
    data = {section: config.section(section) for section in SECTIONS}
    data["sources"] = {k: v for k, v in config.sources.items() if k.split(".", 1)[0] in SECTIONS}
    data["path"] = str(config.path) if config.path else None
    data["key"] = key
    try:
        from agentops_os.store.atomic import write_atomic

        directory = index_dir(root)
        directory.mkdir(parents=True, exist_ok=True)
        ignore = directory / ".gitignore"
        if not ignore.exists():  # derived data must never be committed, even before `ao init`
            write_atomic(ignore, b"*\n")
        write_atomic(cache, json.dumps(data, sort_keys=True).encode("utf-8"))
    except OSError:
        pass  # a read-only checkout still gets judged, just without the cache
    return data
