"""The `codex` runtime: `codex exec --json`, its rollout found under CODEX_HOME/sessions/."""

from __future__ import annotations

import os
from pathlib import Path

from agentops_os.runtimes import events as ev
from agentops_os.runtimes.cli import CliRuntime, Stream
from agentops_os.runtimes.codex_stream import CodexStream

# An argument longer than this could hit the kernel's per-argument limit (128 KiB).
MAX_ARG_PROMPT = 64 * 1024


class CodexRuntime(CliRuntime):
    name = "codex"
    _env: dict[str, str] = {}
    install_hint = "install Codex with `npm install -g @openai/codex`"

    def argv(self, prompt: str, cwd: Path, options: ev.RunOptions) -> list[str]:
        args = ["exec", "--json", "--skip-git-repo-check", "--color", "never", "-C", str(cwd)]
        if options.model:
            args += ["--model", options.model]
        if options.append_system_prompt:
            # Codex has no "append to the system prompt" flag; developer instructions are its
            # closest equivalent and are set through config.
            args += ["-c", "developer_instructions=" + _toml_string(options.append_system_prompt)]
        sandbox = options.permission_mode or _sandbox_for(options.allowed_tools)
        if sandbox:
            args += ["--sandbox", sandbox]
        tail = ["-" if len(prompt) > MAX_ARG_PROMPT else prompt]
        if options.resume:
            return [*args, "resume", options.resume, *tail]
        return [*args, *tail]

    def stdin(self, prompt: str) -> str | None:
        return prompt if len(prompt) > MAX_ARG_PROMPT else None

    def stream(self) -> Stream:
        return _LiveContext(CodexStream(), self._env)

    def environment(self, env: dict[str, str], options: ev.RunOptions) -> dict[str, str]:
        self._env = env
        return env

    def transcript(self, result: ev.RunResult, cwd: Path, env: dict[str, str]) -> Path | None:
        return find_rollout(result.session_id, env)


_WRITING_TOOLS = frozenset({"Edit", "MultiEdit", "Write", "Bash", "NotebookEdit"})


def _sandbox_for(allowed_tools: tuple[str, ...]) -> str:
    """Codex has no per-tool allow list; its sandbox is the nearest thing. A phase allowed
    to write or run commands (Claude Code tool names, as `rpi.tools` gives them) gets the
    workspace-write sandbox, a read-only phase the read-only one; no list, Codex's default."""
    if not allowed_tools:
        return ""
    names = {tool.split("(", 1)[0] for tool in allowed_tools}
    return "workspace-write" if names & _WRITING_TOOLS else "read-only"


def find_rollout(thread_id: str, env: dict[str, str]) -> Path | None:
    if not thread_id:
        return None
    default = str(Path(env.get("HOME") or Path.home()) / ".codex")
    home = Path(os.path.expanduser(env.get("CODEX_HOME") or default))
    sessions = home / "sessions"
    if not sessions.is_dir():
        return None
    found = sorted(sessions.rglob(f"rollout-*{thread_id}.jsonl"))
    return found[-1] if found else None


class _LiveContext:
    """Adds per-request context figures to the stream: after each completed item the
    rollout's last `token_count` (one request's input, cached included) is read from the
    file's tail. `turn.completed` alone sums many requests and would overstate the context."""

    def __init__(self, inner: CodexStream, env: dict[str, str]) -> None:
        self.inner = inner
        self.env = env
        self.rollout: Path | None = None
        self.last = 0

    def feed(self, line: str) -> list[ev.Event]:
        events = self.inner.feed(line)
        if '"item.completed"' in line and self.inner.thread_id:
            events = [*self._context(), *events]
        return events

    def _context(self) -> list[ev.Event]:
        from agentops_os.context.tail import last_usage

        if self.rollout is None:
            self.rollout = find_rollout(self.inner.thread_id, self.env)
            if self.rollout is None:
                return []
        found = last_usage(self.rollout)
        if found is None or found[0] == self.last:
            return []
        self.last = found[0]
        return [ev.UsageReport(ev.Usage(input=found[0]), found[1] or "", "")]


def _toml_string(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return f'"{escaped}"'
