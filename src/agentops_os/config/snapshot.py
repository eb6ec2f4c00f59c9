"""Build the hooks' settings snapshot (`agentops_os.base.snapshot`) with the full loader.

Only here, off the hook's common path: on the first call after agentops.toml or ao
changed. The stored snapshot is what `load_config` resolves for `SECTIONS`, with each
key's source, so `ao doctor` can compare the cache with a fresh load.
"""

from __future__ import annotations

import marshal
import os
from pathlib import Path
from typing import Any

from agentops_os.base.layout import index_path
from agentops_os.base.snapshot import CACHE_FILE, SECTIONS, read_cached, snapshot_key
from agentops_os.config import Config, load_config


def _data(config: Config) -> dict[str, Any]:
    data: dict[str, Any] = {section: config.section(section) for section in SECTIONS}
    data["sources"] = {k: v for k, v in config.sources.items() if k.split(".", 1)[0] in SECTIONS}
    data["path"] = str(config.path) if config.path else None
    return data


def defaults() -> dict[str, Any]:
    return _data(load_config(None))


def build(root: str, key: str, store: bool = True) -> dict[str, Any]:
    """Resolve, store (best effort, unless `store` is false) and return the snapshot for
    `root` under `key`."""
    try:
        config = load_config(Path(root))  # FatalError on a malformed file: never cached
    except OSError:  # unreadable agentops.toml: the built-in defaults, never allow-all
        config = load_config(None)
    data = _data(config)
    data["key"] = key
    if not store:
        return data
    try:
        from agentops_os.store.atomic import write_atomic

        directory = index_path(root)
        os.makedirs(directory, exist_ok=True)
        ignore = Path(directory) / ".gitignore"
        if not ignore.exists():  # derived data must never be committed, even before `ao init`
            write_atomic(ignore, b"*\n")
        write_atomic(Path(directory) / CACHE_FILE, marshal.dumps(data))
    except (OSError, ValueError):
        pass  # a read-only checkout still gets its settings, just without the cache
    return data


def cache_is_current(root: str) -> tuple[bool, str]:
    """For `ao doctor`: does the cache on disk say what a fresh load of its sources says?
    (False, why) when it was edited or forged; (True, "") when it matches or is absent."""
    if not os.path.exists(index_path(root, CACHE_FILE)):
        return True, ""
    cached = read_cached(root)
    if cached is None:
        return False, f"{CACHE_FILE} cannot be read; it will be rebuilt"
    config = load_config(Path(root))
    for section in SECTIONS:
        if cached.get(section) != config.section(section):
            stale = cached.get("key") != snapshot_key(root)
            why = "is stale (its sources changed)" if stale else "differs from its sources, key matching"
            return False, f"{CACHE_FILE} [{section}] {why}: tampered with or out of date; it will be rebuilt"
    return True, ""
