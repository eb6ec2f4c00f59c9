"""Defaults of the knowledge domain: forge thresholds, search ranking. Pure data (hook path)."""

from __future__ import annotations

from typing import Any

DEFAULTS: dict[str, Any] = {
    "forge": {
        "min_score": 0.5,
        "max_candidates": 200,
    },
    "learn": {
        "duplicate_threshold": 0.6,
        "default_utility": 0.5,
        "feedback_step": 0.2,
    },
    "search": {
        "half_life_days": 180.0,
        "freshness_floor": 0.3,
        "max_candidates": 300,
        "index_paths": True,
        "history_workers": 0,
        "field_weights": {"title": 4.0, "body": 1.0, "tags": 3.0, "paths": 1.5, "author": 0.5},
        "type_weights": {"learning": 1.6, "handoff": 1.2, "plan": 1.1, "bundle": 1.0,
                         "session": 0.8, "candidate": 0.7, "commit": 1.0},
    },
}

DOCS: dict[str, str] = {
    "forge.min_score": "Candidates scoring below this (0..1) are not written to .agents/pending/.",
    "forge.max_candidates": "At most this many new candidates per `ao forge` run (best first).",
    "learn.duplicate_threshold": "Token-set Jaccard at or above which `ao learn add` offers a merge.",
    "learn.default_utility": "Utility (0..1) a new learning starts with.",
    "learn.feedback_step": "How far one `ao feedback` moves utility toward 1 (helpful) or 0 (harmful).",
    "search.half_life_days": "Freshness half-life in days: a hit this old counts half (above the floor).",
    "search.freshness_floor": "Lowest freshness factor, so old but relevant hits still surface (0..1).",
    "search.max_candidates": "Most recent matching commits scored per query (caps time on huge histories).",
    "search.index_paths": "Index the changed paths of every commit (costs a tree diff per commit).",
    "search.history_workers": "Git processes that diff commits for their changed paths on a first index: "
                              "0 = one per usable CPU (at most 4); 1 = one `git log` does everything.",
    "search.field_weights": "BM25 weight per field: title, body, tags, paths, author.",
    "search.type_weights": "Multiplier per hit type (learning, handoff, commit, ...).",
}
