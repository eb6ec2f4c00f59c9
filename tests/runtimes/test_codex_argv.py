"""Codex has no per-tool allow list: a phase's allowed tools choose its sandbox."""

from __future__ import annotations

from pathlib import Path

import pytest

from agentops_os.runtimes import events as ev
from agentops_os.runtimes.codex import CodexRuntime


def sandbox(options: ev.RunOptions) -> str | None:
    args = CodexRuntime("codex").argv("go", Path("/tmp"), options)
    return args[args.index("--sandbox") + 1] if "--sandbox" in args else None


@pytest.mark.parametrize(
    "tools,expected",
    [
        ((), None),
        (("Read", "Grep", "Glob", "LS"), "read-only"),
        (("Read", "Edit", "Write", "Bash"), "workspace-write"),
        (("Read", "Bash(pytest:*)"), "workspace-write"),
    ],
)
def test_allowed_tools_choose_the_sandbox(tools: tuple[str, ...], expected: str | None) -> None:
    assert sandbox(ev.RunOptions(allowed_tools=tools)) == expected


def test_an_explicit_permission_mode_wins() -> None:
    options = ev.RunOptions(allowed_tools=("Read",), permission_mode="danger-full-access")
    assert sandbox(options) == "danger-full-access"
