"""The guard policy: `[guard]` of agentops.toml, validated once, matched cheaply.

A malformed policy is a `FatalError` naming the file and key; the hook turns it into a
deny (fail closed), `ao guard check` into exit 2.
"""

from __future__ import annotations

import os

from agentops_os.errors import FatalError, located
from agentops_os.guard.globmatch import glob_match

TYPE_CHECKING = False  # not `from typing import ...`: typing costs milliseconds per tool call
if TYPE_CHECKING:
    import re
    from typing import Any

DECISIONS = ("allow", "ask", "deny")
OUTSIDE_WRITES = ("sensitive", *DECISIONS)


_REGEX_SYNTAX = frozenset(".^$*+?{}[]\\|()")


def _literal(pattern: str) -> tuple[bool, str, bool] | None:
    """(anchored at start, literal text, anchored at end) when `pattern` is plain text
    with at most a leading `^` and a trailing `$` (`^npm test$`), else None."""
    start = pattern.startswith("^")
    end = pattern.endswith("$") and not pattern.endswith("\\$")
    body = pattern[1 if start else 0 : len(pattern) - 1 if end else len(pattern)]
    if any(c in _REGEX_SYNTAX for c in body):
        return None
    return start, body, end


class UserRule:
    """One `[[guard.rules]]` entry. Most rules are plain text with anchors (`^npm test$`):
    those are matched with string operations exactly as `re.search` would match them, so a
    repo with user rules does not pay for importing `re` (~4 ms) on every tool call."""

    __slots__ = ("match", "decision", "reason", "_compiled", "_literal")

    def __init__(self, match: str, decision: str, reason: str) -> None:
        self.match = match
        self.decision = decision
        self.reason = reason
        self._compiled: re.Pattern[str] | None = None
        self._literal = _literal(match)

    def search(self, text: str) -> bool:
        if self._literal is not None:
            start, body, end = self._literal
            if end and text.endswith("\n"):  # `$` also matches before one final newline
                return _literal_search(start, body, end, text) or _literal_search(start, body, end, text[:-1])
            return _literal_search(start, body, end, text)
        if self._compiled is None:
            import re

            self._compiled = re.compile(self.match)
        return self._compiled.search(text) is not None


def _literal_search(start: bool, body: str, end: bool, text: str) -> bool:
    if start and end:
        return text == body
    if start:
        return text.startswith(body)
    if end:
        return text.endswith(body)
    return body in text


_LISTS = (
    "protected_branches",
    "protected_namespaces",
    "delete_outside_repo_allow",
    "secret_files",
    "secret_exceptions",
    "protected_paths",
    "ask_write_paths",
    "write_outside_repo_allow",
    "write_outside_repo_sensitive",
    "fetch_deny_hosts",
    "disabled_rules",
)


class Policy:
    """The validated `[guard]` section. A plain class: built on every tool call."""

    def __init__(self, values: dict[str, Any], rules: list[UserRule]) -> None:
        self.enabled = bool(values.get("enabled", True))
        self.protected_branches: list[str] = list(values.get("protected_branches", []))
        self.protected_namespaces: list[str] = list(values.get("protected_namespaces", []))
        self.max_deleted_files = int(values.get("max_deleted_files", 25))
        self.delete_outside_repo_allow: list[str] = list(values.get("delete_outside_repo_allow", []))
        self.secret_files: list[str] = list(values.get("secret_files", []))
        self.secret_exceptions: list[str] = list(values.get("secret_exceptions", []))
        self.protected_paths: list[str] = list(values.get("protected_paths", []))
        self.ask_write_paths: list[str] = list(values.get("ask_write_paths", []))
        self.write_outside_repo = str(values.get("write_outside_repo", "sensitive"))
        self.write_outside_repo_allow: list[str] = list(values.get("write_outside_repo_allow", []))
        self.write_outside_repo_sensitive: list[str] = list(values.get("write_outside_repo_sensitive", []))
        self.fetch_deny_hosts = [h.lower() for h in values.get("fetch_deny_hosts", [])]
        self.fetch_ask_private = bool(values.get("fetch_ask_private", True))
        self.disabled_rules = frozenset(values.get("disabled_rules", []))
        self.rules = rules

    @classmethod
    def from_config(cls, config: Any) -> Policy:
        return cls.from_values(dict(config.section("guard")), config.path or "agentops.toml", config.sources)

    @classmethod
    def from_values(
        cls, values: dict[str, Any], where: object = "agentops.toml", source: dict[str, str] | None = None
    ) -> Policy:
        source = source or {}

        def bad(key: str, what: str) -> FatalError:
            spot = source.get(f"guard.{key}", "")
            line = int(spot.rsplit(":", 1)[1]) if ":" in spot and spot.rsplit(":", 1)[1].isdigit() else None
            return FatalError(located(where, line, f"guard.{key}: {what}"))

        for key in _LISTS:
            items = values.get(key, [])
            if not all(isinstance(item, str) and item for item in items):
                raise bad(key, "every entry must be a non-empty string")
        if values.get("write_outside_repo") not in OUTSIDE_WRITES:
            raise bad("write_outside_repo", f"must be one of {', '.join(OUTSIDE_WRITES)}")
        if int(values.get("max_deleted_files", 0)) < 1:
            raise bad("max_deleted_files", "must be at least 1")
        rules: list[UserRule] = []
        for number, item in enumerate(values.get("rules", []), start=1):
            if not isinstance(item, dict):
                raise bad("rules", f"rule {number} must be a table with match, decision, reason")
            unknown = set(item) - {"match", "decision", "reason"}
            if unknown:
                raise bad("rules", f"rule {number}: unknown key {sorted(unknown)[0]!r}")
            match, decision = item.get("match"), item.get("decision")
            if not isinstance(match, str) or not match:
                raise bad("rules", f"rule {number}: 'match' must be a regular expression")
            if _literal(match) is None:  # plain text with anchors is always a valid pattern
                import re

                try:
                    re.compile(match)
                except re.error as exc:
                    raise bad("rules", f"rule {number}: bad regex {match!r}: {exc}") from None
            if decision not in DECISIONS:
                raise bad("rules", f"rule {number}: 'decision' must be one of {', '.join(DECISIONS)}")
            reason = item.get("reason") or f"matched guard rule {number} ({match})"
            rules.append(UserRule(match, decision, str(reason)))
        return cls(values, rules)

    def branch_protected(self, branch: str) -> bool:
        branch = branch.removeprefix("refs/heads/")
        return any(glob_match(branch, pattern) for pattern in self.protected_branches)


def path_matches(path: str, patterns: list[str], root: str, home: str) -> str | None:
    """The first glob of `patterns` that absolute `path` matches, or None.

    `~/x` and `/x` globs match the absolute path; globs with another `/` match the path
    relative to the repo root; bare names (`.env`, `*.pem`) match the file name anywhere.
    `*` crosses `/` (as in fnmatch), so `.git/*` covers everything below `.git`.
    """
    name = os.path.basename(path)
    rel: str | None = None
    root_text = root
    if path == root_text or path.startswith(root_text + os.sep):
        rel = os.path.relpath(path, root_text)
    for pattern in patterns:
        if pattern.startswith("~/"):
            if glob_match(path, home + pattern[1:]):
                return pattern
        elif pattern.startswith("/"):
            if glob_match(path, pattern):
                return pattern
        elif "/" in pattern:
            if rel is not None and glob_match(rel, pattern):
                return pattern
        elif glob_match(name, pattern):
            return pattern
    return None
