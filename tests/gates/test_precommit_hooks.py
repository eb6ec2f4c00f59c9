"""`.pre-commit-hooks.yaml` is valid for the pre-commit framework and names real commands."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import yaml

HOOKS = Path(__file__).resolve().parents[2] / ".pre-commit-hooks.yaml"


def test_manifest_shape() -> None:
    hooks = yaml.safe_load(HOOKS.read_text())
    assert isinstance(hooks, list) and hooks
    for hook in hooks:
        assert {"id", "name", "entry", "language"} <= set(hook), hook
        assert hook["entry"].startswith("ao ")
    assert {h["id"] for h in hooks} >= {"ao-gate-quick", "ao-gate-ci", "ao-check-diff", "ao-commit-check"}


def test_entries_are_real_commands(repo: Path) -> None:
    for hook in yaml.safe_load(HOOKS.read_text()):
        args = hook["entry"].split()[1:] + ["--help"]
        proc = subprocess.run([sys.executable, "-m", "agentops_os", *args], cwd=repo, capture_output=True,
                              text=True)
        assert proc.returncode == 0, (hook["id"], proc.stderr)
