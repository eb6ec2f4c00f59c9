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


class DefaultsOnly:
    """The `Config` interface used by hooks (`get`, `window_for`), defaults only."""

    def __init__(self) -> None:
        from agentops_os.context import config_defaults as ours

        core = _core_defaults()
        self.values: dict[str, Any] = {k: dict(v) for k, v in core.DEFAULTS.items()}
        for section, values in ours.DEFAULTS.items():
            self.values.setdefault(section, {}).update(values)

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


def sets_context(root: str | os.PathLike[str]) -> bool:
    """Whether `agentops.toml` may set a `context.*` key: a line that is not a comment
    mentions `context` (every TOML spelling of such a key does, short of unicode escapes
    in a quoted key). A comments-only file, as `ao init` generates it, sets nothing."""
    try:
        with open(os.path.join(root, CONFIG_FILE), encoding="utf-8", errors="replace") as handle:
            text = handle.read()
    except OSError:
        return False
    return any("context" in line and not line.lstrip().startswith("#") for line in text.splitlines())


def hook_config(root: Path | str) -> Any:
    """The configuration for the `context.*` keys hooks read (defaults when the file
    cannot change any of them)."""
    if sets_context(root):
        from pathlib import Path

        from agentops_os.config import load_config

        return load_config(Path(root))
    return DefaultsOnly()
