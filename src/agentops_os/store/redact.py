"""The one redaction step: nothing secret is ever written under `.agents/`.

Every store write goes through `redact_text` / `redact_value`. Patterns cover the key
shapes of the common providers plus generic `SECRET_NAME=value` assignments; a repo can
add its own regexes under `[redaction] extra_patterns` in agentops.toml.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

# (label, pattern). Order matters: specific provider shapes before generic assignments,
# so that the label says what was found.
_BUILTIN: tuple[tuple[str, str], ...] = (
    (
        "private-key",
        r"-----BEGIN [A-Z0-9 ]*PRIVATE KEY(?: BLOCK)?-----[\s\S]*?"
        r"(?:-----END [A-Z0-9 ]*PRIVATE KEY(?: BLOCK)?-----|\Z)",
    ),
    ("anthropic-key", r"sk-ant-[A-Za-z0-9_\-]{16,}"),
    ("openai-key", r"sk-(?:proj-|svcacct-|admin-)?[A-Za-z0-9_\-]{20,}"),
    ("github-token", r"(?:gh[pousr]_[A-Za-z0-9]{30,}|github_pat_[A-Za-z0-9_]{20,})"),
    ("aws-access-key", r"(?:AKIA|ASIA|ABIA|ACCA)[0-9A-Z]{16}"),
    ("slack-token", r"xox[abposr]-[A-Za-z0-9\-]{10,}"),
    ("slack-webhook", r"https://hooks\.slack\.com/services/[A-Za-z0-9/_\-]+"),
    ("google-api-key", r"AIza[0-9A-Za-z_\-]{35}"),
    ("jwt", r"eyJ[A-Za-z0-9_\-]{5,}\.eyJ[A-Za-z0-9_\-]{5,}\.[A-Za-z0-9_\-]{5,}"),
    ("url-password", r"(?<=://)[^\s/:@'\"]+:[^\s/@'\"]+(?=@)"),
)

# `NAME=value`, `NAME: value`, `"name": "value"` where NAME looks secret. The value is
# replaced, the name kept, so the record still says which setting was present.
_SECRET_NAME = (
    r"[A-Za-z0-9_\-]*(?:secret|token|passwd|password|pwd|api[_\-]?key|access[_\-]?key|"
    r"private[_\-]?key|credential|auth)[A-Za-z0-9_\-]*"
)
_ASSIGNMENT = re.compile(
    r"(?P<name>[\"']?" + _SECRET_NAME + r"[\"']?)(?P<sep>\s*[=:]\s*)"
    r"(?P<value>\"[^\"\n]*\"|'[^'\n]*'|[^\s\"',;}]+)",
    re.IGNORECASE,
)

MARK = "[REDACTED:{}]"


class Redactor:
    def __init__(self, extra_patterns: Iterable[str] = ()) -> None:
        patterns = list(_BUILTIN) + [("custom", p) for p in extra_patterns]
        self._patterns = [(label, re.compile(p)) for label, p in patterns]

    def text(self, value: str) -> str:
        for label, pattern in self._patterns:
            value = pattern.sub(MARK.format(label), value)
        return _ASSIGNMENT.sub(_replace_assignment, value)

    def value(self, value: Any) -> Any:
        """Redact every string inside a JSON-like value, keeping its structure."""
        if isinstance(value, str):
            return self.text(value)
        if isinstance(value, dict):
            return {k: self.value(v) for k, v in value.items()}
        if isinstance(value, list | tuple):
            return [self.value(v) for v in value]
        return value


def _replace_assignment(match: re.Match[str]) -> str:
    value = match.group("value")
    bare = value.strip("\"'")
    # Keep placeholders and already-redacted values readable: `token: [REDACTED:jwt]`.
    if not bare or bare.startswith("[REDACTED") or bare.startswith("$") or len(bare) < 4:
        return match.group(0)
    quote = value[0] if value[0] in "\"'" else ""
    return f"{match.group('name')}{match.group('sep')}{quote}{MARK.format('assignment')}{quote}"


_default = Redactor()


def redact_text(value: str) -> str:
    return _default.text(value)


def redact_value(value: Any) -> Any:
    return _default.value(value)
