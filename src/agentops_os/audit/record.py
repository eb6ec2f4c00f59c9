"""Placeholder until the ledger lands."""

from __future__ import annotations

from typing import Any


def record_guard(root: Any, tool: str, tool_input: Any, verdict: Any, session: str) -> None:
    return None
