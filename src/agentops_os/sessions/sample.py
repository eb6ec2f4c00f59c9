"""A deterministic, realistic sample of agent transcripts for demos and tests.

`write_sample_corpus(home, repo)` writes Claude Code 2.0.x session files (user prompts,
assistant text, Bash/Read/Edit/Write/TodoWrite tool calls with their inputs, tool results
including errors, streaming repeats of `message.id`/`requestId` with partial usage, a
`compact_boundary`, a subagent file under `<session>/subagents/`) into
`home/.claude/projects/<slug of repo>/`, and one Codex rollout into
`home/.codex/sessions/YYYY/MM/DD/`, all with `cwd` = the repo. Same arguments, same bytes.

The line builders (`ClaudeSession`, `CodexRollout`) are reused by the ingest benchmark's
corpus generator, so the benchmark measures the same shapes the demo shows.
"""

from __future__ import annotations

import json
import random
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from agentops_os.transcripts.locate import claude_project_slug

DEFAULT_START = datetime(2026, 11, 2, 9, 0, 0, tzinfo=UTC)
CLAUDE_VERSION = "2.0.61"
CODEX_VERSION = "0.46.0"
SONNET = "claude-sonnet-4-5-20250929"
HAIKU = "claude-haiku-4-5-20251001"
CODEX_MODEL = "gpt-5-codex"

_ALNUM = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijk0123456789"

PROMPTS = [
    "Fix the failing order total test",
    "Add a discount parameter to total() and cover it with a test",
    "Write a short CHANGELOG entry for the discount feature",
    "Why does test_total fail on empty carts? Make it return 0",
    "Refactor orders.py so prices are Decimal, keep the API",
    "Add type hints to shop/orders.py",
]


def _ts(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


@dataclass
class ClaudeSession:
    """Builds the lines of one Claude Code transcript (main session or subagent)."""

    rng: random.Random
    session_id: str
    cwd: str
    clock: datetime
    branch: str = "main"
    version: str = CLAUDE_VERSION
    model: str = SONNET
    agent_id: str | None = None  # set for a subagent transcript (isSidechain lines)
    context: int = 12_000  # tokens already in the context window (system prompt, tools)
    lines: list[dict[str, Any]] = field(default_factory=list)
    _parent: str | None = None

    def _uuid(self) -> str:
        return str(uuid.UUID(int=self.rng.getrandbits(128), version=4))

    def _tick(self, low: float, high: float) -> str:
        self.clock += timedelta(seconds=self.rng.uniform(low, high))
        return _ts(self.clock)

    def _base(self, kind: str, stamp: str) -> dict[str, Any]:
        record: dict[str, Any] = {
            "parentUuid": self._parent, "isSidechain": self.agent_id is not None,
            "userType": "external", "cwd": self.cwd, "sessionId": self.session_id,
            "version": self.version, "gitBranch": self.branch,
        }
        if self.agent_id:
            record["agentId"] = self.agent_id
        record.update(type=kind, uuid=self._uuid(), timestamp=stamp)
        self._parent = record["uuid"]
        return record

    def user(self, text: str) -> None:
        record = self._base("user", self._tick(20, 90))
        record["message"] = {"role": "user", "content": text}
        self.lines.append(record)
        self.context += len(text) // 3 + 10

    def assistant(self, blocks: list[dict[str, Any]], output_tokens: int,
                  new_context: int | None = None) -> None:
        """One API response: one line per content block, usage repeated, partial until the last."""
        message_id = "msg_01" + "".join(self.rng.choices(_ALNUM, k=22))
        request_id = "req_011C" + "".join(self.rng.choices("ABCDEFGHJKLMNPQRSTUVWXYZ0123456789", k=20))
        fresh = new_context if new_context is not None else self.rng.randint(300, 4000)
        use_1h = self.agent_id is None and self.rng.random() < 0.2
        usage_base = {
            "input_tokens": self.rng.randint(3, 12),
            "cache_creation_input_tokens": fresh,
            "cache_read_input_tokens": self.context,
            "cache_creation": {"ephemeral_5m_input_tokens": 0 if use_1h else fresh,
                               "ephemeral_1h_input_tokens": fresh if use_1h else 0},
            "service_tier": "standard",
        }
        stamp = self._tick(2, 15)
        for position, block in enumerate(blocks):
            last = position == len(blocks) - 1
            record = self._base("assistant", stamp)
            partial = output_tokens if last else max(1, output_tokens * position // len(blocks))
            record["message"] = {
                "model": self.model, "id": message_id, "type": "message", "role": "assistant",
                "content": [block], "stop_reason": "tool_use" if last and block["type"] == "tool_use"
                else None, "stop_sequence": None,
                "usage": {**usage_base, "output_tokens": partial},
            }
            record["requestId"] = request_id
            self.lines.append(record)
        self.context += fresh + output_tokens

    def tool(self, name: str, tool_input: dict[str, Any], result: str, *, is_error: bool = False,
             text: str | None = None, output_tokens: int | None = None) -> None:
        tool_id = "toolu_01" + "".join(self.rng.choices(_ALNUM,
                                                           k=22))
        blocks: list[dict[str, Any]] = []
        if text:
            blocks.append({"type": "text", "text": text})
        blocks.append({"type": "tool_use", "id": tool_id, "name": name, "input": tool_input})
        self.assistant(blocks, output_tokens or self.rng.randint(60, 600))
        record = self._base("user", self._tick(0.2, 8))
        content: dict[str, Any] = {"tool_use_id": tool_id, "type": "tool_result", "content": result}
        if is_error:
            content["is_error"] = True
        record["message"] = {"role": "user", "content": [content]}
        record["toolUseResult"] = {"stdout": result, "stderr": "", "interrupted": False} \
            if name == "Bash" else result
        self.lines.append(record)
        self.context += len(result) // 3 + 20

    def say(self, text: str) -> None:
        self.assistant([{"type": "text", "text": text}], self.rng.randint(40, 400))

    def compact(self, pre_tokens: int) -> None:
        record = self._base("system", self._tick(1, 5))
        record.update(parentUuid=None, logicalParentUuid=record["parentUuid"], subtype="compact_boundary",
                      content="Conversation compacted", isMeta=False, level="info",
                      compactMetadata={"trigger": "auto", "preTokens": pre_tokens})
        self.lines.append(record)
        summary = self._base("user", self._tick(1, 3))
        summary["message"] = {"role": "user", "content": "This session is being continued from a previous "
                              "conversation that ran out of context. Summary: fixing order totals."}
        summary.update(isVisibleInTranscriptOnly=True, isCompactSummary=True)
        self.lines.append(summary)
        self.context = 18_000


def _abs(cwd: str, rel: str) -> str:
    return f"{cwd.rstrip('/')}/{rel}"


def build_claude_session(rng: random.Random, session_id: str, cwd: str, start: datetime, *,
                         turns: int = 4, compact: bool = False, subagent: bool = False,
                         filler: int = 0) -> tuple[ClaudeSession, ClaudeSession | None]:
    """A plausible working session; `filler` adds that many extra tool rounds (for size)."""
    s = ClaudeSession(rng, session_id, cwd, start)
    s.lines.append({"type": "file-history-snapshot", "messageId": s._uuid(),
                    "snapshot": {"messageId": "x", "trackedFileBackups": {}, "timestamp": _ts(start)},
                    "isSnapshotUpdate": False})
    sub: ClaudeSession | None = None
    for turn in range(turns):
        s.user(PROMPTS[(turn + rng.randint(0, len(PROMPTS) - 1)) % len(PROMPTS)] if turn else PROMPTS[
            rng.randint(0, len(PROMPTS) - 1)])
        s.tool("TodoWrite", {"todos": [
            {"content": "Reproduce the failure", "status": "in_progress", "activeForm": "Reproducing"},
            {"content": "Fix shop/orders.py", "status": "pending", "activeForm": "Fixing"}]},
            "Todos have been modified successfully.", text="I'll plan this first.")
        s.tool("Bash", {"command": "python -m pytest -q", "description": "Run the tests"},
               "F.\nFAILED tests/test_orders.py::test_total - KeyError: 'qty'\n1 failed, 1 passed",
               is_error=True)
        s.tool("Read", {"file_path": _abs(cwd, "shop/orders.py")},
               "     1\tdef total(items):\n     2\t    return sum(i['price'] * i['qty'] for i in items)\n")
        s.tool("Edit", {"file_path": _abs(cwd, "shop/orders.py"),
                        "old_string": "i['qty']", "new_string": "i.get('qty', 1)"},
               "The file shop/orders.py has been updated.", text="The quantity may be missing; default to 1.")
        if turn == 1:
            s.tool("Write", {"file_path": _abs(cwd, "tests/test_discount.py"),
                             "content": "from shop.orders import total\n\n\ndef test_discount():\n"
                                        "    assert total([{'price': 10, 'qty': 1}]) == 10\n"},
                   "File created successfully at: tests/test_discount.py")
        if subagent and turn == 0:
            agent_id = f"{rng.getrandbits(32):08x}"
            s.tool("Task", {"description": "Review the fix", "subagent_type": "code-reviewer",
                            "prompt": "Review shop/orders.py for edge cases"},
                   "Reviewed: handles missing qty; suggest a test for empty carts.")
            sub = ClaudeSession(rng, session_id, cwd, s.clock - timedelta(seconds=30), model=HAIKU,
                                agent_id=agent_id, context=8_000)
            sub.user("Review shop/orders.py for edge cases")
            sub.tool("Read", {"file_path": _abs(cwd, "shop/orders.py")}, "def total(items): ...")
            sub.tool("Grep", {"pattern": "total\\(", "path": cwd}, "shop/orders.py\ntests/test_orders.py")
            sub.say("Handles missing qty; an empty cart returns 0. Suggest a test for it.")
        for _ in range(filler):
            s.tool("Bash", {"command": f"rg -n 'def ' shop/ | head -{rng.randint(5, 50)}"},
                   "\n".join(f"shop/orders.py:{n}:def helper_{n}(x):" for n in range(rng.randint(5, 40))))
            if s.context > 160_000:  # Claude Code compacts before the window fills
                s.compact(s.context)
        if compact and turn == turns // 2:
            while s.context < 165_000:
                s.tool("Read", {"file_path": _abs(cwd, "docs/spec.md")}, "spec " * 200,
                       output_tokens=rng.randint(100, 300))
                s.context += 9_000
            s.compact(s.context)
        s.tool("Bash", {"command": "python -m pytest -q"}, "..\n2 passed in 0.03s")
        s.say("Done: the tests pass. I changed shop/orders.py to default a missing quantity to 1.")
    return s, sub


@dataclass
class CodexRollout:
    """Builds the lines of one Codex CLI rollout file."""

    rng: random.Random
    session_id: str
    cwd: str
    clock: datetime
    model: str = CODEX_MODEL
    lines: list[dict[str, Any]] = field(default_factory=list)
    total: dict[str, int] = field(default_factory=lambda: {
        "input_tokens": 0, "cached_input_tokens": 0, "output_tokens": 0,
        "reasoning_output_tokens": 0, "total_tokens": 0})
    context: int = 9_000

    def _add(self, kind: str, payload: dict[str, Any], low: float = 0.5, high: float = 6) -> None:
        self.clock += timedelta(seconds=self.rng.uniform(low, high))
        self.lines.append({"timestamp": _ts(self.clock), "type": kind, "payload": payload})

    def meta(self, branch: str = "main") -> None:
        self._add("session_meta", {
            "id": self.session_id, "timestamp": _ts(self.clock), "cwd": self.cwd,
            "originator": "codex_cli_rs", "cli_version": CODEX_VERSION, "instructions": None,
            "git": {"commit_hash": f"{self.rng.getrandbits(160):040x}", "branch": branch}}, 0, 0)
        self._add("response_item", {"type": "message", "role": "user", "content": [
            {"type": "input_text", "text": f"<environment_context>\n  <cwd>{self.cwd}</cwd>\n"
                                           "</environment_context>"}]}, 0, 0.1)

    def turn(self, prompt: str) -> None:
        self._add("turn_context", {"cwd": self.cwd, "approval_policy": "on-request",
                                   "sandbox_policy": {"mode": "workspace-write"}, "model": self.model,
                                   "effort": "medium", "summary": "auto"}, 10, 60)
        self._add("event_msg", {"type": "user_message", "message": prompt, "kind": "plain"}, 0, 0.1)
        self._add("response_item", {"type": "message", "role": "user",
                                    "content": [{"type": "input_text", "text": prompt}]}, 0, 0.1)
        self._add("event_msg", {"type": "token_count", "info": None, "rate_limits": None}, 0, 0.1)

    def request(self, repeat: bool = False) -> None:
        """One model request: a token_count with cumulative and last usage (sometimes repeated)."""
        fresh = self.rng.randint(200, 3000)
        last = {"input_tokens": self.context + fresh, "cached_input_tokens": self.context,
                "output_tokens": self.rng.randint(50, 900), "reasoning_output_tokens": 0}
        last["reasoning_output_tokens"] = last["output_tokens"] // 3
        last["total_tokens"] = last["input_tokens"] + last["output_tokens"]
        for key in self.total:
            self.total[key] += last[key]
        self.context += fresh + last["output_tokens"]
        info = {"total_token_usage": dict(self.total), "last_token_usage": last,
                "model_context_window": 272_000}
        for _ in range(2 if repeat else 1):
            self._add("event_msg", {"type": "token_count", "info": info, "rate_limits": {
                "primary": {"used_percent": 3.0, "window_minutes": 300}}}, 0.1, 2)

    def shell(self, command: str, output: str, exit_code: int = 0) -> None:
        call_id = "call_" + "".join(self.rng.choices(_ALNUM, k=24))
        self._add("response_item", {"type": "reasoning", "summary": [
            {"type": "summary_text", "text": "**Running the tests**"}], "content": None,
            "encrypted_content": "gAAAAA" + "x" * 40})
        self._add("response_item", {"type": "function_call", "name": "shell", "arguments": json.dumps(
            {"command": ["bash", "-lc", command], "workdir": self.cwd}), "call_id": call_id})
        self.request()
        self._add("response_item", {"type": "function_call_output", "call_id": call_id, "output": json.dumps(
            {"output": output, "metadata": {"exit_code": exit_code, "duration_seconds": 0.4}})})

    def apply_patch(self, path: str) -> None:
        call_id = "call_" + "".join(self.rng.choices(_ALNUM, k=24))
        patch = (f"*** Begin Patch\n*** Update File: {path}\n@@\n"
                 "-    return sum(i['price'] * i['qty'] for i in items)\n"
                 "+    return sum(i['price'] * i.get('qty', 1) for i in items)\n*** End Patch\n")
        self._add("response_item", {"type": "custom_tool_call", "status": "completed", "call_id": call_id,
                                    "name": "apply_patch", "input": patch})
        self.request(repeat=True)
        output = json.dumps({"output": f"Success. Updated the following files:\nM {path}\n",
                             "metadata": {"exit_code": 0, "duration_seconds": 0.0}})
        self._add("response_item", {"type": "custom_tool_call_output", "call_id": call_id, "output": output})

    def answer(self, text: str) -> None:
        self.request()
        self._add("event_msg", {"type": "agent_message", "message": text})
        self._add("response_item", {"type": "message", "role": "assistant",
                                    "content": [{"type": "output_text", "text": text}]}, 0, 0.1)


def build_codex_rollout(rng: random.Random, session_id: str, cwd: str, start: datetime,
                        turns: int = 2) -> CodexRollout:
    r = CodexRollout(rng, session_id, cwd, start)
    r.meta()
    for turn in range(turns):
        r.turn(PROMPTS[(turn + 1) % len(PROMPTS)])
        r.shell("python -m pytest -q", "F.\n1 failed, 1 passed", exit_code=1)
        r.apply_patch("shop/orders.py")
        r.shell("python -m pytest -q", "..\n2 passed")
        r.answer("Fixed: a missing quantity now defaults to 1; tests pass.")
    return r


def write_jsonl(path: Path, lines: list[dict[str, Any]]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as handle:
        for line in lines:
            handle.write(json.dumps(line, separators=(",", ":")) + "\n")
    return path


def session_uuid(rng: random.Random) -> str:
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


def write_sample_corpus(home: Path, repo: Path, sessions: int = 3, seed: int = 0,
                        start: datetime | None = None, spacing: timedelta = timedelta(hours=3),
                        codex: bool = True) -> list[Path]:
    """Write `sessions` Claude Code sessions (+ one Codex rollout) for `repo`; return the paths.

    Session 0 has a subagent, session 1 a compaction (context above 80% first). Sessions
    start `spacing` apart from `start` (default a fixed date, so output is reproducible).
    """
    rng = random.Random(seed)
    cwd = str(Path(repo).resolve())
    begin = start or DEFAULT_START
    project = Path(home) / ".claude" / "projects" / claude_project_slug(cwd)
    written: list[Path] = []
    for index in range(sessions):
        session_id = session_uuid(rng)
        main, sub = build_claude_session(rng, session_id, cwd, begin + spacing * index,
                                         turns=2 + index % 2, compact=index == 1, subagent=index == 0)
        written.append(write_jsonl(project / f"{session_id}.jsonl", main.lines))
        if sub is not None:
            written.append(write_jsonl(project / session_id / "subagents" / f"agent-{sub.agent_id}.jsonl",
                                       sub.lines))
    if codex:
        session_id = session_uuid(rng)
        moment = begin + spacing * sessions
        rollout = build_codex_rollout(rng, session_id, cwd, moment)
        day = Path(home) / ".codex" / "sessions" / moment.strftime("%Y/%m/%d")
        name = f"rollout-{moment.strftime('%Y-%m-%dT%H-%M-%S')}-{session_id}.jsonl"
        written.append(write_jsonl(day / name, rollout.lines))
    return written
