"""Configuration for the hook path without parsing TOML when there is nothing to parse.

Most repositories have no `agentops.toml` override of the context keys; then the
defaults (pure-data modules) are all we need, and the TOML parser and every other
domain's defaults stay unimported. With a file present this is `load_config`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from agentops_os.repo import CONFIG_FILE


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
    import types
    from importlib.machinery import SourceFileLoader

    name = "agentops_os.config.defaults"
    if name in sys.modules:
        return sys.modules[name]
    path = Path(__file__).resolve().parent.parent / "config" / "defaults.py"
    loader = SourceFileLoader("_ao_core_config_defaults", str(path))
    module = types.ModuleType(loader.name)
    loader.exec_module(module)
    return module


def hook_config(root: Path) -> Any:
    if (root / CONFIG_FILE).exists():
        from agentops_os.config import load_config

        return load_config(root)
    return DefaultsOnly()
