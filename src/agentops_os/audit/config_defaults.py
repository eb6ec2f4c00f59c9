"""Audit ledger defaults (`[audit]`). Pure data: imported on the hook path."""

from __future__ import annotations

from typing import Any

DEFAULTS: dict[str, Any] = {
    "audit": {
        "writer": "",
        "record_asks": True,
    },
}

DOCS: dict[str, str] = {
    "audit.writer": "Name of this machine's ledger chain (default: user@host); one file per writer.",
    "audit.record_asks": "Also record guard 'ask' answers, not only denials.",
}
