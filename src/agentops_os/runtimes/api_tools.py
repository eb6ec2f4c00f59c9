"""The api runtime's built-in tools (Read, Write, Edit, Bash) and their guard.

The tools carry Claude Code's names and input shapes, so that ao's guard — asked through
the same `ao hook pre-tool-use` protocol a real client uses — judges them by the same
rules. Paths are resolved against the working directory; nothing runs before the guard
has answered.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from agentops_os import procs
from agentops_os.runtimes import hookcall

MAX_OUTPUT = 16_000
BASH_TIMEOUT_S = 300

SCHEMAS: list[dict[str, Any]] = [
    {"name": "Read", "description": "Read a text file.",
     "input_schema": {"type": "object", "properties": {"file_path": {"type": "string"}},
                      "required": ["file_path"]}},
    {"name": "Write", "description": "Create or overwrite a text file.",
     "input_schema": {"type": "object", "properties": {"file_path": {"type": "string"},
                                                        "content": {"type": "string"}},
                      "required": ["file_path", "content"]}},
    {"name": "Edit", "description": "Replace one exact occurrence of old_string with new_string in a file.",
     "input_schema": {"type": "object", "properties": {"file_path": {"type": "string"},
                                                        "old_string": {"type": "string"},
                                                        "new_string": {"type": "string"}},
                      "required": ["file_path", "old_string", "new_string"]}},
    {"name": "Bash", "description": "Run a bash command in the working directory.",
     "input_schema": {"type": "object", "properties": {"command": {"type": "string"}},
                      "required": ["command"]}},
]


class ToolBox:
    def __init__(self, cwd: Path, session: str, transcript: Path, env: dict[str, str],
                 allowed: tuple[str, ...] = ()) -> None:
        self.cwd = cwd
        self.session = session
        self.transcript = transcript
        self.env = env
        self.allowed = {a.split("(")[0] for a in allowed}  # "Bash(git:*)" allows the Bash tool

    def schemas(self) -> list[dict[str, Any]]:
        return [s for s in SCHEMAS if not self.allowed or s["name"] in self.allowed]

    def call(self, name: str, data: Any) -> tuple[str, bool]:
        """(output, is_error). The guard is asked first; a denial is the output."""
        if not isinstance(data, dict):
            return f"{name}: the input must be a JSON object", True
        if name not in {s["name"] for s in self.schemas()}:
            return f"{name}: no such tool here (tools: {', '.join(s['name'] for s in self.schemas())})", True
        denied = hookcall.ask([sys.executable, "-m", "agentops_os", "hook", "pre-tool-use"],
                              hookcall.payload(self.session, self.transcript, self.cwd, name, data),
                              self.cwd, self.env)
        if denied is not None:
            return denied, True
        try:
            return self._run(name, data)
        except (OSError, UnicodeDecodeError, KeyError, TypeError) as exc:
            return f"{name}: {type(exc).__name__}: {exc}", True

    def _path(self, data: dict[str, Any]) -> Path:
        path = Path(str(data["file_path"]))
        return path if path.is_absolute() else self.cwd / path

    def _run(self, name: str, data: dict[str, Any]) -> tuple[str, bool]:
        if name == "Bash":
            proc = procs.run(["bash", "-c", str(data["command"])], cwd=self.cwd, env=self.env,
                             timeout=BASH_TIMEOUT_S)
            if proc.timed_out:
                return f"timed out after {BASH_TIMEOUT_S} s", True
            out = proc.output
            return (out[-MAX_OUTPUT:] or f"(exit {proc.returncode}, no output)"), proc.returncode != 0
        path = self._path(data)
        if name == "Read":
            return path.read_text(encoding="utf-8")[:MAX_OUTPUT], False
        if name == "Write":
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(str(data["content"]), encoding="utf-8")
            return f"wrote {path}", False
        text = path.read_text(encoding="utf-8")
        old = str(data["old_string"])
        if text.count(old) != 1:
            return f"old_string occurs {text.count(old)} times in {path}; it must occur once", True
        path.write_text(text.replace(old, str(data["new_string"]), 1), encoding="utf-8")
        return f"edited {path}", False
