"""Scale-out on Temporal: the same swarm tasks, run by workers on any machine with a clone.

The coordinator stays the local one (scheduling by scopes and dependencies, retries after
gate failures, report, resume); only its executor changes. Each task attempt becomes one
Temporal workflow with a deterministic id (`<swarm>-<task>-<attempt>`), so a coordinator
that restarts and submits the same attempt again waits for the run already under way
instead of starting a second one. The workflow runs one activity on whichever worker
polls the task queue first. The activity heartbeats while the agent works; if its worker
dies, the heartbeat stops, Temporal times the attempt out and gives it to another worker.
A worker fetches the swarm's base commit from the shared remote, runs the task exactly as
the local engine does, and pushes the task's branch back; the coordinator fetches it.

`temporalio` is imported only here, by `--engine temporal` and `ao swarm worker`.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import threading
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

from temporalio import activity, workflow
from temporalio.client import Client, WorkflowFailureError
from temporalio.common import RetryPolicy
from temporalio.exceptions import WorkflowAlreadyStartedError
from temporalio.worker import UnsandboxedWorkflowRunner, Worker

from agentops_os import git
from agentops_os.errors import FatalError
from agentops_os.runtimes import events as ev
from agentops_os.workflows.swarm.task import Settings, TaskResult, run_task
from agentops_os.workflows.swarm.tasks import Task

TASK_QUEUE = "agentops-swarm"
HEARTBEAT_S = 2.0
HEARTBEAT_TIMEOUT_S = 15.0
WORKER_ATTEMPTS = 3  # attempts Temporal makes when workers die; a task's own failure is a result


def base_ref(swarm_id: str) -> str:
    return f"refs/ao/swarm/{swarm_id}/base"


@workflow.defn(name="AoSwarmTask")
class SwarmTaskWorkflow:
    @workflow.run
    async def run(self, payload: dict[str, Any]) -> dict[str, Any]:
        timeout = float(payload.get("timeout") or 0) or 6 * 3600.0
        heartbeat = float(payload.get("heartbeat_timeout") or HEARTBEAT_TIMEOUT_S)
        result: dict[str, Any] = await workflow.execute_activity(
            "ao_swarm_task",
            payload,
            start_to_close_timeout=timedelta(seconds=timeout + 60),
            heartbeat_timeout=timedelta(seconds=heartbeat),
            retry_policy=RetryPolicy(
                maximum_attempts=WORKER_ATTEMPTS,
                initial_interval=timedelta(seconds=1),
                non_retryable_error_types=["FatalError"],
            ),
        )
        return result


class TaskActivities:
    """What a worker does for one task attempt, in its own clone at `root`."""

    def __init__(self, root: Path, remote: str) -> None:
        self.root = root
        self.remote = remote
        self.name = f"{os.uname().nodename}:{os.getpid()}"

    @activity.defn(name="ao_swarm_task")
    async def run(self, payload: dict[str, Any]) -> dict[str, Any]:
        task = Task.from_dict(payload["task"])
        settings = Settings(**payload["settings"])
        attempt = int(payload["attempt"])
        cancel = ev.Cancel()
        loop = asyncio.get_running_loop()
        work = loop.run_in_executor(None, self._work, task, settings, attempt, cancel)
        try:
            while True:
                activity.heartbeat(self.name)
                try:
                    return await asyncio.wait_for(asyncio.shield(work), timeout=HEARTBEAT_S)
                except TimeoutError:
                    continue
        except asyncio.CancelledError:
            cancel.set("cancelled by the coordinator")
            raise

    def _work(self, task: Task, settings: Settings, attempt: int, cancel: ev.Cancel) -> dict[str, Any]:
        ref = base_ref(settings.swarm_id)
        git.run(["fetch", "--quiet", self.remote, f"+{ref}:{ref}"], self.root)
        result = run_task(self.root, task, settings, cancel, attempt=attempt)
        result.worker = self.name
        if result.commits and result.branch:
            refspec = f"{result.branch}:refs/heads/{result.branch}"
            git.run(["push", "--quiet", "--force", self.remote, refspec], self.root)
        return result.to_dict()


@dataclass
class TemporalExecutor:
    """The coordinator's executor: one workflow per task attempt, results fetched back."""

    address: str
    queue: str = TASK_QUEUE
    remote: str = "origin"
    namespace: str = "default"

    def __post_init__(self) -> None:
        self._pushed: set[str] = set()
        self._lock = threading.Lock()

    def __call__(
        self, root: Path, task: Task, settings: Settings, cancel: ev.Cancel, attempt: int
    ) -> TaskResult:
        self._push_base(root, settings)
        payload = {
            "task": task.to_dict(),
            "settings": settings.to_dict(),
            "attempt": attempt,
            "timeout": task.timeout or settings.timeout,
            "heartbeat_timeout": self._heartbeat_timeout(root),
        }
        data = asyncio.run(self._submit(payload, f"{settings.swarm_id}-{task.id}-{attempt}", cancel))
        result = TaskResult.from_dict(data)
        if result.commits and result.branch:
            git.run(
                ["fetch", "--quiet", self.remote, f"+refs/heads/{result.branch}:refs/heads/{result.branch}"],
                root,
            )
        return result

    def _heartbeat_timeout(self, root: Path) -> float:
        from agentops_os.config import load_config

        return float(load_config(root).get("swarm.heartbeat_timeout_seconds"))

    def _push_base(self, root: Path, settings: Settings) -> None:
        with self._lock:
            if settings.swarm_id in self._pushed:
                return
            ref = base_ref(settings.swarm_id)
            git.run(["push", "--quiet", "--force", self.remote, f"{settings.base_commit}:{ref}"], root)
            self._pushed.add(settings.swarm_id)

    async def _submit(self, payload: dict[str, Any], workflow_id: str, cancel: ev.Cancel) -> dict[str, Any]:
        client = await connect(self.address, self.namespace)
        try:
            handle = await client.start_workflow(
                SwarmTaskWorkflow.run, payload, id=workflow_id, task_queue=self.queue
            )
        except WorkflowAlreadyStartedError:  # a restarted coordinator: wait for the run under way
            handle = client.get_workflow_handle(workflow_id)
        waiting = asyncio.ensure_future(handle.result())
        while not waiting.done():
            if cancel.is_set():
                await handle.cancel()
                waiting.cancel()
                return TaskResult(str(payload["task"]["id"]), "cancelled", error=cancel.reason).to_dict()
            await asyncio.wait([waiting], timeout=0.5)
        try:
            return dict(waiting.result())
        except WorkflowFailureError as exc:
            cause = exc.cause.message if exc.cause is not None and hasattr(exc.cause, "message") else str(exc)
            return TaskResult(str(payload["task"]["id"]), "failed", error=f"on Temporal: {cause}").to_dict()


async def connect(address: str, namespace: str = "default") -> Client:
    try:
        return await Client.connect(address, namespace=namespace)
    except Exception as exc:  # noqa: BLE001 - every connection failure is one line
        raise FatalError(f"cannot reach Temporal at {address}: {str(exc).splitlines()[0][:200]}") from None


def serve(
    root: Path,
    address: str,
    *,
    queue: str = TASK_QUEUE,
    remote: str = "origin",
    namespace: str = "default",
    concurrent: int = 1,
) -> None:
    """`ao swarm worker`: poll the task queue until interrupted."""

    async def main() -> None:
        client = await connect(address, namespace)
        acts = TaskActivities(root, remote)
        worker = Worker(
            client,
            task_queue=queue,
            workflows=[SwarmTaskWorkflow],
            activities=[acts.run],
            workflow_runner=UnsandboxedWorkflowRunner(),
            max_concurrent_activities=concurrent,
        )
        await worker.run()

    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(main())
