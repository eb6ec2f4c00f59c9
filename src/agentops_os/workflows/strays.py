"""Stop what an agent of `ao swarm` or `ao rpi` left running outside its process group.

Stopping the agent's process group is not enough: whatever the agent started in a session
of its own is not in that group. Hooks are one case (the scripted agent, like `procs.run`,
starts each PreToolUse hook with `start_new_session`), and so are daemons and detached
servers a real agent CLI starts. One of those that outlives a cancel keeps writing into the
task's worktree after the worktree is removed: `ao hook` creating its cache directory
brings the removed worktree back (the swarm cancel test saw `<swarm>-slot1/.agents` left).

What every descendant keeps, whatever its group or session, is the environment the run gave
the agent (`AO_RUN_ID`, `AO_RUN_PHASE`, `AO_RUN_ATTEMPT`, and `AO_SWARM_TASK` in a swarm), so
that is how they are found:
on Linux through `/proc/<pid>/environ` (a process of another user cannot be read, and is not
ours to stop). Elsewhere there is no such listing and this does nothing.
"""

from __future__ import annotations

import contextlib
import os
import signal
import time
from collections.abc import Iterator, Mapping
from pathlib import Path

from agentops_os.procs import POLL_S, TERM_GRACE_S

PROC = Path("/proc")
ROUNDS = 5  # a stray may start another before it is stopped: look again, a few times


def task_environment(swarm_id: str, task_id: str, attempt: int) -> dict[str, str]:
    """The variables that mark an attempt's agent and everything it starts."""
    return {
        "AO_RUN_ID": swarm_id,
        "AO_RUN_PHASE": task_id,
        "AO_RUN_ATTEMPT": str(attempt),
        "AO_SWARM_TASK": task_id,
    }


def stop(marks: Mapping[str, str]) -> list[int]:
    """SIGTERM every process whose environment carries all of `marks`, SIGKILL what is left
    after the grace period; the pids found. Never raises: it runs in cleanup paths."""
    wanted = {f"{k}={v}".encode() for k, v in marks.items()}
    if not wanted:
        return []
    stopped: list[int] = []
    try:
        for _ in range(ROUNDS):
            found = [pid for pid in _pids() if _carries(pid, wanted)]
            if not found:
                break
            _terminate(found)
            stopped.extend(pid for pid in found if pid not in stopped)
    except OSError:  # /proc unreadable as a whole: nothing more can be done from here
        pass
    return stopped


def _pids() -> Iterator[int]:
    if not PROC.is_dir():
        return
    me = os.getpid()
    for entry in os.scandir(PROC):
        if entry.name.isdigit() and int(entry.name) != me:
            yield int(entry.name)


def _carries(pid: int, wanted: set[bytes]) -> bool:
    try:
        environ = (PROC / str(pid) / "environ").read_bytes()  # empty for a zombie
    except OSError:  # gone, or another user's
        return False
    return wanted <= set(environ.split(b"\0"))


def _terminate(pids: list[int]) -> None:
    """Each stray's whole group when it leads one of its own (its children go with it), the
    process alone when it shares a group with this process."""
    own = os.getpgrp()
    targets: set[tuple[int, bool]] = set()
    for pid in pids:
        with contextlib.suppress(OSError):
            group = os.getpgid(pid)
            targets.add((group, True) if group != own else (pid, False))
    for sig, wait in ((signal.SIGTERM, TERM_GRACE_S), (signal.SIGKILL, 5.0)):
        for target, is_group in targets:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                (os.killpg if is_group else os.kill)(target, sig)
        deadline = time.monotonic() + wait
        while targets and time.monotonic() < deadline:
            living = _living()
            groups = set(living.values())
            targets = {(t, g) for t, g in targets if (t in groups if g else t in living)}
            if targets:
                time.sleep(POLL_S)
        if not targets:
            return


def _living() -> dict[int, int]:
    """pid -> process group of every process that has not exited (a zombie holds nothing and
    waits only for its parent, maybe a careless init, to collect it)."""
    out: dict[int, int] = {}
    for pid in _pids():
        try:
            fields = (PROC / str(pid) / "stat").read_text().rsplit(")", 1)[-1].split()
        except OSError:
            continue
        if fields and fields[0] != "Z":
            out[pid] = int(fields[2])
    return out
