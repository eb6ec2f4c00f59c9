"""`ao swarm` with the scripted runtime: scheduling, isolation, report, merge, crash, gc, sources."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from agentops_os.workflows.swarm.schedule import globs_overlap, ready, scopes_overlap
from agentops_os.workflows.swarm.tasks import Task
from conftest import git, run_ao


@pytest.fixture
def project(repo: Path) -> Path:
    for rel, text in {"src/a/m.py": "x = 1\n", "src/b/m.py": "y = 1\n", "docs/index.md": "# docs\n"}.items():
        (repo / rel).parent.mkdir(parents=True, exist_ok=True)
        (repo / rel).write_text(text)
    assert run_ao("init", cwd=repo).returncode == 0
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "--no-verify", "-m", "set up")
    return repo


def edit(path: str, old: str, new: str, sleep: float = 0.0) -> dict[str, Any]:
    return {"turns": [{"tools": [{"edit": path, "old": old, "new": new}], "sleep": sleep}], "result": "done"}


def write_files(tmp: Path, phases: dict[str, Any], tasks: list[dict[str, Any]]) -> tuple[Path, Path]:
    script, listing = tmp / "script.json", tmp / "tasks.json"
    script.write_text(json.dumps({"phases": phases}))
    listing.write_text(json.dumps({"tasks": tasks}))  # JSON is YAML
    return script, listing


def swarm(project: Path, listing: Path, script: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return run_ao(
        "swarm", "run", str(listing), "--runtime", "scripted", "--script", str(script), *args, cwd=project
    )


def latest(project: Path) -> Path:
    return sorted((project / ".agents" / "runs").glob("swarm-*"))[-1]


def events(run: Path) -> list[dict[str, Any]]:
    return [json.loads(p.read_text()) for p in sorted((run / "events").glob("*.json"))]


def spans(run: Path) -> dict[str, tuple[str, str]]:
    """task -> (start index, end index) in the event log (ordered, unlike timestamps)."""
    out: dict[str, list[int]] = {}
    for i, event in enumerate(events(run)):
        if event["kind"] in ("task.started", "task.finished"):
            out.setdefault(event["task"], []).append(i)
    return {k: (v[0], v[-1]) for k, v in out.items()}  # type: ignore[misc]


def test_overlapping_scopes_never_run_together_and_dependencies_wait(project: Path, tmp_path: Path) -> None:
    script, listing = write_files(
        tmp_path,
        {
            "a": edit("src/a/m.py", "x = 1", "x = 2", 1.0),
            "b": edit("src/b/m.py", "y = 1", "y = 2", 1.0),
            "c": {"turns": [{"tools": [{"write": "docs/c.md", "content": "c\n"}]}], "result": "c"},
            "d": edit("src/a/m.py", "x = 1", "x = 3", 0.2),
        },
        [
            {"id": "a", "prompt": "a", "scope": ["src/a/**"]},
            {"id": "b", "prompt": "b", "scope": ["src/b/**"]},
            {"id": "c", "prompt": "c", "scope": ["docs/**"], "depends_on": ["a"]},
            {"id": "d", "prompt": "d", "scope": ["src/a/m.py"]},
        ],
    )
    proc = swarm(project, listing, script, "--workers", "4", "--json")
    assert proc.returncode == 0, proc.stderr
    report = json.loads(proc.stdout)
    assert report["passed"] == 4
    s = spans(latest(project))
    assert s["d"][0] > s["a"][1] or s["a"][0] > s["d"][1]  # a and d (same file) apart
    assert s["c"][0] > s["a"][1]  # c after its dependency
    assert s["b"][0] < s["a"][1]  # b (disjoint) alongside a
    for row in report["tasks"]:
        assert row["branch"] == f"ao/{report['swarm']}-{row['id']}" and len(row["commits"]) == 1
        assert row["diff_stat"].startswith("1 file changed") and row["tokens"] > 0 and row["duration_s"] > 0
    # Every branch starts from the one base commit; the main checkout is untouched.
    base = report["base_commit"]
    for row in report["tasks"]:
        assert git(project, "rev-parse", f"{row['branch']}~1").strip() == base
    assert (project / "src/a/m.py").read_text() == "x = 1\n"
    assert not list((project / ".agents/.index/worktrees").glob("swarm-*"))  # cleaned up
    on_disk = json.loads((latest(project) / "report.json").read_text())
    assert [t["status"] for t in on_disk["tasks"]] == ["passed"] * 4
    tagged = [json.loads(p.read_text()) for p in (project / ".agents/sessions/tags").glob("*.json")]
    assert sorted(t["phase"] for t in tagged if t["workflow"] == "swarm") == ["a", "b", "c", "d"]


def test_merge_in_dependency_order_stops_at_the_first_conflict(project: Path, tmp_path: Path) -> None:
    script, listing = write_files(
        tmp_path,
        {
            "a": edit("src/a/m.py", "x = 1", "x = 2"),
            "b": edit("src/b/m.py", "y = 1", "y = 2"),
            "d": edit("src/a/m.py", "x = 1", "x = 3"),
        },
        [
            {"id": "a", "prompt": "a", "scope": ["src/a/**"]},
            {"id": "b", "prompt": "b", "scope": ["src/b/**"], "depends_on": ["a"]},
            {"id": "d", "prompt": "d", "scope": ["src/a/m.py"]},
        ],
    )
    assert swarm(project, listing, script).returncode == 0
    proc = run_ao("swarm", "merge", cwd=project)
    assert proc.returncode == 1
    last = proc.stderr.strip().splitlines()[-1]
    assert (
        last.startswith("ao: merging task d")
        and "conflicts in src/a/m.py" in last
        and "merged before it: a, b" in last
    )
    assert (project / "src/a/m.py").read_text() == "x = 2\n" and (
        project / "src/b/m.py"
    ).read_text() == "y = 2\n"
    assert not git(project, "status", "--porcelain", "--untracked-files=no").strip()  # the merge was aborted


def test_a_failing_gate_is_retried_with_backoff_then_reported(project: Path, tmp_path: Path) -> None:
    config = project / "agentops.toml"
    config.write_text(
        config.read_text().replace("[gates.sets]\n", '[gates.sets]\nci = ["x-is-two"]\n', 1)
        + "\n[gates.checks.x-is-two]\ncommand = \"grep -q 'x = 2' src/a/m.py\"\n"
    )
    git(project, "commit", "-qam", "gate", "--no-verify")
    script, listing = write_files(
        tmp_path,
        {
            "a": [edit("src/a/m.py", "x = 1", "x = 5"), edit("src/a/m.py", "x = 1", "x = 2")],
            "b": edit("src/b/m.py", "y = 1", "y = 9"),
        },
        [
            {"id": "a", "prompt": "a", "scope": ["src/a/**"], "retries": 1},
            {"id": "b", "prompt": "b", "scope": ["src/b/**"]},
        ],
    )
    proc = swarm(project, listing, script, "--gates", "ci", "--json")
    assert proc.returncode == 1  # b fails its gate and has no retries left
    report = json.loads(proc.stdout)
    by_id = {r["id"]: r for r in report["tasks"]}
    assert by_id["a"]["status"] == "passed" and by_id["a"]["attempts"] == 2
    assert by_id["b"]["status"] == "gate-failed" and by_id["b"]["gate"]["checks"] == {"x-is-two": "fail"}
    assert "retrying in 1 s" in proc.stderr
    assert by_id["b"]["branch"]  # a branch with work is kept even when its gate failed


def _wait_for(predicate: Any, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.05)
    raise AssertionError("timed out waiting")


def test_kill_9_of_the_coordinator_then_gc_and_resume_lose_no_task_and_run_none_twice(
    project: Path, tmp_path: Path
) -> None:
    slow = {
        "turns": [
            {"tools": [{"edit": "src/b/m.py", "old": "y = 1", "new": "y = 2"}]},
            {"text": "thinking", "sleep": 120},
        ],
        "result": "never",
    }
    script, listing = write_files(
        tmp_path,
        {"a": edit("src/a/m.py", "x = 1", "x = 2"), "b": [slow, edit("src/b/m.py", "y = 1", "y = 3")]},
        [
            {"id": "a", "prompt": "a", "scope": ["src/a/**"]},
            {"id": "b", "prompt": "b", "scope": ["src/b/**"]},
        ],
    )
    coordinator = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "agentops_os",
            "swarm",
            "run",
            str(listing),
            "--runtime",
            "scripted",
            "--script",
            str(script),
            "-j",
            "2",
        ],
        cwd=project,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    worktrees = project / ".agents/.index/worktrees"

    def a_done_b_edited() -> bool:
        runs = list((project / ".agents/runs").glob("swarm-*/tasks/a.json"))
        locks = list(worktrees.glob("swarm-*-b.lock")) if worktrees.is_dir() else []
        if not runs or not locks:
            return False
        try:  # b runs in a reused worktree ("slot"); its lock names the tree
            tree = Path(json.loads(locks[0].read_text())["tree"])
            return (tree / "src/b/m.py").read_text() == "y = 2\n"
        except (OSError, ValueError, KeyError):
            return False

    _wait_for(a_done_b_edited)
    lock = json.loads(next(worktrees.glob("swarm-*-b.lock")).read_text())
    coordinator.send_signal(signal.SIGKILL)
    coordinator.wait(timeout=10)
    os.killpg(lock["pgid"], 0)  # the agent outlived its coordinator: an orphan
    gc = run_ao("swarm", "gc", "--json", cwd=project)
    assert gc.returncode == 0, gc.stderr
    collected = json.loads(gc.stdout)
    assert collected["killed"] == [lock["pgid"]]
    # b's worktree, and the idle one a had used and parked for the next task
    assert any(name.endswith("-b") for name in collected["removed"])
    assert not any(p.is_dir() for p in worktrees.glob("swarm-*"))
    with pytest.raises(ProcessLookupError):
        os.killpg(lock["pgid"], 0)
    # Its edit had not been committed; gc saved it on the branch rather than lose it.
    assert any(b.endswith("-b") for b in collected["kept_branches"])
    proc = run_ao("swarm", "resume", "--json", cwd=project)
    assert proc.returncode == 0, proc.stderr
    report = json.loads(proc.stdout)
    assert {r["id"]: r["status"] for r in report["tasks"]} == {"a": "passed", "b": "passed"}
    run = latest(project)
    assert len(list((run / "tasks").glob("a-*.json"))) == 1  # a ran exactly once
    assert [e["task"] for e in events(run) if e["kind"] == "task.started"].count("a") == 1


def start_coordinator(project: Path, tmp_path: Path, phase: dict[str, Any]) -> subprocess.Popen[bytes]:
    """`ao swarm run` of two disjoint tasks a and b, both playing `phase`, in the background."""
    script, listing = write_files(
        tmp_path,
        {"a": phase, "b": phase},
        [
            {"id": "a", "prompt": "a", "scope": ["src/a/**"]},
            {"id": "b", "prompt": "b", "scope": ["src/b/**"]},
        ],
    )
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "agentops_os",
            "swarm",
            "run",
            str(listing),
            "--runtime",
            "scripted",
            "--script",
            str(script),
            "-j",
            "2",
        ],
        cwd=project,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )


def left_behind(project: Path) -> dict[str, Any]:
    """Worktrees and their locks still there, named with the lock contents / the tree's entries."""
    worktrees = project / ".agents/.index/worktrees"
    return {
        p.name: (p.read_text() if p.is_file() else sorted(c.name for c in p.iterdir()))
        for p in worktrees.glob("swarm-*")
    }


def test_cancel_stops_every_task(project: Path, tmp_path: Path) -> None:
    long = {"turns": [{"tools": [{"bash": "sleep 300 & wait"}]}], "result": "never"}
    coordinator = start_coordinator(project, tmp_path, long)
    worktrees = project / ".agents/.index/worktrees"

    def both_running() -> bool:
        locks = (
            [json.loads(p.read_text()) for p in worktrees.glob("swarm-*.lock")] if worktrees.is_dir() else []
        )
        return len([lock for lock in locks if lock.get("pgid")]) == 2

    _wait_for(both_running)
    groups = [json.loads(p.read_text())["pgid"] for p in worktrees.glob("swarm-*.lock")]
    assert run_ao("swarm", "cancel", cwd=project).returncode == 0
    coordinator.wait(timeout=30)
    for pgid in groups:
        with pytest.raises(ProcessLookupError):
            os.killpg(pgid, 0)
    state = json.loads((latest(project) / "state.json").read_text())
    assert state["status"] == "cancelled"
    assert {p["status"] for p in state["progress"].values()} == {"cancelled"}
    # worktrees and their locks; what is left is named (with the lock contents) so that a
    # failure seen once on a loaded CI machine says which cleanup step was skipped
    left = left_behind(project)
    assert not left, (left, coordinator.stderr.read().decode() if coordinator.stderr else "")


# A PreToolUse hook as `ao hook pre-tool-use` behaves: it learns its project directory when it
# starts and writes its cache under `<project>/.agents/.index/` a little later. The scripted agent
# (like `procs.run`) starts hooks in a session of their own, outside the agent's process group.
SLOW_HOOK = """\
import os, sys, time
project = os.environ["CLAUDE_PROJECT_DIR"]
marks = sys.argv[1]
open(os.path.join(marks, f"started-{os.getpid()}"), "w").close()
time.sleep(float(sys.argv[2]))
os.makedirs(os.path.join(project, ".agents", ".index"), exist_ok=True)
open(os.path.join(project, ".agents", ".index", "hook-cache"), "w").close()
open(os.path.join(marks, f"done-{os.getpid()}"), "w").close()
"""


def test_cancel_while_a_hook_runs_outside_the_agents_group_leaves_no_worktree(
    project: Path, tmp_path: Path
) -> None:
    """The race of the flaky cancel test, made certain: `ao swarm cancel` lands while a hook
    the agent started in a new session is still running. Killing the agent's group does not
    reach it; unless the task stops it too, it outlives the cancel and re-creates the removed
    worktree (`makedirs` of its cache directory) after the coordinator has cleaned up."""
    hook, marks, sleep_s = tmp_path / "slow_hook.py", tmp_path / "marks", 3.0
    hook.write_text(SLOW_HOOK)
    marks.mkdir()
    settings = project / ".claude/settings.json"
    config = json.loads(settings.read_text())
    command = f"{sys.executable} {hook} {marks} {sleep_s}"
    config["hooks"]["PreToolUse"] = [{"matcher": "*", "hooks": [{"type": "command", "command": command}]}]
    settings.write_text(json.dumps(config, indent=2))
    git(project, "commit", "-qam", "a slow hook", "--no-verify")
    long = {"turns": [{"tools": [{"bash": "sleep 300 & wait"}]}], "result": "never"}
    coordinator = start_coordinator(project, tmp_path, long)
    _wait_for(lambda: len(list(marks.glob("started-*"))) == 2)
    hooks = [int(p.name.split("-")[1]) for p in marks.glob("started-*")]
    assert run_ao("swarm", "cancel", cwd=project).returncode == 0
    coordinator.wait(timeout=30)
    from agentops_os.workflows.runs import pid_alive

    _wait_for(lambda: not any(pid_alive(pid) for pid in hooks), sleep_s + 10)
    left = left_behind(project)
    assert not left, (left, coordinator.stderr.read().decode() if coordinator.stderr else "")
    assert not list(marks.glob("done-*"))  # the hooks were stopped, not left to finish
    state = json.loads((latest(project) / "state.json").read_text())
    assert state["status"] == "cancelled"
    assert {p["status"] for p in state["progress"].values()} == {"cancelled"}


# The coordinator driven in a process of its own (its signal handlers are the subject), with a
# stand-in executor: a task waits for its cancel token and says whether it was cancelled.
COORDINATOR = """\
import os, signal, sys, time
from pathlib import Path
from agentops_os.workflows import runs
from agentops_os.workflows.swarm import coordinator
from agentops_os.workflows.swarm.task import TaskResult
from agentops_os.workflows.swarm.tasks import Task

def execute(root, task, settings, cancel, attempt):
    cancel.wait(5)
    return TaskResult(task.id, "cancelled" if cancel.is_set() else "passed")

def cancel_now():  # what `ao swarm cancel` does, at this exact point
    os.kill(os.getpid(), signal.SIGTERM)
    time.sleep(0.05)  # a handler, if there is one, runs here

{patch}
tasks = [Task("a", "a", scope=("src/a/**",)), Task("b", "b", scope=("src/b/**",))]
state = coordinator.start(Path.cwd(), tasks, coordinator.Options(runtime="scripted"), execute=execute)
print(state["status"])
"""

CANCEL_AT = {
    # `ao swarm cancel` reads the pid as soon as it is on disk and signals it at once
    "as-the-pid-is-published": """\
original = runs.RunDir.write_lock
def write_lock(self, **data):
    original(self, **data)
    if "runner_pid" in data:
        cancel_now()
runs.RunDir.write_lock = write_lock
""",
    # between two submissions of one scheduling pass: b must not start with a fresh token
    "between-two-submissions": """\
original = coordinator.Coordinator._submit
def submit(self, pool, task):
    future = original(self, pool, task)
    if task.id == "a":
        cancel_now()
    return future
coordinator.Coordinator._submit = submit
""",
}


@pytest.mark.parametrize("moment", sorted(CANCEL_AT))
def test_a_cancel_at_any_moment_of_the_coordinator_ends_cancelled(project: Path, moment: str) -> None:
    proc = subprocess.run(
        [sys.executable, "-c", COORDINATOR.replace("{patch}", CANCEL_AT[moment])],
        cwd=project, capture_output=True, text=True, timeout=60,
    )
    assert proc.returncode == 0 and proc.stdout.strip() == "cancelled", (proc.returncode, proc.stderr)
    run = latest(project)
    state = json.loads((run / "state.json").read_text())
    assert state["status"] == "cancelled"
    assert {p["status"] for p in state["progress"].values()} == {"cancelled"}
    assert "b" not in [e["task"] for e in events(run) if e["kind"] == "task.started"]
    assert not runs_lock(project, run.name).exists()


def runs_lock(project: Path, ident: str) -> Path:
    return project / ".agents/.index/runs" / f"{ident}.json"


@pytest.mark.parametrize(
    ("tasks", "message"),
    [
        ("tasks:\n  - id: a\n    prompt: x\n  - id: a\n    prompt: y\n", "task id 'a' appears twice"),
        ("tasks:\n  - id: a\n    prompt: x\n    colour: red\n", ":4: task a: unknown key 'colour'"),
        ("tasks:\n  - id: a\n    prompt: x\n    depends_on: [b]\n", "depends on unknown task 'b'"),
        (
            "tasks:\n  - {id: a, prompt: x, depends_on: [b]}\n  - {id: b, prompt: y, depends_on: [a]}\n",
            "dependency cycle: a -> b -> a",
        ),
        ("tasks:\n  - id: Bad Id\n    prompt: x\n", "must be lowercase"),
        ("tasks: [\n", "invalid YAML"),
        ("tasks:\n  - id: a\n    prompt: x\n    timeout: -1\n", ":4: task a: timeout must be a number >= 0"),
    ],
)
def test_a_bad_tasks_file_is_one_line_naming_file_and_line(
    project: Path, tmp_path: Path, tasks: str, message: str
) -> None:
    listing = tmp_path / "tasks.yaml"
    listing.write_text(tasks)
    proc = run_ao("swarm", "run", str(listing), "--runtime", "scripted", cwd=project)
    assert proc.returncode == 2
    assert message in proc.stderr and str(listing) in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1 and "Traceback" not in proc.stderr


def test_worktreeinclude_files_and_the_setup_command_reach_every_worktree(
    project: Path, tmp_path: Path
) -> None:
    (project / ".gitignore").write_text((project / ".gitignore").read_text() + "local/\n")
    (project / "local").mkdir()
    (project / "local" / "dev.cfg").write_text("LOCAL=1\n")
    (project / ".worktreeinclude").write_text("# a developer's untracked set-up\nlocal/*.cfg\n")
    config = project / "agentops.toml"
    config.write_text(
        config.read_text().replace("[swarm]\n", '[swarm]\nsetup_command = "echo ready > setup.txt"\n', 1)
    )
    git(project, "add", "-A")
    git(project, "commit", "-q", "--no-verify", "-m", "include")
    script, listing = write_files(
        tmp_path,
        {
            "a": {
                "turns": [{"tools": [{"bash": "cat local/dev.cfg setup.txt > src/a/seen.txt"}]}],
                "result": "ok",
            }
        },
        [{"id": "a", "prompt": "a", "scope": ["src/a/**"]}],
    )
    assert swarm(project, listing, script).returncode == 0
    branch = json.loads((latest(project) / "tasks" / "a.json").read_text())["branch"]
    assert git(project, "show", f"{branch}:src/a/seen.txt") == "LOCAL=1\nready\n"


def test_tasks_from_an_approved_plan(project: Path, tmp_path: Path) -> None:
    plan = "## Steps\n1. change a\n2. change b\n## Files in scope\n- src/a/m.py\n- src/b/m.py\n"
    script = tmp_path / "rpi.json"
    script.write_text(json.dumps({"phases": {"research": [{"result": "r"}], "plan": [{"result": plan}]}}))
    run_ao(
        "rpi", "two steps", "--runtime", "scripted", "--approve", "ask", "--script", str(script), cwd=project
    )
    rpi = sorted((project / ".agents/runs").glob("rpi-*"))[-1]
    proc = run_ao("swarm", "run", "--from-plan", rpi.name, "--runtime", "scripted", cwd=project)
    assert proc.returncode == 2 and "is not approved" in proc.stderr
    approval = json.loads((rpi / "state.json").read_text())["approval"]
    run_ao("approve", "grant", approval, "--by", "lead", cwd=project)
    steps = tmp_path / "steps.json"
    steps.write_text(
        json.dumps(
            {
                "phases": {
                    "step-1": edit("src/a/m.py", "x = 1", "x = 2"),
                    "step-2": edit("src/b/m.py", "y = 1", "y = 2"),
                }
            }
        )
    )
    proc = run_ao(
        "swarm",
        "run",
        "--from-plan",
        rpi.name,
        "--runtime",
        "scripted",
        "--script",
        str(steps),
        "--json",
        cwd=project,
    )
    assert proc.returncode == 0, proc.stderr
    state = json.loads((latest(project) / "state.json").read_text())
    assert [t["depends_on"] for t in state["tasks"]] == [[], ["step-1"]]
    assert state["tasks"][0]["scope"] == ["src/a/m.py", "src/b/m.py"]


def test_tasks_from_beads_are_claimed_and_closed(project: Path, tmp_path: Path) -> None:
    log = tmp_path / "bd.log"
    fake = tmp_path / "bd"
    ready = [
        {
            "id": "bd-a1",
            "title": "Change a",
            "description": "x should be 2",
            "status": "open",
            "priority": 1,
            "issue_type": "task",
        },
        {"id": "bd-b2", "title": "Change b", "status": "open", "priority": 2, "issue_type": "bug"},
    ]
    fake.write_text(
        f"#!{sys.executable}\nimport json, sys\n"
        f"open({str(log)!r}, 'a').write(' '.join(sys.argv[1:]) + '\\n')\n"
        f"if sys.argv[1] == 'ready': print(json.dumps({ready!r}))\n"
        "else: print(json.dumps([{'id': sys.argv[2], 'status': 'in_progress'}]))\n"
    )
    fake.chmod(0o755)
    config = project / "agentops.toml"
    config.write_text(config.read_text().replace("[swarm]\n", f'[swarm]\nbeads_command = "{fake}"\n', 1))
    script, _ = write_files(
        tmp_path, {"bd-a1": edit("src/a/m.py", "x = 1", "x = 2"), "bd-b2": {"fail": "cannot", "exit": 1}}, []
    )
    proc = run_ao(
        "swarm", "run", "--from-beads", "--runtime", "scripted", "--script", str(script), cwd=project
    )
    assert proc.returncode == 1  # bd-b2 failed
    calls = log.read_text().splitlines()
    assert calls[0] == "ready --json"
    assert "update bd-a1 --claim --json" in calls and "update bd-b2 --claim --json" in calls
    closes = [c for c in calls if c.startswith("close")]
    assert len(closes) == 1 and closes[0].startswith("close bd-a1 --reason")


def test_from_beads_without_bd_says_how_to_get_it(project: Path) -> None:
    config = project / "agentops.toml"
    config.write_text(config.read_text().replace("[swarm]\n", '[swarm]\nbeads_command = "no-such-bd"\n', 1))
    proc = run_ao("swarm", "run", "--from-beads", "--runtime", "scripted", cwd=project)
    assert proc.returncode == 2 and "no-such-bd not found: install beads" in proc.stderr


# -- the scheduling rule --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("a", "b", "overlap"),
    [
        ("src/api/**", "docs/**", False),
        ("src/**", "src/api/x.py", True),
        ("src/*.py", "src/*.md", False),
        ("*.md", "docs/a.md", True),
        ("src/a.py", "src/b.py", False),
        ("src/a.py", "src/a.py", True),
        ("**/*.py", "src/x.py", True),
        ("tests/test_a*.py", "tests/test_b*.py", False),
        ("src/api/**", "src/**/*.py", True),
    ],
)
def test_globs_overlap(a: str, b: str, overlap: bool) -> None:
    assert globs_overlap(a, b) is overlap
    assert globs_overlap(b, a) is overlap


segment = st.sampled_from(["src", "docs", "api", "a", "b", "*", "**", "x.py", "y.md", "*.py", "*.md", "t*"])
globs = st.lists(segment, min_size=1, max_size=4).map("/".join)
paths = st.lists(st.sampled_from(["src", "docs", "api", "a", "b"]), min_size=0, max_size=3).flatmap(
    lambda dirs: st.sampled_from(["x.py", "y.md", "t1.py", "z.txt"]).map(lambda name: "/".join([*dirs, name]))
)


@given(globs, globs, st.lists(paths, max_size=6))
def test_a_path_both_scopes_match_always_means_overlap(a: str, b: str, files: list[str]) -> None:
    from agentops_os.gates.files import matcher

    if any(matcher((a,))(f) and matcher((b,))(f) for f in files):
        assert scopes_overlap((a,), (b,), files)
        assert scopes_overlap((a,), (b,), [])  # the globs alone must see it too (files yet to exist)


def test_ready_respects_dependencies_running_scopes_and_blocked() -> None:
    tasks = [
        Task("a", "p", scope=("src/a/**",)),
        Task("b", "p", scope=("src/a/x.py",)),
        Task("c", "p", scope=("docs/**",), depends_on=("a",)),
        Task("d", "p", scope=("lib/**",)),
    ]
    assert [t.id for t in ready(tasks, set(), set(), set())] == ["a", "d"]
    assert [t.id for t in ready(tasks, {"a"}, {"d"}, set())] == ["b", "c"]
    assert [t.id for t in ready(tasks, set(), {"a"}, {"d"})] == []
