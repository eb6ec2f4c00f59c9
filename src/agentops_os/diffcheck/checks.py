"""The failure-pattern checks. Each yields findings with file:line, severity and the
factor that prevents the pattern (names from the 12-Factor AgentOps seeds)."""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from agentops_os.diffcheck.api import functions, incompatible, public_api
from agentops_os.diffcheck.diff import DiffSource, FileDiff, load_diff

FACTORS = {
    "mass-deletion": "Repository Deletion -> VIII Human Validation",
    "api-removed": "Bridge Torching -> IV Continuous Validation, VIII Human Validation",
    "api-changed": "Bridge Torching -> IV Continuous Validation, VIII Human Validation",
    "giant-function": "Eldritch Code Horror -> X Small Iterations",
    "tests-weakened": "Tests Passing Lie -> IV Continuous Validation",
    "secret-added": "Secret leak -> XI Fail-Safe Checks",
    "hook-changed": "Hook loops / disabled checks -> Law 4, XI Fail-Safe Checks",
}
_ASSERT = re.compile(r"\bassert\w*\b|\bexpect\s*\(|\bassert_\w+\(|\bt\.(Error|Fatal)f?\(|\bshould\b")
_SKIP = re.compile(r"@pytest\.mark\.(skip|xfail)\b|\bpytest\.skip\(|@unittest\.skip|"
                   r"\b(it|describe|test)\.skip\(|\bx(it|describe|test)\(|\bt\.Skip(Now|f)?\(|@Disabled\b|@Ignore\b|\.only\(")
_TEST_DEF = re.compile(r"^\s*(async\s+)?def\s+test\w*|^\s*(it|test)\s*\(|^func\s+Test\w+")


@dataclass
class Finding:
    check: str
    file: str
    line: int | None
    severity: str  # "block" | "warn"
    message: str
    factor: str = ""

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @property
    def location(self) -> str:
        return f"{self.file}:{self.line}" if self.line else self.file


@dataclass
class Settings:
    max_deleted_lines: int = 400
    max_deleted_files: int = 10
    max_function_lines: int = 80
    blocking: tuple[str, ...] = ()
    test_globs: tuple[str, ...] = ()
    hook_files: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()

    @classmethod
    def from_config(cls, config: Any) -> Settings:
        s = config.section("diffcheck")
        return cls(int(s["max_deleted_lines"]), int(s["max_deleted_files"]), int(s["max_function_lines"]),
                   tuple(s["blocking"]), tuple(s["test_globs"]), tuple(s["hook_files"]), tuple(s["ignore"]))


def _match(path: str, globs: tuple[str, ...]) -> bool:
    name = path.rsplit("/", 1)[-1]
    return any(fnmatch.fnmatchcase(path, g) or ("/" not in g and fnmatch.fnmatchcase(name, g)) for g in globs)


def check_diff(root: Path, settings: Settings, rev: str | None = None, staged: bool = False) -> list[Finding]:
    files, source = load_diff(root, rev, staged)
    files = [f for f in files if not _match(f.path, settings.ignore)]
    findings: list[Finding] = []
    for check in (mass_deletion, api_changes, giant_functions, tests_weakened, secrets_added, hooks_changed):
        findings.extend(check(files, source, settings))
    for finding in findings:
        finding.factor = FACTORS[finding.check]
        finding.severity = "block" if finding.check in settings.blocking else "warn"
    return findings


def mass_deletion(files: list[FileDiff], source: DiffSource, settings: Settings) -> Iterator[Finding]:
    deleted_files = [f for f in files if f.status == "D"]
    if len(deleted_files) > settings.max_deleted_files:
        yield Finding("mass-deletion", deleted_files[0].path, None, "",
                      f"{len(deleted_files)} files deleted (limit diffcheck.max_deleted_files = "
                      f"{settings.max_deleted_files}): {', '.join(f.path for f in deleted_files[:5])}...")
    removed = sum(len(f.removed) for f in files)
    added = sum(len(f.added) for f in files)
    net = removed - added
    if net > settings.max_deleted_lines:
        worst = max(files, key=lambda f: len(f.removed) - len(f.added))
        first = worst.removed[0][0] if worst.removed else None
        yield Finding("mass-deletion", worst.path, first, "",
                      f"{removed} lines deleted, {added} added (net {net} > diffcheck.max_deleted_lines = "
                      f"{settings.max_deleted_lines}); most from {worst.path}")


def api_changes(files: list[FileDiff], source: DiffSource, settings: Settings) -> Iterator[Finding]:
    for diff in files:
        if diff.status == "A" or diff.binary or _match(diff.old_path, settings.test_globs):
            continue
        if any(part.startswith("_") and part != "__init__.py" for part in diff.old_path.split("/")):
            continue  # private modules are not public API
        old_text = source.old(diff.old_path)
        if old_text is None:
            continue
        old_api = public_api(diff.old_path, old_text)
        if not old_api:
            continue
        new_text = source.new(diff.path) if diff.status != "D" else ""
        new_api = public_api(diff.path, new_text or "") or {}
        for name, symbol in old_api.items():
            if "." in name and name.split(".")[0] not in new_api:
                continue  # the class itself is reported
            if name not in new_api:
                where = "file deleted" if diff.status == "D" else "removed"
                yield Finding("api-removed", diff.old_path, symbol.line, "",
                              f"public {'method' if '.' in name else 'name'} '{name}' {where}")
                continue
            new_symbol = new_api[name]
            if symbol.params is not None and new_symbol.params is not None:
                why = incompatible(symbol.params, new_symbol.params)
                if why:
                    yield Finding("api-changed", diff.path, new_symbol.line, "",
                                  f"signature of '{name}' changed incompatibly: {why}")


def giant_functions(files: list[FileDiff], source: DiffSource, settings: Settings) -> Iterator[Finding]:
    limit = settings.max_function_lines
    for diff in files:
        if diff.status == "D" or diff.binary or not diff.path.endswith(".py") or not diff.added:
            continue
        new_text = source.new(diff.path)
        if new_text is None:
            continue
        old_sizes = {n: e - s + 1 for n, s, e in functions(source.old(diff.old_path) or "")}
        added_lines = {n for n, _ in diff.added}
        for name, start, end in functions(new_text):
            size = end - start + 1
            if size <= limit or not any(start <= n <= end for n in added_lines):
                continue
            before = old_sizes.get(name)
            if before is not None and before > limit and size <= before:
                continue  # already giant, not made worse here
            grew = f" (was {before})" if before is not None else ""
            yield Finding("giant-function", diff.path, start, "",
                          f"function '{name}' is {size} lines{grew} (limit diffcheck.max_function_lines = "
                          f"{limit}); split it")


def tests_weakened(files: list[FileDiff], source: DiffSource, settings: Settings) -> Iterator[Finding]:
    for diff in files:
        if not _match(diff.old_path, settings.test_globs) and not _match(diff.path, settings.test_globs):
            continue
        if diff.status == "D":
            yield Finding("tests-weakened", diff.old_path, None, "", "test file deleted")
            continue
        for number, text in diff.added:
            if _SKIP.search(text):
                yield Finding("tests-weakened", diff.path, number, "", f"test skipped: {text.strip()[:80]}")
        removed_asserts = [(n, t) for n, t in diff.removed if _ASSERT.search(t)]
        added_asserts = [t for _, t in diff.added if _ASSERT.search(t)]
        if len(removed_asserts) > len(added_asserts):
            number, text = removed_asserts[0]
            yield Finding("tests-weakened", diff.old_path, number, "",
                          f"{len(removed_asserts) - len(added_asserts)} assertion(s) removed, e.g. "
                          f"'{text.strip()[:60]}' (old line)")
        removed_tests = sum(1 for _, t in diff.removed if _TEST_DEF.search(t))
        added_tests = sum(1 for _, t in diff.added if _TEST_DEF.search(t))
        if removed_tests > added_tests:
            yield Finding("tests-weakened", diff.path, None, "",
                          f"{removed_tests - added_tests} test function(s) removed")


def secrets_added(files: list[FileDiff], source: DiffSource, settings: Settings) -> Iterator[Finding]:
    from agentops_os.store.redact import redact_text

    for diff in files:
        for number, text in diff.added:
            cleaned = redact_text(text)
            if cleaned == text:
                continue
            labels = sorted(set(re.findall(r"\[REDACTED:([\w-]+)\]", cleaned)) - {"assignment"})
            if labels:
                yield Finding("secret-added", diff.path, number, "",
                              f"looks like a secret ({', '.join(labels)}): {cleaned.strip()[:80]}")


def hooks_changed(files: list[FileDiff], source: DiffSource, settings: Settings) -> Iterator[Finding]:
    for diff in files:
        if _match(diff.path, settings.hook_files) or _match(diff.old_path, settings.hook_files):
            line = diff.added[0][0] if diff.added else None
            yield Finding("hook-changed", diff.path, line, "",
                          "hook/guard configuration changed: a human should review it (Law 4)")
