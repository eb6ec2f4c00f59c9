"""Child processes, started one way: each in its own process group, so a timeout or a
cancel stops everything it started.

Gate checks, agent CLIs, shell tools of the scripted and API runtimes, bundle
compression and swarm setup commands all start programs that start programs (a shell, a
test runner's workers, node, MCP servers). `subprocess.run(timeout=...)` kills only the
direct child and leaves the rest running in the user's repository; here the whole group
gets SIGTERM, then SIGKILL after a grace period. Streaming agent output line by line is
`runtimes.process.run_lines`, built on the same group handling.
"""

from __future__ import annotations

import os
import signal
import subprocess
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

TERM_GRACE_S = 3.0  # between SIGTERM and SIGKILL of a group
POLL_S = 0.05


@dataclass
class Finished:
    returncode: int | None  # None when it was killed on timeout
    stdout: str
    stderr: str  # "" when stderr was merged into stdout
    timed_out: bool
    seconds: float

    @property
    def output(self) -> str:
        return self.stdout + self.stderr


def run(args: Sequence[str] | str, *, cwd: str | os.PathLike[str] | None = None,
        env: Mapping[str, str] | None = None, input: str | None = None, timeout: float | None = None,
        merge_stderr: bool = False) -> Finished:
    """Run `args` (a string runs through the shell) to the end or to `timeout`, output
    decoded as UTF-8 (invalid bytes replaced). Raises OSError when it cannot start."""
    started = time.monotonic()
    proc = subprocess.Popen(
        args, shell=isinstance(args, str), cwd=cwd, env=dict(env) if env is not None else None,
        stdin=subprocess.PIPE if input is not None else subprocess.DEVNULL, stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT if merge_stderr else subprocess.PIPE, start_new_session=True)
    data = input.encode("utf-8") if input is not None else None
    timed_out = False
    try:
        out, err = proc.communicate(data, timeout=timeout)
    except subprocess.TimeoutExpired:
        timed_out = True
        kill_group(proc.pid, proc)
        out, err = proc.communicate()
    return Finished(None if timed_out else proc.returncode, _text(out), _text(err), timed_out,
                    time.monotonic() - started)


def _text(raw: bytes | None) -> str:
    return (raw or b"").decode("utf-8", errors="replace")


def kill_group(pgid: int, proc: subprocess.Popen[bytes] | None = None) -> None:
    """SIGTERM the group, then SIGKILL what is left after a grace period."""
    for sig, wait in ((signal.SIGTERM, TERM_GRACE_S), (signal.SIGKILL, 5.0)):
        try:
            os.killpg(pgid, sig)
        except (ProcessLookupError, PermissionError):
            return
        deadline = time.monotonic() + wait
        while time.monotonic() < deadline:
            if proc is not None and proc.poll() is not None and not group_alive(pgid):
                return
            if proc is None and not group_alive(pgid):
                return
            time.sleep(POLL_S)


def group_alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
