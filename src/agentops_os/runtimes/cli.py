"""What the CLI-driven runtimes (claude, codex, scripted) share: spawn, stream, stop, report.

A subclass says how to start its CLI and which stream reader understands its output; the
spawning, the live budgets, cancel/timeout and the mapping of failures to one line live
here once.
"""

from __future__ import annotations

import os
import shlex
from collections.abc import Callable
from pathlib import Path
from typing import Any, Protocol

from agentops_os.runtimes import events as ev
from agentops_os.runtimes.process import NotInstalled, run_lines
from agentops_os.runtimes.tracker import Price, Tracker


class Stream(Protocol):
    def feed(self, line: str) -> list[ev.Event]: ...


class CliRuntime:
    name = ""
    install_hint = ""

    def __init__(self, command: str = "", *, window: Callable[[str], int] | None = None,
                 price: Price | None = None) -> None:
        self.command = shlex.split(command) if command else [self.default_command()]
        self.window = window or (lambda model: 200_000)
        self.price = price
        self.on_spawn: Callable[[int], None] | None = None  # set by a supervisor

    # -- what a subclass provides ---------------------------------------------------------
    def default_command(self) -> str:
        return self.name

    def argv(self, prompt: str, cwd: Path, options: ev.RunOptions) -> list[str]:
        raise NotImplementedError

    def stdin(self, prompt: str) -> str | None:
        return None

    def stream(self) -> Stream:
        raise NotImplementedError

    def environment(self, env: dict[str, str], options: ev.RunOptions) -> dict[str, str]:
        return env

    def transcript(self, result: ev.RunResult, cwd: Path, env: dict[str, str]) -> Path | None:
        return None

    def describe_failure(self, failure: str, returncode: int | None, stderr_tail: str) -> str:
        if failure:
            return failure
        last = next((line for line in reversed(stderr_tail.splitlines()) if line.strip()), "")
        if returncode not in (0, None):
            return f"{self.name} exited {returncode}" + (f": {last.strip()[:300]}" if last else "")
        return f"{self.name} ended without a final result" + (f": {last.strip()[:300]}" if last else "")

    # -- the shared run -------------------------------------------------------------------
    def run(self, prompt: str, cwd: Path, env: dict[str, str] | None = None,
            options: ev.RunOptions | None = None, listener: ev.Listener | None = None) -> ev.RunResult:
        options = options or ev.RunOptions()
        full_env = self.environment({**os.environ, **(env or {})}, options)
        window = options.context_window or self.window(options.model)
        tracker = Tracker(self.name, options, window, listener, self.price)
        stream = self.stream()

        def on_line(line: str) -> None:
            for event in stream.feed(line):
                tracker(event)

        argv = [*self.command, *self.argv(prompt, cwd, options), *options.extra_args]
        try:
            outcome = run_lines(argv, cwd=cwd, env=full_env, on_line=on_line, cancel=options.cancel,
                                timeout=options.timeout, stdin_text=self.stdin(prompt),
                                on_spawn=self.on_spawn)
        except NotInstalled as exc:
            return ev.RunResult(self.name, ev.FAILED,
                                error=f"{exc} not found: {self.install_hint}", context_window=window)
        result = tracker.finish(
            returncode=outcome.returncode, timed_out=outcome.timed_out, cancelled=outcome.cancelled,
            stderr_tail=outcome.stderr_tail, duration_s=outcome.duration_s,
            describe_failure=lambda failure, code: self.describe_failure(failure, code, outcome.stderr_tail))
        found = self.transcript(result, cwd, full_env)
        result.transcript = str(found) if found is not None else ""
        if found is not None:
            _peak_from_transcript(result, found)
        return result


def _peak_from_transcript(result: ev.RunResult, path: Path) -> None:
    """The transcript has every request's context; the stream may not (Codex sums turns)."""
    from agentops_os.context.live import session_usage

    usage = session_usage(path)
    if usage is not None and usage.peak:
        result.context_peak = max(result.context_peak, usage.peak)
        if usage.window and not result.context_window:
            result.context_window = usage.window


def claude_config_dirs(env: dict[str, str]) -> list[Path]:
    """Where a Claude Code started with `env` writes: CLAUDE_CONFIG_DIR entries or ~/.claude."""
    configured = env.get("CLAUDE_CONFIG_DIR", "").strip()
    if configured:
        return [Path(os.path.expanduser(p.strip())) for p in configured.split(",") if p.strip()]
    home = Path(env.get("HOME") or Path.home())
    return [home / ".claude", home / ".config" / "claude"]


def find_claude_transcript(session_id: str, cwd: Path, env: dict[str, str]) -> Path | None:
    from agentops_os.transcripts.locate import claude_project_slug

    if not session_id:
        return None
    slug = claude_project_slug(cwd.resolve())
    for directory in claude_config_dirs(env):
        candidate = directory / "projects" / slug / f"{session_id}.jsonl"
        if candidate.is_file():
            return candidate
        for other in (directory / "projects").glob(f"*/{session_id}.jsonl"):
            return other
    return None


def as_dict(options: ev.RunOptions) -> dict[str, Any]:
    return {k: v for k, v in vars(options).items() if k != "cancel"}
