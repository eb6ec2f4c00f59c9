"""A small Claude Code transcript in the real line shapes (2.0.x), for the demo and tests.

One session on branch `main` of the demo shop: the human asks to fix order totals, the
agent plans with TodoWrite, a test run fails, it edits `shop/orders.py`, decides on
integer cents, and ends with an open question. Usage grows to `peak_tokens`.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

SESSION_ID = "5b3c1f0e-1111-4222-8333-944455556666"
MODEL = "claude-sonnet-4-5-20250929"


def lines(cwd: str, *, session_id: str = SESSION_ID, branch: str = "main",
          peak_tokens: int = 90_000) -> list[dict[str, Any]]:
    base = {"parentUuid": None, "isSidechain": False, "userType": "external", "cwd": cwd,
            "sessionId": session_id, "version": "2.0.61", "gitBranch": branch}
    counter = iter(range(1, 1000))

    def stamp() -> str:
        return f"2026-11-01T10:{next(counter):02d}:00.000Z"

    def user(content: Any) -> dict[str, Any]:
        return {**base, "type": "user", "uuid": f"u{stamp()}", "timestamp": stamp(),
                "message": {"role": "user", "content": content}}

    def assistant(msg: str, blocks: list[dict[str, Any]], context: int) -> dict[str, Any]:
        usage = {"input_tokens": 12, "cache_creation_input_tokens": 900,
                 "cache_read_input_tokens": max(0, context - 912), "output_tokens": 180,
                 "service_tier": "standard"}
        return {**base, "type": "assistant", "uuid": f"a{msg}", "timestamp": stamp(),
                "requestId": f"req_{msg}", "message": {
                    "id": f"msg_{msg}", "type": "message", "role": "assistant", "model": MODEL,
                    "content": blocks, "stop_reason": None, "stop_sequence": None, "usage": usage}}

    def result(tool_id: str, text: str, error: bool = False) -> dict[str, Any]:
        block: dict[str, Any] = {"type": "tool_result", "tool_use_id": tool_id, "content": text}
        if error:
            block["is_error"] = True
        return user([block])

    todos = [
        {"content": "Reproduce the failing total test", "status": "completed",
         "activeForm": "Reproducing the failing total test"},
        {"content": "Store prices as integer cents in shop/orders.py", "status": "in_progress",
         "activeForm": "Storing prices as integer cents"},
        {"content": "Add a regression test for discounts", "status": "pending",
         "activeForm": "Adding a regression test for discounts"},
    ]
    step = peak_tokens // 6
    return [
        user("Fix the order total rounding bug: totals are off by a cent for discounted items"),
        assistant("01", [{"type": "text", "text": "I'll reproduce it first."}], step),
        assistant("02", [{"type": "tool_use", "id": "toolu_todo", "name": "TodoWrite",
                          "input": {"todos": todos}}], step * 2),
        result("toolu_todo", "Todos have been modified successfully."),
        assistant("03", [{"type": "tool_use", "id": "toolu_test1", "name": "Bash",
                          "input": {"command": "pytest -q tests/test_orders.py",
                                    "description": "Run order tests"}}], step * 3),
        result("toolu_test1", "FAILED tests/test_orders.py::test_discount - assert 9.99 == 10.0",
               error=True),
        assistant("04", [{"type": "tool_use", "id": "toolu_edit", "name": "Edit",
                          "input": {"file_path": f"{cwd}/shop/orders.py",
                                    "old_string": "return sum(", "new_string": "return sum("}}],
                  step * 4),
        result("toolu_edit", f"The file {cwd}/shop/orders.py has been updated."),
        assistant("05", [{"type": "tool_use", "id": "toolu_lint", "name": "Bash",
                          "input": {"command": "ruff check shop"}}], step * 5),
        result("toolu_lint", "shop/orders.py:3:1: F401 unused import decimal", error=True),
        assistant("06", [{"type": "text", "text":
                          "We decided to store prices as integer cents instead of floats, so "
                          "rounding happens once at display time. Should discounts round per "
                          "line or per order?"}], peak_tokens),
    ]


def write(path: Path, cwd: str, **kwargs: Any) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(json.dumps(r) + "\n" for r in lines(cwd, **kwargs)), encoding="utf-8")
    return path


def claude_path(home: Path, repo: Path, session_id: str = SESSION_ID) -> Path:
    """Where Claude Code would write this session's transcript for `repo` under `home`."""
    from agentops_os.transcripts.locate import claude_project_slug

    return home / ".claude" / "projects" / claude_project_slug(repo.resolve()) / f"{session_id}.jsonl"
