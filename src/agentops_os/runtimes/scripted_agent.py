"""A deterministic stand-in for `claude -p`, for tests and the demo.

It speaks Claude Code's protocol, not a protocol of its own: the same stream-json lines on
stdout, the same transcript records under `<CLAUDE_CONFIG_DIR or ~/.claude>/projects/`, and
the project's PreToolUse command hooks (`.claude/settings.json`) run before each tool call
with the same JSON on stdin, so ao's guard judges scripted tool calls as it judges real
ones. What it does comes from a script (YAML), chosen by the phase and attempt a workflow
puts in the environment (AO_RUN_PHASE, AO_RUN_ATTEMPT):

    model: claude-sonnet-4-5          # optional
    phases:
      research:                       # or "default"
        - turns:                      # attempt 1 (the last attempt repeats)
            - text: "Looking at the code"
              tools: [{bash: "ls"}, {write: notes.txt, content: "..."}, {read: a.py},
                      {edit: a.py, old: "x = 1", new: "x = 2"}]
              usage: {input: 1200, output: 300, cache_read: 0, cache_write: 0}
              sleep: 0.2
          result: "final text"        # or: fail: "message", exit: 1
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
import uuid
from pathlib import Path
from typing import Any

VERSION = "scripted"
DEFAULT_MODEL = "claude-sonnet-4-5"
WINDOW = 200_000


def main(argv: list[str]) -> int:
    args = _parse(argv)
    script_path = os.environ.get("AO_SCRIPT", "")
    if not script_path:
        print("scripted agent: AO_SCRIPT names no script", file=sys.stderr)
        return 2
    try:
        script = _load(Path(script_path))
    except (OSError, ValueError) as exc:
        print(f"scripted agent: {script_path}: {exc}", file=sys.stderr)
        return 2
    attempt = _attempt(script, os.environ.get("AO_RUN_PHASE", "default"),
                       int(os.environ.get("AO_RUN_ATTEMPT", "1") or 1))
    agent = Agent(Path.cwd(), args.get("session", "") or str(uuid.uuid4()),
                  str(script.get("model") or args.get("model") or DEFAULT_MODEL))
    return agent.play(args.get("prompt", ""), attempt)


def _parse(argv: list[str]) -> dict[str, str]:
    out: dict[str, str] = {}
    names = {"-p": "prompt", "--session-id": "session", "--resume": "session", "--model": "model"}
    i = 0
    while i < len(argv):
        name = names.get(argv[i])
        if name and i + 1 < len(argv):
            out[name] = argv[i + 1]
            i += 2
            continue
        i += 1
    if "prompt" not in out and not sys.stdin.isatty():
        out["prompt"] = sys.stdin.read()
    return out


def _load(path: Path) -> dict[str, Any]:
    import yaml

    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    if not isinstance(data, dict) or not isinstance(data.get("phases"), dict):
        raise ValueError("expected a mapping with `phases:`")
    return data


def _attempt(script: dict[str, Any], phase: str, number: int) -> dict[str, Any]:
    phases = script["phases"]
    attempts = phases.get(phase, phases.get("default"))
    if attempts is None:
        return {"result": f"(no script for phase {phase})", "turns": []}
    if isinstance(attempts, dict):
        attempts = [attempts]
    return dict(attempts[min(number, len(attempts)) - 1])


class Agent:
    def __init__(self, cwd: Path, session: str, model: str) -> None:
        self.cwd = cwd
        self.session = session
        self.model = model
        self.transcript = _transcript_path(cwd, session)
        self.parent: str | None = None
        self.totals = {"input": 0, "output": 0, "cache_read": 0, "cache_write": 0}
        self.last_input = 0
        self.last_cache_read = 0
        self.branch = _branch(cwd)

    # -- output -------------------------------------------------------------------------
    def emit(self, record: dict[str, Any]) -> None:
        sys.stdout.write(json.dumps(record) + "\n")
        sys.stdout.flush()

    def record(self, record: dict[str, Any]) -> str:
        ident = str(uuid.uuid4())
        line = {"parentUuid": self.parent, "isSidechain": False, "userType": "external",
                "cwd": str(self.cwd), "sessionId": self.session, "version": VERSION,
                "gitBranch": self.branch, "entrypoint": "scripted", "uuid": ident,
                "timestamp": _now(), **record}
        self.transcript.parent.mkdir(parents=True, exist_ok=True)
        with open(self.transcript, "a", encoding="utf-8") as handle:
            handle.write(json.dumps(line) + "\n")
        self.parent = ident
        return ident

    # -- the play -----------------------------------------------------------------------
    def play(self, prompt: str, attempt: dict[str, Any]) -> int:
        self.emit({"type": "system", "subtype": "init", "session_id": self.session, "cwd": str(self.cwd),
                   "model": self.model, "tools": ["Bash", "Read", "Write", "Edit"], "apiKeySource": "none"})
        self.record({"type": "user", "message": {"role": "user", "content": prompt}})
        started = time.monotonic()
        for number, turn in enumerate(attempt.get("turns") or (), 1):
            self.turn(number, turn)
        if attempt.get("fail"):
            text = str(attempt["fail"])
            self.result(text, started, error=True)
            return int(attempt.get("exit", 1))
        text = str(attempt.get("result", ""))
        # The final answer's request saw everything before it: the context only grows.
        self.message(len(attempt.get("turns") or ()) + 1, [{"type": "text", "text": text}],
                     {"input": self.last_input + 200, "output": max(1, len(text) // 4),
                      "cache_read": self.last_cache_read})
        self.result(text, started)
        return int(attempt.get("exit", 0))

    def turn(self, number: int, turn: dict[str, Any]) -> None:
        content: list[dict[str, Any]] = []
        if turn.get("text"):
            content.append({"type": "text", "text": str(turn["text"])})
        calls = [self.tool_block(tool) for tool in turn.get("tools") or ()]
        content.extend(block for block, _ in calls)
        usage = turn.get("usage") or {"input": 1000 * number, "output": 200}
        self.message(number, content, usage)
        if turn.get("sleep"):
            time.sleep(float(turn["sleep"]))
        results = [self.call(block, tool) for block, tool in calls]
        if results:
            self.emit({"type": "user", "session_id": self.session, "parent_tool_use_id": None,
                       "message": {"role": "user", "content": results}})
            self.record({"type": "user", "message": {"role": "user", "content": results}})

    def message(self, number: int, content: list[dict[str, Any]], usage: dict[str, Any]) -> None:
        api_usage = {"input_tokens": int(usage.get("input", 0)), "output_tokens": int(usage.get("output", 0)),
                     "cache_read_input_tokens": int(usage.get("cache_read", 0)),
                     "cache_creation_input_tokens": int(usage.get("cache_write", 0))}
        pairs = (("input", "input_tokens"), ("output", "output_tokens"),
                 ("cache_read", "cache_read_input_tokens"), ("cache_write", "cache_creation_input_tokens"))
        for key, field in pairs:
            self.totals[key] += api_usage[field]
        self.last_input = api_usage["input_tokens"] + api_usage["cache_creation_input_tokens"]
        self.last_cache_read = api_usage["cache_read_input_tokens"]
        message = {"id": f"msg_{self.session[:8]}_{number}", "type": "message", "role": "assistant",
                   "model": self.model, "content": content, "stop_reason": "end_turn", "usage": api_usage}
        request = f"req_{self.session[:8]}_{number}"
        # Transcript first: a reader of the stream may stop this process at any line (the
        # live budget does), and what the stream reported must already be on disk.
        self.record({"type": "assistant", "message": message, "requestId": request})
        self.emit({"type": "assistant", "message": message, "parent_tool_use_id": None,
                   "session_id": self.session, "request_id": request})

    def result(self, text: str, started: float, error: bool = False) -> None:
        t = self.totals
        self.emit({"type": "result", "subtype": "error_during_execution" if error else "success",
                   "is_error": error, "result": text, "session_id": self.session,
                   "duration_ms": int((time.monotonic() - started) * 1000), "num_turns": 1,
                   "usage": {"input_tokens": t["input"], "output_tokens": t["output"],
                             "cache_read_input_tokens": t["cache_read"],
                             "cache_creation_input_tokens": t["cache_write"]},
                   "modelUsage": {self.model: {"inputTokens": t["input"], "outputTokens": t["output"],
                                               "cacheReadInputTokens": t["cache_read"],
                                               "cacheCreationInputTokens": t["cache_write"],
                                               "contextWindow": WINDOW}}})

    # -- tools --------------------------------------------------------------------------
    def tool_block(self, tool: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
        ident = f"toolu_{uuid.uuid4().hex[:20]}"
        if "bash" in tool:
            name, data = "Bash", {"command": str(tool["bash"])}
        elif "write" in tool:
            name, data = "Write", {"file_path": str(self.cwd / str(tool["write"])),
                                   "content": str(tool.get("content", ""))}
        elif "edit" in tool:
            name, data = "Edit", {"file_path": str(self.cwd / str(tool["edit"])),
                                  "old_string": str(tool.get("old", "")),
                                  "new_string": str(tool.get("new", ""))}
        elif "read" in tool:
            name, data = "Read", {"file_path": str(self.cwd / str(tool["read"]))}
        else:
            raise SystemExit(f"scripted agent: unknown tool {tool!r}")
        return {"type": "tool_use", "id": ident, "name": name, "input": data}, tool

    def call(self, block: dict[str, Any], tool: dict[str, Any]) -> dict[str, Any]:
        denied = self.pre_tool_use(block["name"], block["input"])
        if denied is not None:
            return {"type": "tool_result", "tool_use_id": block["id"], "is_error": True, "content": denied}
        try:
            text, failed = self.execute(block["name"], block["input"])
        except OSError as exc:
            text, failed = str(exc), True
        return {"type": "tool_result", "tool_use_id": block["id"], "is_error": failed, "content": text}

    def execute(self, name: str, data: dict[str, Any]) -> tuple[str, bool]:
        if name == "Bash":
            proc = subprocess.run(["bash", "-c", data["command"]], cwd=self.cwd, capture_output=True,
                                  text=True, timeout=120)
            return (proc.stdout + proc.stderr)[-4000:], proc.returncode != 0
        path = Path(data["file_path"])
        if name == "Read":
            return path.read_text(encoding="utf-8")[:8000], False
        if name == "Write":
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(data["content"], encoding="utf-8")
            return f"wrote {path}", False
        text = path.read_text(encoding="utf-8")
        if data["old_string"] not in text:
            return f"old_string not found in {path}", True
        path.write_text(text.replace(data["old_string"], data["new_string"], 1), encoding="utf-8")
        return f"edited {path}", False

    def pre_tool_use(self, name: str, data: dict[str, Any]) -> str | None:
        """Run the project's PreToolUse command hooks as Claude Code does; a reason if denied."""
        from agentops_os.runtimes import hookcall

        stdin = hookcall.payload(self.session, self.transcript, self.cwd, name, data)
        for command in _hook_commands(self.cwd, "PreToolUse", name):
            reason = hookcall.ask(command, stdin, self.cwd)
            if reason is not None:
                return reason
        return None


def _hook_commands(cwd: Path, event: str, tool: str) -> list[str]:
    commands: list[str] = []
    for settings in (cwd / ".claude" / "settings.json", cwd / ".claude" / "settings.local.json"):
        try:
            data = json.loads(settings.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        for entry in (data.get("hooks") or {}).get(event) or ():
            matcher = str(entry.get("matcher") or "")
            if matcher not in ("", "*") and not re.fullmatch(matcher, tool):
                continue
            commands.extend(str(h["command"]) for h in entry.get("hooks") or ()
                            if h.get("type") == "command" and h.get("command"))
    return commands


def _transcript_path(cwd: Path, session: str) -> Path:
    configured = os.environ.get("CLAUDE_CONFIG_DIR", "").split(",")[0].strip()
    base = Path(os.path.expanduser(configured)) if configured else Path.home() / ".claude"
    slug = re.sub(r"[^A-Za-z0-9]", "-", str(cwd.resolve()))
    return base / "projects" / slug / f"{session}.jsonl"


def _branch(cwd: Path) -> str:
    proc = subprocess.run(["git", "rev-parse", "--abbrev-ref", "HEAD"], cwd=cwd, capture_output=True,
                          text=True)
    return proc.stdout.strip() if proc.returncode == 0 else ""


def _now() -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime()) + f".{int(time.time() * 1000) % 1000:03d}Z"


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
