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
    },
}

DOCS: dict[str, str] = {
    "budgets.session_tokens": "Tokens (input+output+cache) one agent session may use; 0 = no limit.",
    "budgets.session_cost_usd": "Estimated USD one session may spend; 0 = no limit.",
    "budgets.day_tokens": "Tokens all sessions in this repo may use per UTC day; 0 = no limit.",
    "budgets.day_cost_usd": "Estimated USD all sessions may spend per UTC day; 0 = no limit.",
    "budgets.run_tokens": "Tokens all sessions of one workflow run (AO_RUN_ID) may use; 0 = no limit.",
    "budgets.run_cost_usd": "Estimated USD one workflow run may spend; 0 = no limit.",
}
