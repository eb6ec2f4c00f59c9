"""Offline token pricing: the table shipped in `agentops_os/data/pricing.json`, overlaid
by `usage.pricing` from the repo config. Nothing is fetched at run time.

Cost is linear in each token count within a tier, so reports sum tokens per
(model, tier) group and price the sums: the same result as pricing every request.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import orjson

PRICING_FILE = Path(__file__).resolve().parent.parent / "data" / "pricing.json"
_DATE_SUFFIX = re.compile(r"-(\d{8}|\d{4}-\d{2}-\d{2})$")
_FIELDS = ("input", "output", "cache_write_5m", "cache_write_1h", "cache_read")


@dataclass(frozen=True)
class Rates:
    input: float
    output: float
    cache_write_5m: float
    cache_write_1h: float
    cache_read: float

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Rates:
        """Missing cache rates default to Anthropic's multipliers of the input rate."""
        base = float(data.get("input", 0.0))
        return cls(
            input=base,
            output=float(data.get("output", 0.0)),
            cache_write_5m=float(data.get("cache_write_5m", base * 1.25)),
            cache_write_1h=float(data.get("cache_write_1h", base * 2.0)),
            cache_read=float(data.get("cache_read", base * 0.1)),
        )


@dataclass(frozen=True)
class ModelPrice:
    base: Rates
    long: Rates | None  # above transcripts.usage.LONG_CONTEXT prompt tokens; None = same as base


def _load_table() -> dict[str, Any]:
    data = orjson.loads(PRICING_FILE.read_bytes())
    models: dict[str, Any] = data["models"]
    return models


@lru_cache(maxsize=1)
def shipped_table() -> dict[str, Any]:
    return _load_table()


class Pricing:
    """Looks up a model's rates by longest prefix; unknown models cost 0 and are reported.

    A prefix must end at a word boundary (see `_extends`): a bare family prefix quietly
    pricing a newer version (claude-opus-4 at $15/$75 for claude-opus-4-9, gpt-5 for
    gpt-5.7) is a wrong number nobody notices; an unpriced model is named on stderr."""

    def __init__(self, overrides: dict[str, Any] | None = None) -> None:
        table = dict(shipped_table())
        for name, rates in (overrides or {}).items():
            if isinstance(rates, dict):
                table[name] = {**table.get(name, {}), **rates}
        self.table: dict[str, ModelPrice] = {}
        for name, rates in table.items():
            long = rates.get("above_200k")
            self.table[name.lower()] = ModelPrice(
                Rates.from_dict(rates), Rates.from_dict(long) if isinstance(long, dict) else None)
        self._cache: dict[str, ModelPrice | None] = {}
        self.unknown: set[str] = set()

    def lookup(self, model: str | None) -> ModelPrice | None:
        if not model:
            return None
        if model in self._cache:
            return self._cache[model]
        name = _DATE_SUFFIX.sub("", model.lower())
        name = name.split("/")[-1]  # "anthropic/claude-..." provider prefixes
        best = ""
        for prefix in self.table:
            if len(prefix) > len(best) and _extends(name, prefix):
                best = prefix
        found = self.table[best] if best else None
        if found is None and model != "<synthetic>":
            self.unknown.add(model)
        self._cache[model] = found
        return found

    def cost(self, model: str | None, tokens: dict[str, int], long_context: bool = False) -> float:
        """USD for `tokens` (input, output, cache_write_5m, cache_write_1h, cache_read)."""
        price = self.lookup(model)
        if price is None:
            return 0.0
        rates = price.long if long_context and price.long is not None else price.base
        total = 0.0
        for name in _FIELDS:
            total += tokens.get(name, 0) * getattr(rates, name)
        return total / 1_000_000


def _extends(name: str, prefix: str) -> bool:
    """`name` is `prefix` or a variant of it (`-latest`, `-v1`, `-thinking`), not a newer
    version (`-9`, `.7`)."""
    if not name.startswith(prefix):
        return False
    rest = name[len(prefix):]
    return not rest or (rest[0] in "-@:" and not rest[1:2].isdigit())


def load_pricing(config: Any) -> Pricing:
    overrides = config.get("usage.pricing", {}) if config is not None else {}
    return Pricing(overrides if isinstance(overrides, dict) else {})
