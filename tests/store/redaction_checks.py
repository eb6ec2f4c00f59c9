"""Checks shared by the redaction class tests: a secret is stopped when no 8-character
window of it that is not found elsewhere in the text survives; benign text comes back as is."""

from __future__ import annotations

from agentops_os.store.redact import redact_text

WINDOW = 8


def survives(secret: str, text: str, out: str) -> bool:
    """The secret, or an 8-character window of it not also found elsewhere in the text."""
    if secret in out:
        return True
    rest = text.replace(secret, "\x00")
    return any(secret[i:i + WINDOW] in out and secret[i:i + WINDOW] not in rest
               for i in range(len(secret) - WINDOW + 1))


def assert_redacted(text: str, secret: str) -> str:
    out = redact_text(text)
    assert not survives(secret, text, out), (text, out)
    return out


def assert_kept(text: str) -> None:
    assert redact_text(text) == text
