"""Core configuration defaults. Every key is documented here and in docs/config.md.

Feature domains add their own sections in `agentops_os/<domain>/config_defaults.py`
(a `DEFAULTS` dict and a `DOCS` dict of "section.key" -> one line); the loader finds them
by file name so that adding a domain touches no shared file.
"""

from __future__ import annotations

TYPE_CHECKING = False  # `typing` costs ~4 ms; this module is read on the hook path
if TYPE_CHECKING:
    from typing import Any

DEFAULTS: dict[str, Any] = {
    "context": {
        # Fraction of a model's context window a phase may use (the 40% rule).
        "budget_fraction": 0.40,
        "default_model": "claude-sonnet-4-5",
        # Context window in tokens, matched by longest model-name prefix.
        "windows": {
            "claude": 200_000,
            "claude-sonnet-4": 200_000,
            "claude-opus-4": 200_000,
            "claude-haiku-4": 200_000,
            "claude-3": 200_000,
            "gpt-5": 272_000,
            "gpt-4.1": 1_047_576,
            "gpt-4o": 128_000,
            "o3": 200_000,
            "o4-mini": 200_000,
            "codex": 272_000,
        },
    },
    "redaction": {
        # Extra regular expressions whose matches are redacted before anything is stored.
        "extra_patterns": [],
    },
    "commit": {
        # Parts a commit message must carry (Law 3); any of context/solution/learning/impact.
        "required_parts": ["context", "solution", "learning", "impact"],
    },
    "hooks": {
        # Record SessionStart/SessionEnd events under .agents/sessions/events/.
        "record_session_events": True,
    },
}

DOCS: dict[str, str] = {
    "context.budget_fraction": "Fraction of the model's window one phase may use (0 < f <= 1).",
    "context.default_model": "Model assumed when a command is not told which one.",
    "context.windows": "Context window in tokens per model-name prefix (longest prefix wins).",
    "redaction.extra_patterns": "Extra regexes redacted from everything written to .agents/.",
    "commit.required_parts": "Parts `ao commit check` requires: context, solution, learning, impact.",
    "hooks.record_session_events": "Record session start/end events from Claude Code hooks.",
}
