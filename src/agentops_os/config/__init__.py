"""Effective configuration: documented defaults overlaid by the repo's agentops.toml.

Every value remembers where it came from (`ao config show`). A malformed file is a
FatalError naming the file, line and key; nothing is guessed.
"""

from __future__ import annotations

import copy
import importlib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from agentops_os.errors import FatalError, located
from agentops_os.repo import CONFIG_FILE

_MISSING = object()


@dataclass
class Config:
    values: dict[str, Any]
    sources: dict[str, str] = field(default_factory=dict)
    docs: dict[str, str] = field(default_factory=dict)
    path: Path | None = None

    def get(self, dotted: str, default: Any = _MISSING) -> Any:
        node: Any = self.values
        for part in dotted.split("."):
            if not isinstance(node, dict) or part not in node:
                if default is _MISSING:
                    raise KeyError(dotted)
                return default
            node = node[part]
        return node

    def located(self, dotted: str, what: str) -> str:
        """`what`, prefixed with the file and line that set `dotted` (or a key under it),
        for errors about a value that parsed but makes no sense."""
        spot = self.sources.get(dotted, "") or next(
            (v for k, v in self.sources.items() if k.startswith(dotted + ".")), "")
        tail = spot.rsplit(":", 1)[-1]
        return located(self.path or CONFIG_FILE, int(tail) if tail.isdigit() else None, what)

    def section(self, name: str) -> dict[str, Any]:
        value = self.values.get(name, {})
        return value if isinstance(value, dict) else {}

    def window_for(self, model: str | None) -> int:
        """Context window of `model` by longest matching prefix; default model if None."""
        from agentops_os.base.snapshot import window_for

        return window_for(self.section("context"), model)


_DISCOVERED: tuple[dict[str, Any], dict[str, str]] | None = None


def all_defaults() -> tuple[dict[str, Any], dict[str, str]]:
    """Every domain's documented defaults (a fresh copy: callers overlay the user's file).
    Discovered once per process: one command may load the config several times."""
    global _DISCOVERED
    if _DISCOVERED is None:
        _DISCOVERED = _discover()
    merged, docs = _DISCOVERED
    return copy.deepcopy(merged), dict(docs)


def _discover() -> tuple[dict[str, Any], dict[str, str]]:
    from agentops_os.config import defaults as core

    merged = copy.deepcopy(core.DEFAULTS)
    docs = dict(core.DOCS)
    package = Path(__file__).resolve().parent.parent
    for path in sorted(package.glob("*/config_defaults.py")):
        module = importlib.import_module(f"agentops_os.{path.parent.name}.config_defaults")
        for section, values in getattr(module, "DEFAULTS", {}).items():
            merged.setdefault(section, {}).update(copy.deepcopy(values))
        docs.update(getattr(module, "DOCS", {}))
    return merged, docs


def load_config(root: Path | None) -> Config:
    defaults, docs = all_defaults()
    sources = {key: "default" for key in _flatten(defaults)}
    config = Config(defaults, sources, docs)
    if root is None:
        return config
    path = Path(root) / CONFIG_FILE
    if not path.exists():
        return config
    config.path = path
    text = path.read_text(encoding="utf-8", errors="replace")
    import tomllib  # only with a file to read: it costs ~10 ms of imports

    try:
        user = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        line = _line_from_toml_error(str(exc))
        raise FatalError(located(path, line, f"invalid TOML: {str(exc).split(' (at')[0]}")) from None
    _merge(config, user, defaults, path, text, prefix="")
    _check_redaction(config, path, text)
    return config


def _check_redaction(config: Config, path: Path, text: str) -> None:
    """A bad `[redaction] extra_patterns` regex stops every command here, naming the file
    and line, rather than failing (or being skipped) later on a hook's write path."""
    patterns = config.get("redaction.extra_patterns", [])
    if not patterns:
        return
    from agentops_os.store.redact import check_patterns

    for problem in check_patterns(patterns):
        line = _line_of_pattern(text, problem.pattern) or _line_of_key(text, "redaction.extra_patterns")
        raise FatalError(located(path, line, f"redaction.{problem}"))


def _line_of_pattern(text: str, pattern: str) -> int | None:
    """Line of a pattern inside a (possibly multi-line) `extra_patterns = [...]` array."""
    for number, raw in enumerate(text.splitlines(), start=1):
        if pattern and (f'"{pattern}"' in raw or f"'{pattern}'" in raw):
            return number
    return None


def _merge(
    config: Config, user: dict[str, Any], defaults: dict[str, Any], path: Path, text: str, prefix: str
) -> None:
    for key, value in user.items():
        dotted = f"{prefix}{key}"
        if key not in defaults:
            line = _line_of_key(text, dotted)
            raise FatalError(located(path, line, f"unknown key '{dotted}'"))
        expected = defaults[key]
        if isinstance(expected, dict):
            if not isinstance(value, dict):
                raise FatalError(located(path, _line_of_key(text, dotted), f"'{dotted}' must be a table"))
            if _is_open_table(expected, dotted, config):
                # Open tables (model windows, gate sets, ...) take any key; a value's type
                # must still match the defaults' value type when all of those agree.
                _check_open_table(value, expected, dotted, path, text)
                _set(config.values, dotted, {**expected, **value})
                for sub in _flatten(value, dotted + "."):
                    config.sources[sub] = f"{path.name}:{_line_of_key(text, sub)}"
                continue
            _merge(config, value, expected, path, text, dotted + ".")
            continue
        if not _same_type(expected, value):
            line = _line_of_key(text, dotted)
            want = type(expected).__name__
            raise FatalError(located(path, line, f"'{dotted}' must be {want}, got {value!r}"))
        _set(config.values, dotted, value)
        config.sources[dotted] = f"{path.name}:{_line_of_key(text, dotted)}"


def _is_open_table(expected: dict[str, Any], dotted: str, config: Config) -> bool:
    # A table is open when its defaults are documented as a whole (no documented subkeys).
    if dotted in config.docs:
        return True
    return not expected or not any(k.startswith(dotted + ".") for k in config.docs)


def _check_open_table(
    value: dict[str, Any], expected: dict[str, Any], dotted: str, path: Path, text: str
) -> None:
    kinds = {_kind(v) for v in expected.values()}
    if len(kinds) != 1:
        return
    (kind,) = kinds
    for key, item in value.items():
        if _kind(item) != kind and not (kind == "number" and _kind(item) == "number"):
            sub = f"{dotted}.{key}"
            raise FatalError(located(path, _line_of_key(text, sub), f"'{sub}' must be {kind}"))


def _kind(value: Any) -> str:
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int | float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "list"
    if isinstance(value, dict):
        return "table"
    return type(value).__name__


def _same_type(expected: Any, value: Any) -> bool:
    if isinstance(expected, bool) or isinstance(value, bool):
        return isinstance(expected, bool) and isinstance(value, bool)
    if isinstance(expected, float):
        return isinstance(value, int | float)
    if expected is None:
        return True
    return isinstance(value, type(expected))


def _set(values: dict[str, Any], dotted: str, value: Any) -> None:
    node = values
    parts = dotted.split(".")
    for part in parts[:-1]:
        node = node.setdefault(part, {})
    node[parts[-1]] = value


def _flatten(values: dict[str, Any], prefix: str = "") -> list[str]:
    keys: list[str] = []
    for key, value in values.items():
        dotted = f"{prefix}{key}"
        if isinstance(value, dict) and value:
            keys.extend(_flatten(value, dotted + "."))
        else:
            keys.append(dotted)
    return keys


def _line_from_toml_error(message: str) -> int | None:
    match = re.search(r"line (\d+)", message)
    return int(match.group(1)) if match else None


def _line_of_key(text: str, dotted: str) -> int | None:
    """Best-effort line of `dotted` in TOML text: a `[table]` header plus `key =`."""
    parts = dotted.split(".")
    table: list[str] = []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        header = re.match(r"^\[\[?\s*([^\]]+?)\s*\]\]?", line)
        if header:
            table = [p.strip().strip("\"'") for p in header.group(1).split(".")]
            if table == parts:
                return number
            continue
        assign = re.match(r"^([A-Za-z0-9_\-\"'. ]+?)\s*=", line)
        if assign:
            key = [p.strip().strip("\"'") for p in assign.group(1).split(".")]
            full = table + key
            if full == parts or full == parts[: len(full)]:
                return number
    return None
