"""Starting, resuming and cancelling RPI runs: the entry points `ao rpi` calls. The
phases themselves are driven by `runner.Runner`."""

from __future__ import annotations

import contextlib
import os
import signal
from pathlib import Path
from typing import Any

from agentops_os import git
from agentops_os.config import load_config
from agentops_os.errors import FatalError
from agentops_os.runtimes import events as ev
from agentops_os.runtimes import make as make_runtime
from agentops_os.workflows import runs, strays
from agentops_os.workflows.rpi.records import (
    CANCELLED,
    DONE,
    FINAL,
    PHASES,
    PREFIX,
    RUNNING,
    Asker,
    Reporter,
    Settings,
    cleanup_worktree,
)
from agentops_os.workflows.rpi.runner import Runner


def start(root: Path, goal: str, settings: Settings, *, report: Reporter | None = None,
          ask: Asker | None = None) -> dict[str, Any]:
    goal = goal.strip()
    if not goal:
        raise FatalError("the goal is empty: say what the run should achieve, "
                         "e.g. ao rpi \"add a --json flag\"")
    settings.check()
    make_runtime(settings.runtime, load_config(root), script=settings.script)  # unknown name: exit 2 now
    base_commit = git.head_sha(root)
    if base_commit is None:
        raise FatalError(f"{root}: the repository has no commit yet; commit once before a run")
    run = runs.RunDir.open(root, runs.new_id(PREFIX))
    state: dict[str, Any] = {
        "kind": "rpi", "id": run.id, "goal": goal, "status": RUNNING, "phase": PHASES[0],
        "created": runs.now(), "settings": vars(settings).copy(),
        "repo": {"base_branch": git.current_branch(root) or "", "base_commit": base_commit,
                 "branch": "", "worktree": ""},
        "phases": {p: {"status": "pending"} for p in PHASES},
        "calls": [], "attempts": {}, "cost_usd": 0.0, "tokens": 0, "failures": "",
        "approval": "", "handoff": "", "outcome": "", "error": "",
    }
    run.save(state)
    run.event("run.started", goal=goal, runtime=settings.runtime)
    return Runner(root, run, state, report=report, ask=ask).drive()


def resume(root: Path, ident: str, *, report: Reporter | None = None,
           ask: Asker | None = None) -> dict[str, Any]:
    run = runs.find(root, ident, PREFIX)
    state = run.load()
    if state["status"] in FINAL:
        raise FatalError(f"run {run.id} is {state['status']}; nothing to resume")
    lock = run.read_lock()
    if runs.pid_alive(int(lock.get("runner_pid") or 0)) and int(lock["runner_pid"]) != os.getpid():
        raise FatalError(f"run {run.id} is still running (pid {lock['runner_pid']}); "
                         f"`ao rpi cancel {run.id}` stops it")
    kill_orphan(run, lock)
    for phase in PHASES:  # a phase killed mid-way is re-run from its start
        if state["phases"][phase]["status"] == "running":
            state["phases"][phase]["status"] = "pending"
    state["status"], state["error"] = RUNNING, ""
    run.save(state)
    run.event("run.resumed")
    return Runner(root, run, state, report=report, ask=ask).drive()


def cancel(root: Path, ident: str) -> dict[str, Any]:
    """Stop a run: signal its runner (which kills the agent's group) or, if the runner is
    gone, kill what it left and mark the run cancelled."""
    from agentops_os.procs import group_alive, kill_group

    run = runs.find(root, ident, PREFIX)
    state = run.load()
    if state["status"] in (DONE, CANCELLED):
        raise FatalError(f"run {run.id} is already {state['status']}")
    lock = run.read_lock()
    pid = int(lock.get("runner_pid") or 0)
    run.write_lock(cancel_requested=True)
    if runs.pid_alive(pid):
        os.kill(pid, signal.SIGTERM)
        for _ in range(200):  # the runner records the cancel itself; wait for it (10 s)
            if not runs.pid_alive(pid):
                break
            with contextlib.suppress(Exception):
                if run.load()["status"] == CANCELLED:
                    break
            ev.Cancel().wait(0.05)
        state = run.load()
        if state["status"] == CANCELLED:
            return state
    pgid = int(lock.get("agent_pgid") or 0)
    if pgid and group_alive(pgid):
        kill_group(pgid)
    strays.stop({"AO_RUN_ID": run.id})  # what the agent started outside its group
    state["status"] = CANCELLED
    state["error"] = "cancelled by `ao rpi cancel`"
    for phase in PHASES:
        if state["phases"][phase]["status"] == "running":
            state["phases"][phase]["status"] = "pending"
    run.save(state)
    run.event("run.cancelled", by="ao rpi cancel")
    cleanup_worktree(root, run, state)
    run.clear_lock()
    return state


def kill_orphan(run: runs.RunDir, lock: dict[str, Any]) -> None:
    from agentops_os.procs import group_alive, kill_group

    pgid = int(lock.get("agent_pgid") or 0)
    if pgid and group_alive(pgid):
        kill_group(pgid)
        run.event("agent.orphan_killed", pgid=pgid)
    strays.stop({"AO_RUN_ID": run.id})  # and what it started outside its group


