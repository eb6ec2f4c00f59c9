"""Defaults of the improvement backlog (`ao improve`). Pure data: the Stop hook reads it,
so not even `typing` is imported (~4 ms on the hook path)."""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

DEFAULTS: dict[str, Any] = {
    "improve": {
        # Points per occurrence; an item's score is the sum over its occurrences
        # (frequency x cost). Session signals add `tokens_per_point` tokens = 1 point.
        "costs": {"gate": 3.0, "guard": 2.0, "budget": 3.0, "collapse": 5.0, "tool_error": 0.5,
                  "harmful": 1.0, "trailer": 1.0, "manual": 1.0},
        "tokens_per_point": 100_000,
        "tool_error_threshold": 5,
        "stop_hook_tool_errors": 10,
        "evidence_kept": 20,
        "prime_items": 3,
    },
}

DOCS: dict[str, str] = {
    "improve.costs": "Points per occurrence of each signal kind (gate, guard, budget, collapse, "
                     "tool_error, harmful, trailer, manual); an item's score is their sum.",
    "improve.tokens_per_point": "Tokens of a collapsed or error-heavy session that add one point to it.",
    "improve.tool_error_threshold": "A session with at least this many tool errors is a tool-error signal.",
    "improve.stop_hook_tool_errors": "The Stop hook adds a backlog item once a session's transcript has "
                                     "this many tool errors (0 = off).",
    "improve.evidence_kept": "Most recent evidence entries written into an item file (totals count all).",
    "improve.prime_items": "Open items relevant to the task that `ao prime` mentions (0 = none).",
}
