"""`ao rpi` and `ao swarm` driving the real Claude Code and Codex CLIs (`--runtime claude`,
`--runtime codex`) against the scripted model server: each phase and task is a real
client process, its file writes go through the client's own tools and ao's hooks, and the
run's usage is what the server reported."""

from __future__ import annotations

import json
import subprocess

import pytest
from tests.e2e.conftest import Host
from tests.e2e.model_server import ModelServer, Turn

GATED = """\
[gates.checks.greeting]
command = "grep -q 'Hello, world' app.py"

[gates.sets]
ci = ["greeting"]
"""


def write_call(runtime: str, path: str, text: str) -> tuple[str, dict[str, str]]:
    if runtime == "claude":
        return "Write", {"file_path": path, "content": text}
    return "exec_command", {"cmd": f"printf {json.dumps(text)} > {path}"}  # texts here hold no %


def prepare(host: Host, server: ModelServer, runtime: str) -> None:
    (host.repo / "agentops.toml").write_text(GATED)
    subprocess.run(["git", "add", "-A"], cwd=host.repo, env=host.env, check=True)
    subprocess.run(
        ["git", "commit", "-q", "--no-verify", "-m", "gate"], cwd=host.repo, env=host.env, check=True
    )
    if runtime == "claude":
        host.claude_env(server)
    else:
        host.codex_config(server)
        assert host.ao("init", "--trust-codex").returncode == 0


@pytest.mark.parametrize("runtime", ["claude", "codex"])
def test_rpi_runs_every_phase_through_the_real_client(host: Host, runtime: str) -> None:
    tool, args = write_call(runtime, "app.py", 'print("Hello, world")\n')
    turns = [
        Turn(text="Research: the repository has keep.txt and no app yet.", input_tokens=1500),
        Turn(
            text="Plan:\n1. Create app.py printing Hello, world.\n2. Validate with the greeting gate.",
            input_tokens=1700,
        ),
        Turn(text="Writing app.py.", tools=[(tool, args)], input_tokens=2000, cache_read=900),
        Turn(text="Implemented: app.py prints the greeting.", input_tokens=2300, cache_read=1500),
    ]
    with ModelServer(turns, final_text="Nothing more to do.") as server:
        prepare(host, server, runtime)
        proc = host.ao(
            "rpi",
            "start",
            "add a hello-world app",
            "--runtime",
            runtime,
            "--approve",
            "auto",
            "--json",
            timeout=600,
        )
    assert proc.returncode == 0, proc.stderr[-3000:]
    state = json.loads(proc.stdout)
    assert state["status"] == "done", state
    branch = state["repo"]["branch"]
    shown = subprocess.run(
        ["git", "show", f"{branch}:app.py"], cwd=host.repo, env=host.env, capture_output=True, text=True
    )
    assert shown.returncode == 0 and "Hello, world" in shown.stdout, shown.stderr
    assert not (host.repo / "app.py").exists()  # implement worked in its own worktree
    # Every phase was a separate client session, and the run's usage is the server's.
    run_id = state["id"]
    assert host.ao("sessions", "ingest").returncode == 0
    usage = json.loads(host.ao("usage", "session", "--json", "--run", run_id).stdout)
    totals = usage["totals"]
    reported = server.reported()
    sent_input = reported["input_tokens"]
    cached = reported.get("cache_read_input_tokens", reported.get("cached_input_tokens", 0))
    if runtime == "codex":  # Codex's input includes the cached part; ao counts it once
        sent_input -= cached
    assert (totals["input_tokens"], totals["cache_read_tokens"]) == (sent_input, cached)
    assert totals["output_tokens"] == reported["output_tokens"]
    assert len(usage["session"]) >= 3


@pytest.mark.parametrize("runtime", ["claude", "codex"])
def test_swarm_runs_two_tasks_at_once_through_the_real_client(host: Host, runtime: str) -> None:
    routes = {}
    for name in ("alpha", "beta"):
        tool, args = write_call(runtime, f"{name}.txt", f"{name} done\n")
        routes[f"task-{name}"] = [
            Turn(text=f"Writing {name}.", tools=[(tool, args)]),
            Turn(text=f"{name} written."),
        ]
    tasks = {
        "tasks": [
            {"id": name, "prompt": f"task-{name}: write {name}.txt", "scope": [f"{name}.txt"]}
            for name in ("alpha", "beta")
        ]
    }
    (host.home / "tasks.json").write_text(json.dumps(tasks))
    with ModelServer([], routes=routes) as server:
        prepare(host, server, runtime)
        proc = host.ao(
            "swarm",
            "run",
            str(host.home / "tasks.json"),
            "--runtime",
            runtime,
            "--workers",
            "2",
            "--json",
            timeout=600,
        )
    assert proc.returncode == 0, proc.stderr[-3000:]
    report = json.loads(proc.stdout)
    assert {t["id"]: t["status"] for t in report["tasks"]} == {"alpha": "passed", "beta": "passed"}
    for task in report["tasks"]:
        shown = subprocess.run(
            ["git", "show", f"{task['branch']}:{task['id']}.txt"],
            cwd=host.repo,
            env=host.env,
            capture_output=True,
            text=True,
        )
        assert shown.stdout == f"{task['id']} done\n", shown.stderr
    assert all(server.route_served[key] >= 2 for key in routes)
