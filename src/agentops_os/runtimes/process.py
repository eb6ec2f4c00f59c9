"""Run one agent CLI as a child in its own process group, line by line.

Why a process group: agent CLIs start their own children (shells, MCP servers, node
workers). A timeout or a cancel must stop all of them, so the whole group is signalled
(`agentops_os.procs.kill_group`); killing only the direct child would leave the shells
running in the user's repository.
"""

from __future__ import annotations

import contextlib
import subprocess
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from agentops_os.procs import POLL_S, TERM_GRACE_S, kill_group
from agentops_os.runtimes.events import Cancel

STDERR_TAIL_LINES = 40


class NotInstalled(Exception):
    """The runtime's CLI is not on PATH (or not executable)."""


@dataclass
class Outcome:
    returncode: int | None
    timed_out: bool
    cancelled: bool
    stderr_tail: str
    duration_s: float


def run_lines(argv: list[str], *, cwd: Path, env: dict[str, str], on_line: Callable[[str], None],
              cancel: Cancel, timeout: float = 0.0, stdin_text: str | None = None,
              on_spawn: Callable[[int], None] | None = None) -> Outcome:
    """Start `argv`, hand each stdout line to `on_line` (in a reader thread), and return
    when the process ends, times out or `cancel` is set; the group is killed in the two
    latter cases. `on_spawn` receives the process group id (so a supervisor can record it
    and clean up after its own crash)."""
    started = time.monotonic()
    try:
        proc = subprocess.Popen(
            argv, cwd=str(cwd), env=env,
            stdin=subprocess.PIPE if stdin_text is not None else subprocess.DEVNULL,
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)
    except FileNotFoundError as exc:
        raise NotInstalled(argv[0]) from exc
    except PermissionError as exc:
        raise NotInstalled(f"{argv[0]} (not executable)") from exc
    if on_spawn is not None:
        on_spawn(proc.pid)  # start_new_session: the pid is the group id
    tail: deque[str] = deque(maxlen=STDERR_TAIL_LINES)
    failures: list[BaseException] = []

    def read_stdout() -> None:
        assert proc.stdout is not None
        try:
            for raw in proc.stdout:
                line = raw.decode("utf-8", "replace").rstrip("\r\n")
                if line:
                    on_line(line)
        except BaseException as exc:  # re-raised in the caller's thread
            failures.append(exc)
            cancel.set("internal error")

    def read_stderr() -> None:
        assert proc.stderr is not None
        for raw in proc.stderr:
            tail.append(raw.decode("utf-8", "replace").rstrip())

    readers = [threading.Thread(target=read_stdout, daemon=True),
               threading.Thread(target=read_stderr, daemon=True)]
    for thread in readers:
        thread.start()
    if stdin_text is not None:
        assert proc.stdin is not None
        with contextlib.suppress(BrokenPipeError):
            proc.stdin.write(stdin_text.encode("utf-8"))
        with contextlib.suppress(BrokenPipeError):
            proc.stdin.close()
    timed_out = cancelled = False
    while proc.poll() is None:
        if cancel.wait(POLL_S):
            cancelled = True
            break
        if timeout and time.monotonic() - started > timeout:
            timed_out = True
            break
    if proc.poll() is None:
        kill_group(proc.pid, proc)
    # Stdout is read to its end before returning, so the last events are never lost.
    for thread in readers:
        thread.join(timeout=TERM_GRACE_S + 2)
    if failures:
        raise failures[0]
    return Outcome(proc.returncode, timed_out, cancelled and not timed_out, "\n".join(tail),
                   time.monotonic() - started)
