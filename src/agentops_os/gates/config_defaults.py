"""Gate defaults (`[gates]`). Pure data."""

from __future__ import annotations

from typing import Any

DEFAULTS: dict[str, Any] = {
    "gates": {
        "jobs": 0,
        "timeout": 600,
        "output_lines": 40,
        "checks": {},
        "sets": {"quick": [], "ci": []},
    },
}

DOCS: dict[str, str] = {
    "gates.jobs": "Checks run at once by `ao gate run` (0 = number of CPUs).",
    "gates.timeout": "Default seconds a check may run before it fails as timed out.",
    "gates.output_lines": "Lines of a failing check's output shown after the summary.",
    "gates.checks": "[gates.checks.NAME]: command (string or list), files (globs), timeout, env, cwd.",
    "gates.sets": "Gate sets: NAME = [check names]; quick runs on pre-commit, ci on pre-push.",
}
