"""Count tokens of a set of sources and check them against a budget (the 40% rule)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from agentops_os.config import Config
from agentops_os.context.sources import Collected
from agentops_os.context.tokens import METHOD, estimate_tokens, factor_for
from agentops_os.errors import FatalError


@dataclass
class Count:
    name: str
    tokens: int
    chars: int


@dataclass
class Report:
    counts: list[Count]
    binary: list[str]
    model: str
    window: int
    fraction: float
    factor: float
    budget: int = 0
    total: int = 0
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def utilisation(self) -> float:
        return self.total / self.window if self.window else 0.0

    @property
    def over(self) -> bool:
        return self.total > self.budget

    def biggest(self, limit: int = 10) -> list[Count]:
        return sorted(self.counts, key=lambda c: (-c.tokens, c.name))[:limit]

    def to_json(self, limit: int = 10) -> dict[str, Any]:
        return {
            "method": METHOD,
            "model": self.model,
            "window": self.window,
            "fraction": self.fraction,
            "factor": self.factor,
            "budget": self.budget,
            "total": self.total,
            "utilisation": round(self.utilisation, 4),
            "over_budget": self.over,
            "files": len(self.counts),
            "biggest": [{"path": c.name, "tokens": c.tokens} for c in self.biggest(limit)],
            "binary_skipped": self.binary,
        }


def count_sources(collected: Collected, factor: float = 1.0) -> list[Count]:
    return [Count(s.name, round(estimate_tokens(s.text) * factor), len(s.text)) for s in collected.sources]


def resolve_budget(config: Config, model: str | None, window: int | None,
                   fraction: float | None) -> tuple[str, int, float, float]:
    """(model, window, fraction, factor) with range checks: bad values are usage errors."""
    name = model or str(config.get("context.default_model"))
    if window is not None and window <= 0:
        raise FatalError(f"--window must be a positive number of tokens, got {window}")
    size = window if window is not None else config.window_for(name)
    frac = float(fraction if fraction is not None else config.get("context.budget_fraction"))
    if not 0 < frac <= 1:
        where = "--fraction" if fraction is not None else "context.budget_fraction"
        raise FatalError(f"{where} must be in (0, 1], got {frac}")
    factor = factor_for(name, config.get("context.token_factors", {}))
    return name, size, frac, factor


def check(collected: Collected, config: Config, *, model: str | None = None,
          window: int | None = None, fraction: float | None = None) -> Report:
    name, size, frac, factor = resolve_budget(config, model, window, fraction)
    counts = count_sources(collected, factor)
    report = Report(counts, collected.binary, name, size, frac, factor)
    report.budget = int(size * frac)
    report.total = sum(c.tokens for c in counts)
    return report
