"""Configuration for the hook path without parsing TOML when there is nothing to parse.

Hooks read only `context.*` keys. Most repositories do not override any: the file is
missing, is the generated one with every key commented out, or sets other sections
only. Then the defaults (pure-data modules) are all we need, and the TOML parser and
every other domain's defaults stay unimported. When a line that is not a comment
mentions `context` (a `[context]` table, a dotted `context.x` key or an inline table),
this is `load_config`.

Imports only `os` at module level (no `pathlib`, `typing`): UserPromptSubmit runs this
on every prompt.
"""

from __future__ import annotations

import os

TYPE_CHECKING = False
if TYPE_CHECKING:
    from pathlib import Path
    from typing import Any

CONFIG_FILE = "agentops.toml"  # = agentops_os.repo.CONFIG_FILE (not imported: pathlib)


class HookSettings:
    """The `Config` interface used by hooks (`get`, `window_for`) over plain values."""

    def __init__(self, values: dict[str, Any]) -> None:
        self.values = values

    def get(self, dotted: str, default: Any = None) -> Any:
        node: Any = self.values
        for part in dotted.split("."):
            if not isinstance(node, dict) or part not in node:
                return default
            node = node[part]
        return node

    def window_for(self, model: str | None) -> int:
        name = (model or str(self.get("context.default_model"))).lower()
        windows: dict[str, int] = self.get("context.windows") or {}
        best = ""
        for prefix in windows:
            if name.startswith(prefix.lower()) and len(prefix) > len(best):
                best = prefix
        return int(windows[best]) if best else 200_000


class DefaultsOnly(HookSettings):
    """Defaults only: the core defaults merged with the context domain's."""

    def __init__(self) -> None:
        from agentops_os.context import config_defaults as ours

        core = _core_defaults()
        values: dict[str, Any] = {k: dict(v) for k, v in core.DEFAULTS.items()}
        for section, section_values in ours.DEFAULTS.items():
            values.setdefault(section, {}).update(section_values)
        super().__init__(values)


def _core_defaults() -> Any:
    """`agentops_os/config/defaults.py` without running the `config` package's
    `__init__` (which imports the TOML parser): loaded straight from its file."""
    import sys

    name = "agentops_os.config.defaults"
    if name in sys.modules:
        return sys.modules[name]
    # The frozen import machinery is always loaded; `importlib.machinery` and `types`
    # would be two more imports on every prompt.
    bootstrap: Any = sys.modules.get("_frozen_importlib_external")
    if bootstrap is None:  # pragma: no cover - not CPython
        from importlib import machinery as bootstrap
    path = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                        "config", "defaults.py")
    loader = bootstrap.SourceFileLoader("_ao_core_config_defaults", path)
    module = type(sys)(loader.name)
    loader.exec_module(module)
    return module


def _config_text(root: str) -> str | None:
    try:
        with open(os.path.join(root, CONFIG_FILE), encoding="utf-8", errors="replace") as handle:
            return handle.read()
    except OSError:
        return None


def sets_context(text: str | None) -> bool:
    """Whether `agentops.toml` text may set a `context.*` key: a line that is not a
    comment mentions `context` (every TOML spelling of such a key does, short of unicode
    escapes in a quoted key). A comments-only file, as `ao init` generates it, sets nothing."""
    return text is not None and any(
        "context" in line and not line.lstrip().startswith("#") for line in text.splitlines())


def hook_config(root: Path | str) -> Any:
    """The configuration for the `context.*` keys hooks read: the defaults when the file
    cannot change any of them; else the `[context]` section resolved by `load_config`,
    cached in `.agents/.index/` under the file's exact text (so tomllib and every
    domain's defaults are loaded once per edit of the file, not on every prompt)."""
    root = os.fspath(root)
    text = _config_text(root)
    if not sets_context(text):
        return DefaultsOnly()
    key = _cache_key(text or "")
    cached = _read_cached(root, key)
    if cached is not None:
        return HookSettings({"context": cached})
    from pathlib import Path

    from agentops_os.config import load_config

    config = load_config(Path(root))
    _store_cached(root, key, config.values.get("context"))
    return config


CONFIG_CACHE = "hook-config.json"


def _cache_key(text: str) -> str:
    """The file's text plus what the defaults come from (version; defaults modules)."""
    from agentops_os import __version__

    package = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    stamps = []
    for rel in (("config", "defaults.py"), ("context", "config_defaults.py")):
        try:
            st = os.stat(os.path.join(package, *rel))
            stamps.append(f"{st.st_mtime_ns}:{st.st_size}")
        except OSError:
            stamps.append("-")
    return f"{__version__} {' '.join(stamps)}\n{text}"


def _read_cached(root: str, key: str) -> dict[str, Any] | None:
    from agentops_os.jsonscan import loads_or_none

    try:
        with open(os.path.join(root, ".agents", ".index", CONFIG_CACHE), encoding="utf-8") as handle:
            data = loads_or_none(handle.read())
    except (OSError, ValueError):
        return None
    if isinstance(data, dict) and data.get("key") == key and isinstance(data.get("context"), dict):
        return data["context"]  # type: ignore[no-any-return]
    return None


def _store_cached(root: str, key: str, context: object) -> None:
    """Best effort: only in a repository that has `.agents/`, only JSON-able values."""
    if not isinstance(context, dict) or not os.path.isdir(os.path.join(root, ".agents")):
        return
    from pathlib import Path

    from agentops_os.jsonscan import dumps
    from agentops_os.store.atomic import write_atomic

    try:  # noqa: SIM105 - contextlib is one more import on the hook path
        data = dumps({"key": key, "context": context})
        write_atomic(Path(root, ".agents", ".index", CONFIG_CACHE), data.encode("utf-8"))
    except (OSError, TypeError, ValueError):
        pass
