"""Budget limits (`[budgets]`). Pure data: imported on the hook path. 0 = no limit."""

from __future__ import annotations

from typing import Any

DEFAULTS: dict[str, Any] = {
    "budgets": {
        "session_tokens": 0,
        "session_cost_usd": 0.0,
        "day_tokens": 0,
        "day_cost_usd": 0.0,
        "run_tokens": 0,
        "run_cost_usd": 0.0,
        # USD per million tokens: [input, output, cache write, cache read], longest model prefix wins.
        "prices": {
            "default": [15.0, 75.0, 18.75, 1.5],
            "claude-opus-4": [15.0, 75.0, 18.75, 1.5],
            "claude-opus-4-5": [5.0, 25.0, 6.25, 0.5],
            "claude-sonnet-4": [3.0, 15.0, 3.75, 0.3],
            "claude-3-7-sonnet": [3.0, 15.0, 3.75, 0.3],
            "claude-3-5-sonnet": [3.0, 15.0, 3.75, 0.3],
            "claude-haiku-4": [1.0, 5.0, 1.25, 0.1],
            "claude-3-5-haiku": [0.8, 4.0, 1.0, 0.08],
            "gpt-5": [1.25, 10.0, 0.0, 0.125],
        },
    },
}

DOCS: dict[str, str] = {
    "budgets.session_tokens": "Tokens (input+output+cache) one agent session may use; 0 = no limit.",
    "budgets.session_cost_usd": "Estimated USD one session may spend; 0 = no limit.",
    "budgets.day_tokens": "Tokens all sessions in this repo may use per UTC day; 0 = no limit.",
    "budgets.day_cost_usd": "Estimated USD all sessions may spend per UTC day; 0 = no limit.",
    "budgets.run_tokens": "Tokens all sessions of one workflow run (AO_RUN_ID) may use; 0 = no limit.",
    "budgets.run_cost_usd": "Estimated USD one workflow run may spend; 0 = no limit.",
    "budgets.prices": "USD per million tokens [input, output, cache write, cache read] by model prefix.",
}
