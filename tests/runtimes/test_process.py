"""Process handling of the CLI runtimes: process groups, timeout, cancel, stderr, missing CLIs."""

from __future__ import annotations

import os
import sys
import threading
import time
from pathlib import Path

import pytest

from agentops_os.procs import group_alive
from agentops_os.runtimes import events as ev
from agentops_os.runtimes.process import NotInstalled, run_lines

# A parent that starts a grandchild in the background, prints its pid, then waits: what
# an agent CLI does with the shells it runs.
FAMILY = ("import subprocess, sys, time\n"
          "child = subprocess.Popen(['sleep', '300'])\n"
          "print(child.pid, flush=True)\n"
          "print('to stderr', file=sys.stderr, flush=True)\n"
          "time.sleep(300)\n")


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[-1].split()[0] != "Z"
    except OSError:
        return False


def _wait_dead(pid: int, seconds: float = 10) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if not _alive(pid):
            return True
        time.sleep(0.05)
    return False


def test_timeout_kills_the_whole_group(tmp_path: Path) -> None:
    lines: list[str] = []
    groups: list[int] = []
    outcome = run_lines([sys.executable, "-c", FAMILY], cwd=tmp_path, env=dict(os.environ),
                        on_line=lines.append, cancel=ev.Cancel(), timeout=1.0, on_spawn=groups.append)
    assert outcome.timed_out and not outcome.cancelled
    grandchild = int(lines[0])
    assert _wait_dead(grandchild)
    assert not group_alive(groups[0])
    assert "to stderr" in outcome.stderr_tail


def test_cancel_from_another_thread_kills_the_group(tmp_path: Path) -> None:
    cancel = ev.Cancel()
    lines: list[str] = []

    def on_line(line: str) -> None:
        lines.append(line)
        threading.Timer(0.2, cancel.set, args=("stop now",)).start()

    outcome = run_lines([sys.executable, "-c", FAMILY], cwd=tmp_path, env=dict(os.environ), on_line=on_line,
                        cancel=cancel, timeout=0)
    assert outcome.cancelled and not outcome.timed_out
    assert cancel.reason == "stop now"
    assert _wait_dead(int(lines[0]))


def test_every_line_is_delivered_before_return(tmp_path: Path) -> None:
    lines: list[str] = []
    code = "import sys\nfor i in range(20000): print(i)\nsys.exit(3)\n"
    outcome = run_lines([sys.executable, "-c", code], cwd=tmp_path, env=dict(os.environ),
                        on_line=lines.append, cancel=ev.Cancel())
    assert outcome.returncode == 3
    assert lines == [str(i) for i in range(20000)]


def test_stdin_is_fed_and_closed(tmp_path: Path) -> None:
    lines: list[str] = []
    code = "import sys\nprint(len(sys.stdin.read()))\n"
    run_lines([sys.executable, "-c", code], cwd=tmp_path, env=dict(os.environ), on_line=lines.append,
              cancel=ev.Cancel(), stdin_text="x" * 300_000)
    assert lines == ["300000"]


def test_a_missing_executable_is_not_installed(tmp_path: Path) -> None:
    with pytest.raises(NotInstalled):
        run_lines(["no-such-agent-cli-xyz"], cwd=tmp_path, env=dict(os.environ), on_line=print,
                  cancel=ev.Cancel())


def test_a_timeout_stops_the_whole_group_not_only_the_child(tmp_path: Path) -> None:
    """`procs.run`: a shell that left a grandchild running is stopped with everything it
    started (subprocess.run's timeout kills only the direct child)."""
    from agentops_os import procs

    pidfile = tmp_path / "grandchild.pid"
    done = procs.run(f"sleep 60 & echo $! > {pidfile}; wait", timeout=0.5)
    assert done.timed_out and done.returncode is None
    grandchild = int(pidfile.read_text())
    try:
        state = Path(f"/proc/{grandchild}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except FileNotFoundError:
        state = "gone"
    assert state in ("gone", "Z")  # a zombie waiting for init to reap it no longer runs
    ok = procs.run(["sh", "-c", "printf out; printf err >&2; exit 3"], merge_stderr=False)
    assert (ok.returncode, ok.stdout, ok.stderr, ok.timed_out) == (3, "out", "err", False)
