"""The one redaction step: nothing secret is ever written under `.agents/`.

Every store write goes through `redact_text` / `redact_value`. Patterns cover the key
shapes of the common providers plus generic `SECRET_NAME=value` assignments; a repo can
add its own regexes under `[redaction] extra_patterns` in agentops.toml.

The guard's deny path redacts its audit record, so this module imports nothing at load
time: `re` (with `enum`, `functools`...) costs about half a bare interpreter start, and
most texts contain none of the literals every built-in pattern needs (`might_hold_secret`),
so the patterns are compiled only when a text could match one.
"""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
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
_ASSIGNMENT = (
    r"(?P<name>[\"']?" + _SECRET_NAME + r"[\"']?)(?P<sep>\s*[=:]\s*)"
    r"(?P<value>\"[^\"\n]*\"|'[^'\n]*'|[^\s\"',;}]+)"
)

# Every built-in pattern needs one of these literally (case-sensitive patterns) or an `=`
# / `:` (the assignment separator; `://` for URL passwords and the Slack webhook).
_TRIGGERS = ("=", ":", "-----BEGIN", "sk-", "gh", "github_pat_", "AKIA", "ASIA", "ABIA", "ACCA",
             "xox", "AIza", "eyJ")

MARK = "[REDACTED:{}]"


def might_hold_secret(value: str) -> bool:
    """False only when no built-in pattern can match `value` (a cheap pre-check)."""
    return any(trigger in value for trigger in _TRIGGERS)


class Redactor:
    def __init__(self, extra_patterns: Iterable[str] = ()) -> None:
        self._extra = list(extra_patterns)
        self._compiled: tuple[list[tuple[str, re.Pattern[str]]], re.Pattern[str]] | None = None
        if self._extra:
            self._compile()  # a bad custom pattern fails here, when the config is loaded

    def _compile(self) -> tuple[list[tuple[str, re.Pattern[str]]], re.Pattern[str]]:
        import re

        patterns = list(_BUILTIN) + [("custom", p) for p in self._extra]
        self._compiled = ([(label, re.compile(p)) for label, p in patterns],
                          re.compile(_ASSIGNMENT, re.IGNORECASE))
        return self._compiled

    def text(self, value: str) -> str:
        if not self._extra and not might_hold_secret(value):
            return value
        patterns, assignment = self._compiled or self._compile()
        for label, pattern in patterns:
            value = pattern.sub(MARK.format(label), value)
        return assignment.sub(_replace_assignment, value)

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
