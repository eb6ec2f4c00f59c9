"""Defaults of the context domain (merged into the core `[context]` section).

Pure data: imported on the hook path.
"""

from __future__ import annotations

TYPE_CHECKING = False  # `typing` costs ~4 ms; this module is read on the hook path
if TYPE_CHECKING:
    from typing import Any

DEFAULTS: dict[str, Any] = {
    "context": {
        "warn_fraction": 0.40,
        "stop_fraction": 0.60,
        "prime_fraction": 0.05,
        "prime_on_session_start": True,
        "tail_bytes": 262_144,
        "index_rescan_seconds": 300,
        "token_factors": {"claude": 1.10},
        "bundle_ratio": 5.0,
        "handoff_on_compact": True,
        "handoff_on_session_end": True,
        "llm_command": "",
    },
}

DOCS: dict[str, str] = {
    "context.warn_fraction": "Session utilisation past which the UserPromptSubmit hook suggests a handoff.",
    "context.stop_fraction": "Utilisation past which the hook firmly asks for a handoff and a fresh start.",
    "context.prime_fraction": "Default `ao prime` budget as a fraction of the model's window (5%).",
    "context.prime_on_session_start": "SessionStart hook returns the prime packet as additionalContext.",
    "context.tail_bytes": "Bytes read from the end of a transcript by the UserPromptSubmit hook.",
    "context.index_rescan_seconds": "Seconds between full mtime rescans of learnings/handoffs for prime.",
    "context.token_factors": "Multiplier on the offline token estimate per model-name prefix.",
    "context.bundle_ratio": "Default compression ratio target of `ao bundle create`.",
    "context.handoff_on_compact": "Write a handoff automatically from the PreCompact hook.",
    "context.handoff_on_session_end": "Write a handoff automatically from the SessionEnd hook.",
    "context.llm_command": "Shell command that compresses stdin for `ao bundle create --llm` (empty: none).",
}
