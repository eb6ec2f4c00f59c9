"""The one cached settings snapshot the hooks read, checked against its sources.

Loading agentops.toml means importing tomllib and every domain's defaults: most of the
hook budget, on every tool call. So the sections hooks read (`SECTIONS`) are resolved
once by the full loader (`agentops_os.config.snapshot.build`) and stored in
`.agents/.index/hook-settings.marshal`, keyed by a SHA-256 of agentops.toml's bytes, the
ao version and the stamps of the defaults modules that fill those sections
(`DEFAULTS_FILES`). An edit is seen on the very next call; a cache that does not match
its sources (edited, forged, restored mtimes) is rebuilt; a malformed file is never
cached (the loader raises `FatalError` every time); an unreadable agentops.toml gives
the built-in defaults, never allow-all. `ao doctor` compares the cache with a fresh load.

`marshal` rather than JSON: it is built in, so reading the snapshot imports nothing.
"""

from __future__ import annotations

import marshal
import os

from agentops_os import __version__
from agentops_os.base.layout import config_path, index_path
from agentops_os.base.stamps import content_digest, stamp

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

CACHE_FILE = "hook-settings.marshal"
SECTIONS = ("guard", "budgets", "audit", "redaction", "context", "hooks", "improve", "otel")
# The defaults modules that fill SECTIONS (tests/base/test_base_layer.py checks the list is
# complete): their stamps are part of the key, so an upgrade or a dev edit rebuilds.
DEFAULTS_FILES = (
    "config/defaults.py",
    "guard/config_defaults.py",
    "budgets/config_defaults.py",
    "audit/config_defaults.py",
    "context/config_defaults.py",
    "improve/config_defaults.py",
    "otel/config_defaults.py",
)
_PACKAGE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEFAULT_WINDOW = 200_000


class Settings:
    """The resolved values of SECTIONS, with the lookups hooks use. The same interface
    as `agentops_os.config.Config` for `get`, `section` and `window_for`."""

    def __init__(self, data: dict[str, Any]) -> None:
        self.data = data

    @property
    def path(self) -> str | None:
        value = self.data.get("path")
        return value if isinstance(value, str) else None

    @property
    def sources(self) -> dict[str, str]:
        value = self.data.get("sources")
        return value if isinstance(value, dict) else {}

    def section(self, name: str) -> dict[str, Any]:
        value = self.data.get(name)
        return value if isinstance(value, dict) else {}

    def get(self, dotted: str, default: Any = None) -> Any:
        node: Any = self.data
        for part in dotted.split("."):
            if not isinstance(node, dict) or part not in node:
                return default
            node = node[part]
        return node

    def window_for(self, model: str | None) -> int:
        return window_for(self.section("context"), model)


def window_for(context: dict[str, Any], model: str | None) -> int:
    """A model's context window from `[context]`: the longest matching prefix of
    `context.windows`, for `context.default_model` when no model is known."""
    name = (model or str(context.get("default_model") or "")).lower()
    windows = context.get("windows")
    windows = windows if isinstance(windows, dict) else {}
    best = ""
    for prefix in windows:
        if name.startswith(prefix.lower()) and len(prefix) > len(best):
            best = prefix
    return int(windows[best]) if best else DEFAULT_WINDOW


def snapshot_key(root: str) -> str:
    parts = [__version__, content_digest(config_path(root))]
    parts += [stamp(os.path.join(_PACKAGE, name)) for name in DEFAULTS_FILES]
    return "|".join(parts)


def read_cached(root: str) -> dict[str, Any] | None:
    """The cached snapshot as stored (key included), or None when absent or unreadable."""
    try:
        with open(index_path(root, CACHE_FILE), "rb") as handle:
            cached = marshal.load(handle)
    except (OSError, ValueError, EOFError, TypeError):
        return None
    return cached if isinstance(cached, dict) else None


_MEMO: dict[str, dict[str, Any]] = {}  # root -> the last snapshot this process used


def settings(root: str, *, store: bool = True) -> Settings:
    """The settings of the repository at `root`: the cached snapshot when it matches its
    sources, else a fresh one from the full loader, stored for the next call (hooks) or,
    with `store=False`, only kept in this process (a command looking at a repository it
    must not write to, such as `ao search` in one without `.agents/`).
    Raises `FatalError` for a malformed agentops.toml."""
    key = snapshot_key(root)
    memo = _MEMO.get(root)
    if memo is not None and memo.get("key") == key:
        return Settings(memo)
    cached = read_cached(root)
    if cached is None or cached.get("key") != key:
        from agentops_os.config.snapshot import build

        cached = build(root, key, store)
    _MEMO[root] = cached
    return Settings(cached)


def default_settings() -> Settings:
    """The built-in defaults only (no repository: nothing to read, nothing cached)."""
    from agentops_os.config.snapshot import defaults

    return Settings(defaults())
