"""Which workflow run and phase a session belongs to: `.agents/sessions/tags/<session>.json`.

A workflow knows the session id of every agent it starts; the transcript does not say that
it was a phase of a run. One small file per session (merge-friendly), written by the
workflow, read by `ao sessions list/show`, `ao usage --run` and `ao metrics`. The file
also keeps the phase's context peak and the limit it ran under, so metrics can say which
share of phases stayed under the 40 % line without re-reading transcripts.
"""

from __future__ import annotations

import re
from typing import Any

KIND = "sessions/tags"
_SAFE = re.compile(r"[^A-Za-z0-9._-]")


def write(store: Any, session_id: str, **data: Any) -> None:
    store.write_record(KIND, _SAFE.sub("-", session_id)[:120], {"session_id": session_id, **data})


def load(store: Any, errors: list[str] | None = None) -> dict[str, dict[str, Any]]:
    """session id -> tag record."""
    return {str(data.get("session_id") or path.stem): data for path, data in store.iter_records(KIND, errors)}


def label(tag: dict[str, Any] | None) -> str:
    if not tag:
        return ""
    return f"{tag.get('run', '')}:{tag.get('phase', '')}"
