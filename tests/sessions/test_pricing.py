"""The shipped price table and its lookup rule (docs/usage.md#cost)."""

from __future__ import annotations

import pytest

from agentops_os.sessions.pricing import Pricing

MTOK = {"input": 1_000_000}


@pytest.mark.parametrize(("model", "input_rate"), [
    ("claude-opus-4-6", 5.0), ("claude-opus-4-8", 5.0), ("claude-opus-5-5", 4.0),
    ("claude-opus-4-20250514", 15.0), ("claude-opus-4-1-20250805", 15.0), ("claude-sonnet-5", 2.0),
    ("claude-haiku-4-5-20251001", 1.0), ("anthropic/claude-sonnet-4-6", 3.0),
    ("gpt-5.3-codex", 1.25), ("gpt-5.6-sol", 4.0), ("gpt-6-luna", 0.1), ("gpt-4o-mini-2024-07-18", 0.15),
    ("claude-sonnet-4-5-v1", 3.0), ("codex-mini-latest", 1.5),
])
def test_current_models_are_priced(model: str, input_rate: float) -> None:
    pricing = Pricing()
    assert pricing.cost(model, MTOK) == pytest.approx(input_rate)
    assert not pricing.unknown


@pytest.mark.parametrize("model", ["claude-opus-4-9", "gpt-5.7", "gpt-6.2-sol", "claude-sonnet-6"])
def test_a_newer_version_is_unpriced_not_priced_as_its_family(model: str) -> None:
    pricing = Pricing()
    assert pricing.cost(model, MTOK) == 0.0
    assert pricing.unknown == {model}


def test_catalog_cache_rates_and_overrides() -> None:
    pricing = Pricing({"gpt-6.2-sol": {"input": 2.0, "output": 10.0}, "claude-opus-4-6": {"output": 30.0}})
    assert pricing.cost("claude-sonnet-5-5", {"cache_read": 1_000_000}) == pytest.approx(0.1)
    assert pricing.cost("gpt-6.2-sol", {"output": 1_000_000}) == pytest.approx(10.0)
    assert pricing.cost("claude-opus-4-6", {"input": 1_000_000, "output": 1_000_000}) == pytest.approx(35.0)
    assert not pricing.unknown
