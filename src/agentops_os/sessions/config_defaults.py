"""Configuration of the session ledger and usage reports (pure data; imported on the hook path)."""

from __future__ import annotations

from typing import Any

DEFAULTS: dict[str, Any] = {
    "sessions": {
        "idle_gap_seconds": 300,
        "commit_grace_seconds": 120,
        "title_chars": 80,
        "ingest_workers": 0,
    },
    "usage": {
        "cost_mode": "auto",
        "dedup": "final",
        "pricing": {},
    },
    "metrics": {
        "collapse_fraction": 0.80,
    },
}

DOCS: dict[str, str] = {
    "sessions.idle_gap_seconds": "Gaps between transcript events longer than this are not active time.",
    "sessions.commit_grace_seconds": "Commits up to this long after a session's last event count as its own.",
    "sessions.title_chars": "Length of the redacted session title taken from the first prompt.",
    "sessions.ingest_workers": "Processes that parse transcripts in a large ingest: 0 = one per usable CPU "
                               "(at most 4), 1 = parse in the ingesting process, N = N.",
    "usage.cost_mode": "auto (costUSD when the transcript has it, else calculated), calculate, or display.",
    "usage.dedup": "final (last state of each streamed response; correct) or first (first line, as ccusage).",
    "usage.pricing": "Per-model USD per million tokens overriding the shipped table, e.g. "
                     "{ \"my-model\" = { input = 1.0, output = 2.0 } }.",
    "metrics.collapse_fraction": "Peak context utilisation above which a session counts as collapsed.",
}
