"""`ao check diff` thresholds (`[diffcheck]`). Pure data."""

from __future__ import annotations

from typing import Any

DEFAULTS: dict[str, Any] = {
    "diffcheck": {
        "max_deleted_lines": 400,
        "max_deleted_files": 10,
        "max_function_lines": 80,
        "blocking": ["mass-deletion", "api-removed", "api-changed", "tests-weakened", "secret-added"],
        "test_globs": ["tests/*", "test/*", "*/tests/*", "test_*.py", "*_test.py", "*_test.go",
                       "*.test.js", "*.test.ts", "*.test.tsx", "*.spec.js", "*.spec.ts", "*Test.java"],
        "hook_files": [".pre-commit-config.yaml", ".husky/*", ".githooks/*", "lefthook.yml",
                       ".claude/settings.json", ".claude/settings.local.json", "agentops.toml"],
        "ignore": [],
    },
}

DOCS: dict[str, str] = {
    "diffcheck.max_deleted_lines": "Deleted lines (net of moves) above which a diff is a mass deletion.",
    "diffcheck.max_deleted_files": "Deleted files above which a diff is a mass deletion.",
    "diffcheck.max_function_lines": "Longest function a diff may add or grow into (eldritch horror).",
    "diffcheck.blocking": "Check ids whose findings block (exit 1); others only warn.",
    "diffcheck.test_globs": "Globs that mark test files (for tests deleted/skipped/weakened).",
    "diffcheck.hook_files": "Hook and guard configuration files whose changes are reported (Law 4).",
    "diffcheck.ignore": "Globs of files the diff checks skip entirely (generated code, vendored files).",
}
