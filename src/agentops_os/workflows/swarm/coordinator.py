"""Drive a swarm: schedule tasks onto workers, retry, record, report.

State is `.agents/runs/<swarm-id>/state.json` plus one result file per finished task
(`tasks/<id>.json`), written before the coordinator looks at the next task. A task whose
result is on disk is never run again; after the coordinator is killed, `resume` runs the
tasks that had not finished (their worktrees are orphans that `gc` or the retry clears).
"""

from __future__ import annotations

import contextlib
import os
import signal
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from agentops_os import git
from agentops_os.errors import CheckFailed, FatalError
from agentops_os.runtimes import events as ev
from agentops_os.workflows import runs
from agentops_os.workflows.swarm import schedule
from agentops_os.workflows.swarm.task import Settings, TaskResult, run_task
from agentops_os.workflows.swarm.tasks import Task, order

PREFIX = "swarm"
FINAL = ("passed", "failed", "gate-failed", "timeout", "blocked", "cancelled")
BACKOFF_S = 1.0

Reporter = Callable[[str], None]
# The executor seam: run one task, return its result. The local pool calls `run_task` in a
# thread; the Temporal engine submits the same task to a worker process elsewhere.
Execute = Callable[[Path, Task, Settings, ev.Cancel, int], TaskResult]


class _Local:
    """The default executor: `run_task` in this process's threads, each worker reusing one
    worktree ("slot") from task to task, removed when the swarm ends."""

    def __init__(self) -> None:
        self.free: list[str] = []
        self.used: set[str] = set()
        self.guard = threading.Lock()

    def __call__(
        self, root: Path, task: Task, settings: Settings, cancel: ev.Cancel, attempt: int
    ) -> TaskResult:
        with self.guard:
            slot = self.free.pop() if self.free else f"slot{len(self.used) + 1}"
            self.used.add(slot)
        try:
            return run_task(root, task, settings, cancel, attempt=attempt, slot=slot)
        finally:
            with self.guard:
                self.free.append(slot)

    def close(self, root: Path, swarm_id: str) -> None:
        from agentops_os.workflows import worktree

        for slot in sorted(self.used):
            worktree.remove(root, worktree.base_dir(root) / f"{swarm_id}-{slot}")
        self.used.clear()
        self.free.clear()


@dataclass
class Options:
    workers: int = 2
    runtime: str = "claude"
    script: str = ""
    model: str = ""
    gates: str = ""
    engine: str = "local"
    beads_command: str = "bd"
    address: str = ""  # --engine temporal: the Temporal frontend, HOST:PORT
    queue: str = ""
    remote: str = "origin"


def executor_for(options: dict[str, Any]) -> Execute | None:
    """The engine a swarm was started with (None: the local one)."""
    if options.get("engine", "local") == "local":
        return None
    if options["engine"] != "temporal":
        raise FatalError(f"--engine {options['engine']}: one of local, temporal")
    if not options.get("address"):
        raise FatalError("--engine temporal needs --address HOST:PORT (the Temporal frontend)")
    from agentops_os.workflows.swarm.temporal_engine import TASK_QUEUE, TemporalExecutor

    return TemporalExecutor(str(options["address"]), str(options.get("queue") or TASK_QUEUE),
                            str(options.get("remote") or "origin"))


def start(
    root: Path,
    tasks: list[Task],
    options: Options,
    *,
    report: Reporter | None = None,
    execute: Execute | None = None,
    source: str = "",
) -> dict[str, Any]:
    from agentops_os.config import load_config
    from agentops_os.runtimes import make as make_runtime

    if options.workers < 1:
        raise FatalError(f"--workers {options.workers}: must be 1 or more")
    config = load_config(root)
    make_runtime(options.runtime, config, script=options.script)  # unknown runtime: exit 2 now
    base = git.head_sha(root)
    if base is None:
        raise FatalError(f"{root}: the repository has no commit yet; commit once before a swarm")
    run = runs.RunDir.open(root, runs.new_id(PREFIX))
    settings = Settings(
        run.id,
        base,
        options.runtime,
        options.script,
        options.model,
        options.gates,
        str(config.get("swarm.setup_command")),
        float(config.get("runtimes.context_limit")),
    )
    state: dict[str, Any] = {
        "kind": "swarm",
        "id": run.id,
        "status": "running",
        "created": runs.now(),
        "source": source,
        "options": vars(options).copy(),
        "settings": settings.to_dict(),
        "base_branch": git.current_branch(root) or "",
        "tasks": [t.to_dict() for t in tasks],
        "progress": {t.id: {"status": "pending", "attempts": 0} for t in tasks},
        "error": "",
    }
    execute = execute or executor_for(state["options"])
    run.save(state)
    run.event("swarm.started", tasks=len(tasks), workers=options.workers)
    return Coordinator(root, run, state, report, execute).drive()


def resume(
    root: Path, ident: str, *, report: Reporter | None = None, execute: Execute | None = None
) -> dict[str, Any]:
    run = runs.find(root, ident, PREFIX)
    state = run.load()
    if state["status"] == "done":
        raise FatalError(f"swarm {run.id} is done; nothing to resume")
    lock = run.read_lock()
    if runs.pid_alive(int(lock.get("runner_pid") or 0)):
        raise FatalError(
            f"swarm {run.id} is still running (pid {lock['runner_pid']}); `ao swarm cancel {run.id}` stops it"
        )
    from agentops_os.workflows.swarm.gc import collect

    collect(root, swarm=run.id)  # the dead coordinator's worktrees and agents
    finished = results(run, state)  # a result on disk is the commit point of a task
    for ident, progress in state["progress"].items():
        recorded = str((finished.get(ident) or {}).get("status") or "")
        if recorded in FINAL and recorded not in ("cancelled", "blocked"):
            progress["status"] = recorded
        elif progress["status"] in ("running", "cancelled", "blocked"):
            progress["status"] = "pending"
    state["status"], state["error"] = "running", ""
    run.save(state)
    run.event("swarm.resumed")
    return Coordinator(root, run, state, report, execute or executor_for(state["options"])).drive()


def cancel(root: Path, ident: str) -> dict[str, Any]:
    run = runs.find(root, ident, PREFIX)
    state = run.load()
    if state["status"] != "running":
        raise FatalError(f"swarm {run.id} is {state['status']}, not running")
    pid = int(run.read_lock().get("runner_pid") or 0)
    if runs.pid_alive(pid):
        os.kill(pid, signal.SIGTERM)
        for _ in range(600):  # tasks stop their agents' groups and record it; up to 30 s
            if not runs.pid_alive(pid):
                break
            time.sleep(0.05)
        return run.load()
    from agentops_os.workflows.swarm.gc import collect

    collect(root, swarm=run.id)
    state["status"], state["error"] = "cancelled", "cancelled by `ao swarm cancel` (coordinator was gone)"
    run.save(state)
    return state


class Coordinator:
    def __init__(
        self,
        root: Path,
        run: runs.RunDir,
        state: dict[str, Any],
        report: Reporter | None,
        execute: Execute | None,
    ) -> None:
        self.root = root
        self.run = run
        self.state = state
        self.report = report or (lambda line: None)
        self.execute = execute or _Local()
        self.tasks = [Task.from_dict(t) for t in state["tasks"]]
        self.settings = Settings(**state["settings"])
        self.cancel = ev.Cancel()
        self.tokens: dict[str, ev.Cancel] = {}
        self.lock = threading.Lock()

    def drive(self) -> dict[str, Any]:
        workers = int(self.state["options"]["workers"])
        # The handlers are in place before the pid that `ao swarm cancel` signals is on disk,
        # and stay until the cleanup and the final state are written: a SIGTERM at any moment
        # is a cancel, never the default death that would skip both.
        with self._signals():
            self.run.write_lock(runner_pid=os.getpid())
            try:
                with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="ao-swarm") as pool:
                    self._loop(pool, workers)
            finally:
                close = getattr(self.execute, "close", None)
                if close is not None:
                    close(self.root, self.run.id)
                self.run.clear_lock()
            self._finish()
        return self.state

    def _loop(self, pool: ThreadPoolExecutor, workers: int) -> None:
        progress = self.state["progress"]
        running: dict[Future[TaskResult], str] = {}
        not_before: dict[str, float] = {}
        files = git.run(["ls-files", "-z"], self.root).split("\0")
        while True:
            self._block_dependents()
            if not self.cancel.is_set() and len(running) < workers:
                done = {i for i, p in progress.items() if p["status"] == "passed"}
                finished = {
                    i for i, p in progress.items() if p["status"] in FINAL and p["status"] != "passed"
                }
                waiting = {i for i, at in not_before.items() if at > time.monotonic()}
                busy = set(running.values())
                for task in schedule.ready(self.tasks, done, busy, finished | waiting, files):
                    if len(running) >= workers or self.cancel.is_set():  # a signal may land mid-loop
                        break
                    running[self._submit(pool, task)] = task.id
            if not running:
                pending = [i for i, p in progress.items() if p["status"] not in FINAL]
                if not pending or self.cancel.is_set():
                    break
                time.sleep(0.05)  # only tasks waiting out a retry backoff remain
                continue
            finished_now, _ = wait(list(running), timeout=0.2, return_when=FIRST_COMPLETED)
            for future in finished_now:
                ident = running.pop(future)
                self._record(ident, future, not_before)

    def _submit(self, pool: ThreadPoolExecutor, task: Task) -> Future[TaskResult]:
        progress = self.state["progress"][task.id]
        if task.source.get("beads") and not progress["attempts"]:
            from agentops_os.workflows.swarm import sources

            try:
                sources.claim(
                    self.root, self.state["options"].get("beads_command", "bd"), task.source["beads"]
                )
            except FatalError as exc:  # somebody else took it, or bd failed: this task does not run
                failed = TaskResult(task.id, "failed", error=f"cannot claim: {exc}")
                return pool.submit(lambda: failed)
        progress["attempts"] = int(progress["attempts"]) + 1
        progress["status"] = "running"
        token = ev.Cancel()
        self.tokens[task.id] = token
        if self.cancel.is_set():  # the signal came before the token was registered
            token.set(self.cancel.reason)
        self._save()
        self.run.event("task.started", task=task.id, attempt=progress["attempts"])
        self.report(f"{task.id}: started (attempt {progress['attempts']})")
        return pool.submit(self.execute, self.root, task, self.settings, token, int(progress["attempts"]))

    def _record(self, ident: str, future: Future[TaskResult], not_before: dict[str, float]) -> None:
        task = next(t for t in self.tasks if t.id == ident)
        progress = self.state["progress"][ident]
        try:
            result = future.result()
        except Exception as exc:  # an executor failure is the task's failure, not the swarm's crash
            result = TaskResult(
                ident,
                "failed",
                error=f"internal error: {type(exc).__name__}: {exc}",
                attempt=int(progress["attempts"]),
            )
        retry = (
            result.status in ("failed", "gate-failed", "timeout")
            and int(progress["attempts"]) <= task.retries
            and not self.cancel.is_set()
        )
        self.run.write_json(f"tasks/{ident}-{progress['attempts']}", result.to_dict())
        if retry:
            progress["status"] = "pending"
            delay = BACKOFF_S * 2 ** (int(progress["attempts"]) - 1)
            not_before[ident] = time.monotonic() + delay
            self.report(f"{ident}: {result.status} ({result.error}); retrying in {delay:g} s")
        else:
            self.run.write_json(f"tasks/{ident}", result.to_dict())
            progress["status"] = result.status
            if result.status == "passed" and task.source.get("beads"):
                self._close_bead(task, result)
            self.report(
                f"{ident}: {result.status}"
                + (f" ({result.error})" if result.error else "")
                + (f", branch {result.branch}" if result.branch else "")
            )
        self.run.event(
            "task.finished",
            task=ident,
            status=result.status,
            error=result.error,
            attempt=progress["attempts"],
        )
        self._save()

    def _close_bead(self, task: Task, result: TaskResult) -> None:
        from agentops_os.workflows.swarm import sources

        try:
            sources.close(
                self.root,
                self.state["options"].get("beads_command", "bd"),
                task.source["beads"],
                f"ao swarm {self.run.id}: passed on branch {result.branch}",
            )
        except FatalError as exc:
            self.run.event("beads.close_failed", task=task.id, error=str(exc))
            self.report(f"{task.id}: passed, but closing its beads issue failed: {exc}")

    def _block_dependents(self) -> None:
        progress = self.state["progress"]
        changed = True
        while changed:
            changed = False
            for task in self.tasks:
                if progress[task.id]["status"] != "pending":
                    continue
                bad = [
                    d
                    for d in task.depends_on
                    if progress[d]["status"] in FINAL and progress[d]["status"] != "passed"
                ]
                if bad:
                    progress[task.id]["status"] = "blocked"
                    self.run.write_json(
                        f"tasks/{task.id}",
                        TaskResult(
                            task.id, "blocked", error=f"dependency {bad[0]} {progress[bad[0]]['status']}"
                        ).to_dict(),
                    )
                    changed = True
        if changed:
            self._save()

    def _save(self) -> None:
        with self.lock:
            self.run.save(self.state)

    @contextlib.contextmanager
    def _signals(self) -> Iterator[None]:
        def on_signal(signum: int, frame: Any) -> None:
            self.cancel.set("cancelled by signal " + signal.Signals(signum).name)
            for token in list(self.tokens.values()):
                token.set("cancelled")

        if threading.current_thread() is not threading.main_thread():
            yield
            return
        old = {sig: signal.signal(sig, on_signal) for sig in (signal.SIGTERM, signal.SIGINT)}
        try:
            yield
        finally:
            for sig, handler in old.items():
                signal.signal(sig, handler)

    def _finish(self) -> None:
        progress = self.state["progress"]
        if self.cancel.is_set():
            for item in progress.values():
                if item["status"] not in FINAL:
                    item["status"] = "cancelled"
            self.state["status"], self.state["error"] = "cancelled", self.cancel.reason
        else:
            self.state["status"] = "done"
        self._save()
        self._ingest()
        report = build_report(self.run, self.state)
        self.run.write_json("report", report)
        self.run.event(f"swarm.{self.state['status']}")

    def _ingest(self) -> None:
        paths = [
            Path(r["transcript"])
            for r in results(self.run, self.state).values()
            if r.get("transcript") and Path(r["transcript"]).is_file()
        ]
        if not paths:
            return
        from agentops_os.sessions.service import ingest, open_ledger

        try:
            ledger = open_ledger(self.root)
            try:
                ingest(ledger, paths=paths)
            finally:
                ledger.close()
        except FatalError as exc:
            self.run.event("ledger.ingest_failed", error=str(exc))


def results(run: runs.RunDir, state: dict[str, Any]) -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    for ident in state["progress"]:
        path = run.path / "tasks" / f"{ident}.json"
        if path.is_file():
            out[ident] = run.store.read_record(path)
    return out


def build_report(run: runs.RunDir, state: dict[str, Any]) -> dict[str, Any]:
    found = results(run, state)
    rows = []
    for task in state["tasks"]:
        result = found.get(task["id"], {})
        rows.append(
            {
                "id": task["id"],
                "status": state["progress"][task["id"]]["status"],
                "attempts": state["progress"][task["id"]]["attempts"],
                **{
                    k: result.get(k)
                    for k in (
                        "branch",
                        "commits",
                        "gate",
                        "diff_stat",
                        "tokens",
                        "cost_usd",
                        "duration_s",
                        "error",
                        "session_id",
                        "worker",
                    )
                },
            }
        )
    passed = sum(1 for r in rows if r["status"] == "passed")
    return {
        "swarm": state["id"],
        "status": state["status"],
        "base_commit": state["settings"]["base_commit"],
        "tasks": rows,
        "passed": passed,
        "total": len(rows),
        "tokens": sum(int(r["tokens"] or 0) for r in rows),
        "cost_usd": round(sum(float(r["cost_usd"] or 0) for r in rows), 6),
    }


def merge(root: Path, ident: str, *, report: Reporter | None = None) -> list[str]:
    """Merge passing branches into the current branch in dependency order; stop at the
    first conflict (the merge is aborted, the tree left as it was)."""
    say = report or (lambda line: None)
    run = runs.find(root, ident, PREFIX)
    state = run.load()
    if git.run(["status", "--porcelain", "--untracked-files=no"], root).strip():
        raise FatalError("the working tree has uncommitted changes; commit or stash them before merging")
    found = results(run, state)
    merged: list[str] = []
    for task in order([Task.from_dict(t) for t in state["tasks"]]):
        result = found.get(task.id) or {}
        if result.get("status") != "passed" or not result.get("branch"):
            continue
        branch = str(result["branch"])
        if _is_ancestor(root, branch):
            say(f"{task.id}: already merged")
            continue
        proc_out = git.run(["merge", "--no-ff", "--no-edit", branch], root, check=False)
        if not _is_ancestor(root, branch):
            conflicts = git.run(["diff", "--name-only", "--diff-filter=U"], root, check=False).split()
            git.run(["merge", "--abort"], root, check=False)
            done = f"; merged before it: {', '.join(merged)}" if merged else ""
            raise CheckFailed(
                f"merging task {task.id} ({branch}) conflicts in "
                f"{', '.join(conflicts) or proc_out.strip()[:200] or 'the tree'}: "
                f"merge aborted, resolve by hand with `git merge {branch}`{done}"
            )
        merged.append(task.id)
        say(f"{task.id}: merged {branch}")
    run.event("swarm.merged", tasks=merged)
    return merged


def _is_ancestor(root: Path, branch: str) -> bool:
    import subprocess

    return (
        subprocess.run(
            ["git", "merge-base", "--is-ancestor", branch, "HEAD"], cwd=root, capture_output=True
        ).returncode
        == 0
    )
