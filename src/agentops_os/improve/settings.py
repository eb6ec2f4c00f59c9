"""The `improve.*` settings, checked: a value that parsed but makes no sense is one line
naming agentops.toml and its line (exit 2), never a crash or a silent default."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from agentops_os.errors import FatalError
from agentops_os.improve.config_defaults import DEFAULTS

_D = DEFAULTS["improve"]


@dataclass(frozen=True)
class Settings:
    costs: dict[str, float]
    tokens_per_point: float
    tool_error_threshold: int
    stop_hook_tool_errors: int
    evidence_kept: int
    prime_items: int
    collapse_fraction: float

    @classmethod
    def of(cls, config: Any) -> Settings:
        costs = config.get("improve.costs", _D["costs"])
        if not isinstance(costs, dict):
            raise FatalError(config.located("improve.costs", "'improve.costs' must be a table of numbers"))
        merged: dict[str, float] = dict(_D["costs"])
        for name, value in costs.items():
            merged[str(name)] = _number(config, f"improve.costs.{name}", value, minimum=0.0)
        return cls(
            costs=merged,
            tokens_per_point=_number(config, "improve.tokens_per_point",
                                     config.get("improve.tokens_per_point", _D["tokens_per_point"]),
                                     minimum=1.0),
            tool_error_threshold=_whole(config, "improve.tool_error_threshold", 0),
            stop_hook_tool_errors=_whole(config, "improve.stop_hook_tool_errors", 0),
            evidence_kept=_whole(config, "improve.evidence_kept", 1),
            prime_items=_whole(config, "improve.prime_items", 0),
            collapse_fraction=_number(config, "metrics.collapse_fraction",
                                      config.get("metrics.collapse_fraction", 0.8), minimum=0.0),
        )

    def cost(self, kind: str) -> float:
        return self.costs.get(kind, 1.0)


def _number(config: Any, key: str, value: Any, minimum: float) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or value < minimum:
        raise FatalError(config.located(key, f"'{key}' must be a number >= {minimum:g}, got {value!r}"))
    return float(value)


def _whole(config: Any, key: str, minimum: int) -> int:
    value = config.get(key, _D[key.split(".", 1)[1]])
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        raise FatalError(config.located(key, f"'{key}' must be a whole number >= {minimum}, got {value!r}"))
    return value
