"""Small Claude Code transcripts in the real line shapes, for the demo and tests.

Lines carry what Claude Code 2.x writes: `parentUuid`, `sessionId`, `uuid`, `timestamp`,
`cwd`, `gitBranch`, `version`; assistant lines one per content block repeating
`message.id` and `requestId`; tool results as `user` lines with `tool_result` blocks.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from agentops_os.transcripts.locate import claude_project_slug


def claude_lines(session_id: str, cwd: str, turns: list[tuple[Any, ...]],
                 start: str = "2026-11-01T10:00:00") -> list[dict[str, Any]]:
    """turns: ("user", text) | ("assistant", text) | ("tool", name, input, result, is_error)."""
    lines: list[dict[str, Any]] = []
    parent = None
    n = 0

    def base(kind: str) -> dict[str, Any]:
        nonlocal n, parent
        n += 1
        uuid = f"{session_id[:8]}-{n:04d}-4000-8000-{n:012d}"
        record = {"parentUuid": parent, "isSidechain": False, "userType": "external", "cwd": cwd,
                  "sessionId": session_id, "version": "2.0.61", "gitBranch": "main", "type": kind,
                  "uuid": uuid, "timestamp": f"{start}.{n:03d}Z"}
        parent = uuid
        return record

    for turn in turns:
        if turn[0] == "user":
            lines.append({**base("user"), "message": {"role": "user", "content": turn[1]}})
        elif turn[0] == "assistant":
            lines.append({**base("assistant"), "requestId": f"req_{n}", "message": {
                "id": f"msg_{n}", "type": "message", "role": "assistant", "model": "claude-sonnet-4-5",
                "content": [{"type": "text", "text": turn[1]}],
                "usage": {"input_tokens": 10, "output_tokens": 20}}})
        elif turn[0] == "tool":
            _, name, tool_input, result, is_error = turn
            tool_id = f"toolu_{session_id[:6]}_{n}"
            lines.append({**base("assistant"), "requestId": f"req_{n}", "message": {
                "id": f"msg_{n}", "type": "message", "role": "assistant", "model": "claude-sonnet-4-5",
                "content": [{"type": "tool_use", "id": tool_id, "name": name, "input": tool_input}],
                "usage": {"input_tokens": 10, "output_tokens": 20}}})
            lines.append({**base("user"), "toolUseResult": {"stdout": result}, "message": {
                "role": "user", "content": [{"type": "tool_result", "tool_use_id": tool_id,
                                             "content": result, "is_error": is_error}]}})
    return lines


def write_claude_session(home: Path, repo: Path, session_id: str, turns: list[tuple[Any, ...]]) -> Path:
    path = home / ".claude" / "projects" / claude_project_slug(repo.resolve()) / f"{session_id}.jsonl"
    path.parent.mkdir(parents=True, exist_ok=True)
    lines = claude_lines(session_id, str(repo.resolve()), turns)
    path.write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")
    return path


DEMO_SESSION = "7d1e2f30-5a6b-4c7d-8e9f-0a1b2c3d4e5f"
DEMO_TURNS: list[tuple[Any, ...]] = [
    ("user", "Orders with an empty cart crash the total; please fix it until the tests pass."),
    ("assistant", "I'll run the tests first and still keep the old behaviour for non-empty carts."),
    ("tool", "Bash", {"command": "pytest -q tests/test_orders.py"},
     "E   TypeError: unsupported operand type(s) for +: 'int' and 'NoneType'\n1 failed", True),
    ("tool", "Edit", {"file_path": "shop/orders.py", "old_string": "return sum(",
                      "new_string": "return sum(... or 0"},
     "The file shop/orders.py has been updated.", False),
    ("tool", "Bash", {"command": "pytest -q tests/test_orders.py"}, "2 passed in 0.01s", False),
    ("assistant", "Lesson: prices can be None for free samples, so the order total must treat a "
                  "missing price as zero instead of crashing."),
    ("user", "No, don't change the public signature of total(); keep items as the only argument."),
    ("assistant", "Right, I reverted the signature change and kept the fix inside the function."),
    ("tool", "Edit", {"file_path": "shop/orders.py", "old_string": "def total(items, default=0)",
                      "new_string": "def total(items)"}, "The file shop/orders.py has been updated.", False),
]
