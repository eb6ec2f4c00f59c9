"""One swarm task from start to finish, the same on every executor.

worktree on `ao/swarm-<swarm>-<task>` from the base commit → copy `.worktreeinclude`
files and run the setup command → the agent (through a runtime) → commit its work →
the task's gates → a `TaskResult`. A lock file beside the worktree names the process
that owns it and the agent's process group, so `ao swarm gc` can tell an orphan (its
owner died) from work in progress. The worktree is removed when the task ends; the
branch is kept when it has commits.
"""

from __future__ import annotations

import os
import shutil
import time
import uuid
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import orjson

from agentops_os import git, procs
from agentops_os.errors import FatalError
from agentops_os.runtimes import events as ev
from agentops_os.store.atomic import write_atomic
from agentops_os.workflows import strays, worktree
from agentops_os.workflows.swarm.tasks import Task

SETUP_TIMEOUT_S = 1800  # a task's setup command (dependency installs)

INCLUDE_FILE = ".worktreeinclude"


@dataclass
class Settings:
    swarm_id: str
    base_commit: str
    runtime: str
    script: str = ""
    model: str = ""
    gates: str = ""  # default gate set ("" = none)
    setup_command: str = ""
    context_limit: float = 0.40
    timeout: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class TaskResult:
    id: str
    status: str  # passed | failed | gate-failed | cancelled | timeout
    branch: str = ""
    commits: list[str] = field(default_factory=list)
    gate: dict[str, Any] = field(default_factory=dict)
    diff_stat: str = ""
    tokens: int = 0
    cost_usd: float = 0.0
    duration_s: float = 0.0
    session_id: str = ""
    transcript: str = ""
    error: str = ""
    attempt: int = 1
    worker: str = ""

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> TaskResult:
        return cls(**{k: v for k, v in data.items() if k in cls.__dataclass_fields__})


def branch_name(swarm_id: str, task_id: str) -> str:
    return f"ao/{swarm_id}-{task_id}"


def lock_path(root: Path, swarm_id: str, task_id: str) -> Path:
    return worktree.base_dir(root) / f"{swarm_id}-{task_id}.lock"


def run_task(
    root: Path,
    task: Task,
    settings: Settings,
    cancel: ev.Cancel,
    *,
    attempt: int = 1,
    listener: ev.Listener | None = None,
    runtime: Any = None,
    slot: str = "",
) -> TaskResult:
    """`slot` names a worktree that this swarm reuses from task to task (the local
    coordinator gives each worker one); without it the task gets a worktree of its own."""
    from agentops_os.config import load_config
    from agentops_os.runtimes import make as make_runtime

    started = time.monotonic()
    branch = branch_name(settings.swarm_id, task.id)
    name = f"{settings.swarm_id}-{task.id}"
    lock = lock_path(root, settings.swarm_id, task.id)
    result = TaskResult(
        task.id, "failed", branch=branch, attempt=attempt, worker=f"{os.uname().nodename}:{os.getpid()}"
    )
    tree_name = f"{settings.swarm_id}-{slot}" if slot else name
    owner = {
        "pid": os.getpid(),
        "task": task.id,
        "swarm": settings.swarm_id,
        "tree": str(worktree.base_dir(root) / tree_name),
    }
    write_atomic(lock, orjson.dumps({**owner, "pgid": 0}))
    env = strays.task_environment(settings.swarm_id, task.id, attempt)
    tree: Path | None = None
    try:
        _check(cancel)  # cancelled before it started (the swarm was cancelled as it was submitted)
        if attempt > 1:  # a retry starts again from the base, not from the failed attempt's work
            git.run(["branch", "-D", branch], root, check=False)
        if slot:
            tree = worktree.reuse(root, tree_name, branch, settings.base_commit)
        else:
            tree = worktree.create(root, name, branch, settings.base_commit)
        _copy_included(root, tree)
        if settings.setup_command:
            _setup(tree, settings.setup_command)
        config = load_config(root)
        agent = runtime or make_runtime(settings.runtime, config, script=settings.script)

        def on_spawn(pgid: int) -> None:
            write_atomic(lock, orjson.dumps({**owner, "pgid": pgid}))

        agent.on_spawn = on_spawn
        _check(cancel)  # no agent is started once the task is cancelled (setup may take minutes)
        options = ev.RunOptions(
            model=settings.model,
            session_id=str(uuid.uuid4()),
            timeout=task.timeout or settings.timeout or float(config.get("runtimes.timeout_seconds")),
            allowed_tools=tuple(config.get("rpi.tools.implement", ())),
            context_limit=settings.context_limit,
            cancel=cancel,
        )
        run = agent.run(_prompt(task), tree, dict(env), options, listener)
        result.session_id, result.transcript = run.session_id, run.transcript
        result.tokens, result.cost_usd = run.usage.total, float(run.cost_usd or 0.0)
        _tag(root, settings, task, attempt, run)
        if not run.ok:
            result.status = {ev.CANCELLED: "cancelled", ev.TIMEOUT: "timeout"}.get(run.status, "failed")
            result.error = run.error or run.status
        else:
            worktree.commit_all(tree, _message(task, run.text, settings.swarm_id))
            result.commits = worktree.commits_since(tree, settings.base_commit)
            result.diff_stat = worktree.diff_stat(tree, settings.base_commit)
            gate_set = settings.gates if task.gates is None else task.gates
            result.gate = _gate(tree, gate_set) if gate_set else {"skipped": "no gate set"}
            if not result.commits:
                result.status, result.error = "failed", "the agent changed nothing"
            elif result.gate.get("failed"):
                result.status, result.error = "gate-failed", result.gate["failed"][0].splitlines()[0]
            else:
                result.status = "passed"
    except _Cancelled:
        result.status, result.error = "cancelled", cancel.reason or "cancelled"
        if tree is None and not git.run(["branch", "--list", branch], root, check=False).strip():
            result.branch = ""  # stopped before its branch was made
    except FatalError as exc:
        result.status, result.error = "failed", str(exc)
    finally:
        result.duration_s = round(time.monotonic() - started, 3)
        # The agent's group is gone; what it started in sessions of its own may not be, and
        # would write into the worktree after it is removed (or into the next task's).
        strays.stop(env)
        if tree is not None:
            _remove(root, tree, branch, settings.base_commit, result, keep_tree=bool(slot))
        lock.unlink(missing_ok=True)
    return result


class _Cancelled(Exception):
    """The task's cancel token was set before its agent started."""


def _check(cancel: ev.Cancel) -> None:
    if cancel.is_set():
        raise _Cancelled


def _prompt(task: Task) -> str:
    scope = "\n".join(f"- {g}" for g in task.scope) or "- (the whole repository)"
    agent = f"\nWork as the `{task.agent}` agent (.claude/agents/{task.agent}.md).\n" if task.agent else ""
    return (
        f"# Swarm task {task.id}\n{agent}\n{task.prompt.strip()}\n\n## Files you may change\n\n{scope}\n\n"
        "Other agents work on other files at the same time: change nothing outside your scope. "
        "Do not commit: the runner commits your work and runs the gates.\n"
    )


def _message(task: Task, summary: str, swarm_id: str) -> str:
    lines = [line.strip() for line in summary.splitlines() if line.strip()]
    learned = next(
        (line.split(":", 1)[1].strip() for line in lines if line.lower().startswith("learning:")), ""
    )
    return (
        f"swarm {task.id}: {task.prompt.strip().splitlines()[0][:60]}\n\n"
        f"Context: task {task.id} of ao swarm {swarm_id}: {task.prompt.strip()[:300]}\n"
        f"Solution: {' '.join(lines)[:400] or 'changes made by the agent'}\n"
        f"Learning: {learned or 'see the swarm report in .agents/runs/' + swarm_id}\n"
        f"Impact: scope {', '.join(task.scope) or 'whole repository'}\n"
    )


def _gate(tree: Path, name: str) -> dict[str, Any]:
    from agentops_os.config import load_config
    from agentops_os.gates.config import load_gates
    from agentops_os.gates.runner import run_gate

    gates = load_gates(load_config(tree))
    if not gates.sets.get(name):
        return {"set": name, "skipped": f"gate set {name!r} has no checks"}
    verdict = run_gate(tree, gates, name)
    failed = [
        f"gate {name} / {c.name}: {c.status}" + (f"\n{c.output.strip()[-800:]}" if c.output else "")
        for c in verdict.checks
        if c.status not in ("pass", "skip")
    ]
    return {
        "set": name,
        "passed": verdict.passed,
        "failed": failed,
        "checks": {c.name: c.status for c in verdict.checks},
    }


def _copy_included(root: Path, tree: Path) -> None:
    """Copy the ignored files named in `.worktreeinclude` (globs, one a line: `.env`,
    `config/local/*`): a fresh worktree has none of a developer's untracked set-up."""
    listing = root / INCLUDE_FILE
    if not listing.is_file():
        return
    globs = [
        line.strip()
        for line in listing.read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.lstrip().startswith("#")
    ]
    ignored = git.run(["ls-files", "--others", "--ignored", "--exclude-standard", "-z"], root).split("\0")
    from agentops_os.gates.files import matcher

    wanted = matcher(tuple(globs))
    for rel in ignored:
        if rel and wanted(rel) and not rel.startswith(".agents/"):
            target = tree / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(root / rel, target)


def _setup(tree: Path, command: str) -> None:
    proc = procs.run(command, cwd=tree, timeout=SETUP_TIMEOUT_S)
    if proc.timed_out:
        raise FatalError(f"setup command `{command}` took longer than {SETUP_TIMEOUT_S} s")
    if proc.returncode != 0:
        last = (proc.stderr.strip() or proc.stdout.strip()).splitlines()[-1:] or [""]
        raise FatalError(f"setup command `{command}` exited {proc.returncode}: {last[0][:200]}")


def _remove(root: Path, tree: Path, branch: str, base: str, result: TaskResult, keep_tree: bool) -> None:
    """Clean up always (a reused worktree is parked for the next task); keep the branch
    only when it carries work."""
    try:
        if git.run(["status", "--porcelain"], tree, check=False).strip() and result.status != "passed":
            worktree.commit_all(
                tree,
                f"swarm {result.id}: work in progress ({result.status})\n\n"
                f"Context: kept when the task ended {result.status}\nSolution: none yet\n"
                f"Learning: {result.error[:200] or 'see the swarm report'}\n"
                "Impact: none until merged\n",
            )
            result.commits = worktree.commits_since(tree, base)
    except FatalError:
        pass
    if keep_tree:
        worktree.park(tree)
    else:
        worktree.remove(root, tree)
    if not result.commits:
        git.run(["branch", "-D", branch], root, check=False)
        result.branch = ""


def _tag(root: Path, settings: Settings, task: Task, attempt: int, run: ev.RunResult) -> None:
    if not run.session_id:
        return
    from agentops_os.sessions import tags
    from agentops_os.store import Store

    tags.write(
        Store.open(root),
        run.session_id,
        run=settings.swarm_id,
        workflow="swarm",
        phase=task.id,
        attempt=attempt,
        runtime=run.runtime,
        status=run.status,
        context_peak=run.context_peak,
        context_window=run.context_window,
        limit=settings.context_limit,
    )
