"""`ao rpi` end to end with the scripted runtime: every path through the state machine.

The scripted agent is a real child process speaking Claude Code's protocol (stream-json
out, transcript on disk, the project's PreToolUse hooks run before tool calls), so these
runs go through the same runtime, process and ledger code as a `claude` run.
"""

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

from conftest import git, run_ao

GREET = 'def greet(name):\n    return f"Hello, {name}"\n'
TEST = 'from greet import greet\n\n\ndef test_greet():\n    assert greet("Ada") == "Hello, Ada!"\n'
PLAN = """\
## Steps
1. Make greet end with "!".
## Files in scope
- greet.py
## Tests to add
- none
## Checklist
- [ ] tests pass
"""
FIX = {"edit": "greet.py", "old": 'return f"Hello, {name}"', "new": 'return f"Hello, {name}!"'}


@pytest.fixture
def project(repo: Path) -> Path:
    (repo / "greet.py").write_text(GREET)
    (repo / "test_greet.py").write_text(TEST)
    assert run_ao("init", cwd=repo).returncode == 0
    config = repo / "agentops.toml"
    text = config.read_text().replace("[gates.sets]\n", '[gates.sets]\nci = ["tests"]\n', 1)
    config.write_text(text + '\n[gates.checks.tests]\ncommand = "python -m pytest -q -p no:cacheprovider"\n'
                      'files = ["*.py"]\n')
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "--no-verify", "-m", "set up ao")
    return repo


def script(path: Path, phases: dict[str, Any]) -> Path:
    path.write_text(json.dumps({"model": "claude-sonnet-4-5", "phases": phases}))  # JSON is YAML
    return path


def happy(**overrides: Any) -> dict[str, Any]:
    phases: dict[str, Any] = {
        "research": [{"turns": [{"tools": [{"read": "greet.py"}]}], "result": "greet.py returns no '!'."}],
        "plan": [{"result": PLAN}],
        "implement": [{"turns": [{"tools": [FIX]}], "result": "Added the '!'.\nLearning: f-strings."}],
    }
    phases.update(overrides)
    return phases


def rpi(project: Path, *args: str, goal: str | None = "Make greet shout") -> subprocess.CompletedProcess[str]:
    argv = ["rpi", *([goal] if goal is not None else []), *args]
    return run_ao(*argv, cwd=project)


def state_of(project: Path, run: str = "") -> dict[str, Any]:
    runs = sorted((project / ".agents" / "runs").glob("rpi-*"))
    path = next(r for r in runs if r.name == run) if run else runs[-1]
    data: dict[str, Any] = json.loads((path / "state.json").read_text())
    return data


def calls(state: dict[str, Any], phase: str) -> list[dict[str, Any]]:
    return [c for c in state["calls"] if c["phase"] == phase]


def test_a_whole_run_retries_implement_after_a_failed_gate(project: Path, tmp_path: Path) -> None:
    bad = {"turns": [{"tools": [{**FIX, "new": 'return f"Hello, {name}?"'}]}], "result": "Done."}
    good = {"turns": [{"tools": [{"edit": "greet.py", "old": "?", "new": "!"}, {"bash": "rm -rf ~/"}]}],
            "result": "Fixed it.\nLearning: read the gate's assertion first."}
    proc = rpi(project, "--runtime", "scripted", "--approve", "auto", "--script",
               str(script(tmp_path / "s.yaml", happy(implement=[bad, good]))))
    assert proc.returncode == 0, proc.stderr
    state = state_of(project)
    assert state["status"] == "done"
    assert [c["phase"] for c in state["calls"]] == ["research", "plan", "implement", "implement"]
    assert "gate ci / tests: fail" in json.dumps([e for e in _events(project, state) if
                                                   e["kind"] == "validate.failed"])
    branch = state["repo"]["branch"]
    assert 'f"Hello, {name}!"' in git(project, "show", f"{branch}:greet.py")
    message = git(project, "log", "-1", "--format=%B", branch)
    for part in ("Context:", "Solution:", "Learning: read the gate's assertion first.", "Impact:"):
        assert part in message
    # The main checkout is untouched; the worktree is gone, the branch stays for review.
    assert (project / "greet.py").read_text() == GREET
    assert state["outcome"] == "review" and not state["repo"]["worktree"]
    assert str(Path(state["calls"][2]["transcript"]).parent.name).startswith(_slug(project))
    # The guard judged the scripted agent's tool call through the project's real hook.
    home = Path(os.environ["HOME"])
    assert home.is_dir()
    result = json.loads((project / ".agents" / "runs" / state["id"] / "calls/004-implement/result.json")
                        .read_text())
    assert result["status"] == "ok"
    transcript = Path(state["calls"][3]["transcript"]).read_text()
    assert "AgentOps guard" in transcript
    run_dir = project / ".agents" / "runs" / state["id"]
    research = (run_dir / "research.md").read_text()
    assert "cites:" in research and "greet.py" in research
    assert (project / state["handoff"]).is_file()
    tags = sorted((project / ".agents" / "sessions" / "tags").glob("*.json"))
    assert sorted(json.loads(t.read_text())["phase"] for t in tags) == ["implement", "implement", "plan",
                                                                         "research"]


def test_ask_waits_for_approval_of_the_plan_then_resume_implements(project: Path, tmp_path: Path) -> None:
    s = script(tmp_path / "s.yaml", happy())
    proc = rpi(project, "--runtime", "scripted", "--approve", "ask", "--script", str(s))
    assert proc.returncode == 0, proc.stderr
    assert "awaits approval" in proc.stderr
    state = state_of(project)
    assert state["status"] == "awaiting-approval" and not calls(state, "implement")
    listing = json.loads(run_ao("approve", "list", "--json", cwd=project).stdout)
    item = next(a for a in listing["approvals"] if a["id"] == state["approval"])
    assert item["path"] == f".agents/runs/{state['id']}/plan.md" and item["status"] == "pending"
    # Still waiting: resuming without a decision asks nothing new and changes nothing.
    assert run_ao("rpi", "resume", cwd=project).returncode == 0
    assert state_of(project)["approval"] == state["approval"]
    assert run_ao("approve", "grant", state["approval"], "--by", "lead", cwd=project).returncode == 0
    proc = run_ao("rpi", "resume", state["id"], cwd=project)
    assert proc.returncode == 0, proc.stderr
    done = state_of(project)
    assert done["status"] == "done"
    assert [c["phase"] for c in done["calls"]] == ["research", "plan", "implement"]  # nothing re-run


def test_a_denied_plan_fails_the_run_without_implementing(project: Path, tmp_path: Path) -> None:
    s = script(tmp_path / "s.yaml", happy())
    rpi(project, "--runtime", "scripted", "--approve", "ask", "--script", str(s))
    state = state_of(project)
    assert run_ao("approve", "deny", state["approval"], "--by", "lead", cwd=project).returncode == 0
    proc = run_ao("rpi", "resume", cwd=project)
    assert proc.returncode == 1
    assert "plan denied" in proc.stderr
    assert state_of(project)["status"] == "failed" and not calls(state_of(project), "implement")


def test_editing_an_approved_plan_asks_again(project: Path, tmp_path: Path) -> None:
    rpi(project, "--runtime", "scripted", "--approve", "ask", "--script",
        str(script(tmp_path / "s.yaml", happy())))
    state = state_of(project)
    run_ao("approve", "grant", state["approval"], cwd=project)
    plan = project / ".agents" / "runs" / state["id"] / "plan.md"
    plan.write_text(plan.read_text() + "\n- [ ] also update the README\n")
    proc = run_ao("rpi", "resume", cwd=project)
    assert proc.returncode == 0 and "awaits approval" in proc.stderr
    again = state_of(project)
    assert again["status"] == "awaiting-approval" and again["approval"] != state["approval"]


def test_context_limit_ends_the_phase_saves_a_handoff_and_starts_fresh(project: Path, tmp_path: Path) -> None:
    # 90k of a 200k window is 45 %: over the 40 % line. The agent would then sleep 60 s;
    # ao must stop it long before.
    heavy = {"turns": [{"text": "reading everything", "usage": {"input": 90000, "output": 10}, "sleep": 60},
                       {"text": "never reached"}], "result": "never"}
    light = {"turns": [{"tools": [{"read": "greet.py"}]}], "result": "greet.py has no '!'."}
    started = time.monotonic()
    proc = rpi(project, "--runtime", "scripted", "--approve", "auto",
               "--script", str(script(tmp_path / "s.yaml", happy(research=[heavy, light]))))
    assert proc.returncode == 0, proc.stderr
    assert time.monotonic() - started < 50
    state = state_of(project)
    research = calls(state, "research")
    assert [c["status"] for c in research] == ["budget", "ok"]
    assert research[0]["peak_fraction"] == pytest.approx(0.45, abs=0.01)
    run_dir = project / ".agents" / "runs" / state["id"]
    second_prompt = (run_dir / research[1]["folder"] / "prompt.md").read_text()
    assert "Handoff from the previous attempt" in second_prompt
    assert "reading everything" not in second_prompt or "never reached" not in second_prompt
    handoffs = list((project / ".agents" / "handoffs").glob("*rpi-context-limit*.md"))
    assert len(handoffs) == 1
    assert state["status"] == "done"


def test_budget_flag_sets_the_live_limit(project: Path, tmp_path: Path) -> None:
    heavy = {"turns": [{"usage": {"input": 30000, "output": 10}, "sleep": 60}], "result": "never"}
    s = script(tmp_path / "s.yaml", happy(research=[heavy]))
    proc = rpi(project, "--runtime", "scripted", "--approve", "auto", "--budget", "10", "--script", str(s))
    assert proc.returncode == 1
    assert "context limit" in proc.stderr
    state = state_of(project)
    assert state["status"] == "budget"
    assert [c["status"] for c in calls(state, "research")] == ["budget"] * 3  # 1 + rpi.budget_restarts


def test_max_cost_stops_the_run(project: Path, tmp_path: Path) -> None:
    proc = rpi(project, "--runtime", "scripted", "--approve", "auto", "--max-cost", "0.000001",
               "--script", str(script(tmp_path / "s.yaml", happy())))
    assert proc.returncode == 1
    assert "cost limit" in proc.stderr
    state = state_of(project)
    assert state["status"] == "budget" and len(state["calls"]) == 1


def _start_in_background(project: Path, s: Path) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-m", "agentops_os", "rpi", "Make greet shout", "--runtime",
                             "scripted", "--approve", "auto", "--script", str(s)],
                            cwd=project, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            start_new_session=True)


def _wait_for_agent(project: Path, phase: str, timeout: float = 60) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        runs = sorted((project / ".agents" / "runs").glob("rpi-*"))
        if runs:
            lock = project / ".agents" / ".index" / "runs" / f"{runs[-1].name}.json"
            try:
                state = json.loads((runs[-1] / "state.json").read_text())
                held = json.loads(lock.read_text())
            except (OSError, ValueError):
                held = {}
                state = {}
            if state.get("phase") == phase and held.get("agent_pgid"):
                return {"state": state, "lock": held}
        time.sleep(0.05)
    raise AssertionError(f"the run never reached a running {phase} agent")


def _alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    return True


def test_kill_9_of_the_runner_then_resume_reruns_only_the_unfinished_phase(project: Path,
                                                                          tmp_path: Path) -> None:
    slow = {"turns": [{"text": "working", "sleep": 120}], "result": "never"}
    fast = {"turns": [{"tools": [FIX]}], "result": "Added the '!'."}
    s = script(tmp_path / "s.yaml", happy(implement=[slow, fast]))
    runner = _start_in_background(project, s)
    seen = _wait_for_agent(project, "implement")
    runner.send_signal(signal.SIGKILL)
    runner.wait(timeout=10)
    orphan = int(seen["lock"]["agent_pgid"])
    assert _alive(orphan)  # kill -9 gave the runner no chance to stop its agent
    proc = run_ao("rpi", "resume", cwd=project)
    assert proc.returncode == 0, proc.stderr
    assert not _alive(orphan)
    state = state_of(project)
    assert state["status"] == "done"
    assert len(calls(state, "research")) == 1 and len(calls(state, "plan")) == 1
    assert [c["attempt"] for c in calls(state, "implement")] == [2]
    assert any(e["kind"] == "agent.orphan_killed" for e in _events(project, state))


def test_cancel_kills_the_agent_group_and_the_run_can_resume(project: Path, tmp_path: Path) -> None:
    slow = {"turns": [{"text": "working", "tools": [{"bash": "sleep 300 & wait"}]}], "result": "never"}
    s = script(tmp_path / "s.yaml", happy(research=[slow, happy()["research"][0]]))
    runner = _start_in_background(project, s)
    seen = _wait_for_agent(project, "research")
    proc = run_ao("rpi", "cancel", cwd=project)
    assert proc.returncode == 0, proc.stderr
    runner.wait(timeout=30)
    assert runner.returncode == 1
    pgid = int(seen["lock"]["agent_pgid"])
    deadline = time.monotonic() + 10
    while _alive(pgid) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not _alive(pgid)  # the agent, its bash and the bash's sleep
    state = state_of(project)
    assert state["status"] == "cancelled"
    assert run_ao("rpi", "cancel", cwd=project).returncode == 2  # already cancelled: one line
    assert run_ao("rpi", "resume", cwd=project).returncode == 0
    assert state_of(project)["status"] == "done"


SLOW_WORKTREE_HOOK = """\
import os, sys, time
project = os.environ["CLAUDE_PROJECT_DIR"]
if "worktrees" not in project:  # fast outside the run's worktree (research and plan)
    sys.exit(0)
marks = sys.argv[1]
open(os.path.join(marks, f"started-{os.getpid()}"), "w").close()
time.sleep(float(sys.argv[2]))
os.makedirs(os.path.join(project, ".agents", ".index"), exist_ok=True)
open(os.path.join(marks, f"done-{os.getpid()}"), "w").close()
"""


def test_cancel_while_a_hook_runs_outside_the_agents_group_leaves_no_worktree(
    project: Path, tmp_path: Path
) -> None:
    """`ao rpi cancel` lands while a hook the implementing agent started in a session of its
    own is running: killing the agent's group does not reach the hook, so unless the run
    stops it too it outlives the cancel and re-creates the removed worktree."""
    hook, marks, sleep_s = tmp_path / "slow_hook.py", tmp_path / "marks", 3.0
    hook.write_text(SLOW_WORKTREE_HOOK)
    marks.mkdir()
    settings = project / ".claude/settings.json"
    config = json.loads(settings.read_text())
    command = f"{sys.executable} {hook} {marks} {sleep_s}"
    config["hooks"]["PreToolUse"] = [{"matcher": "*", "hooks": [{"type": "command", "command": command}]}]
    settings.write_text(json.dumps(config, indent=2))
    git(project, "commit", "-qam", "a slow hook", "--no-verify")
    slow = {"turns": [{"tools": [{"bash": "sleep 300 & wait"}]}], "result": "never"}
    runner = _start_in_background(project, script(tmp_path / "s.yaml", happy(implement=[slow])))
    deadline = time.monotonic() + 60
    while not list(marks.glob("started-*")) and time.monotonic() < deadline:
        time.sleep(0.05)
    hooks = [int(p.name.split("-")[1]) for p in marks.glob("started-*")]
    assert hooks, "the implementing agent never ran its hook"
    assert run_ao("rpi", "cancel", cwd=project).returncode == 0
    runner.wait(timeout=30)
    from agentops_os.workflows.runs import pid_alive

    deadline = time.monotonic() + sleep_s + 10
    while any(pid_alive(pid) for pid in hooks) and time.monotonic() < deadline:
        time.sleep(0.05)
    state = state_of(project)
    assert state["status"] == "cancelled"
    assert not list(marks.glob("done-*"))  # the hook was stopped, not left to finish
    worktrees = project / ".agents/.index/worktrees"
    assert not list(worktrees.glob("rpi-*")), sorted(p.name for p in worktrees.iterdir())


def test_status_list_show_and_json(project: Path, tmp_path: Path) -> None:
    rpi(project, "--runtime", "scripted", "--approve", "auto", "--script",
        str(script(tmp_path / "s.yaml", happy())))
    state = state_of(project)
    status = run_ao("rpi", "status", cwd=project)
    assert status.returncode == 0 and state["id"] in status.stdout and "implement" in status.stdout
    listing = json.loads(run_ao("rpi", "list", "--json", cwd=project).stdout)
    assert [r["id"] for r in listing["runs"]] == [state["id"]]
    shown = json.loads(run_ao("rpi", "show", state["id"], "--json", cwd=project).stdout)
    kinds = [e["kind"] for e in shown["events"]]
    assert kinds[0] == "run.started" and kinds[-1] == "run.done"
    assert run_ao("rpi", "show", "nope-123", cwd=project).returncode == 2


@pytest.mark.parametrize(("args", "message"), [
    (["--runtime", "nosuch"], "--runtime 'nosuch'"),
    (["--budget", "150", "--runtime", "scripted"], "between 0 and 100"),
    (["--max-cost", "-1", "--runtime", "scripted"], "--max-cost"),
])
def test_bad_options_are_one_line_exit_2(project: Path, args: list[str], message: str) -> None:
    proc = rpi(project, *args)
    assert proc.returncode == 2
    assert message in proc.stderr and "Traceback" not in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1


def test_an_empty_goal_is_a_usage_error(project: Path) -> None:
    proc = run_ao("rpi", "start", "  ", cwd=project)
    assert proc.returncode == 2 and "goal is empty" in proc.stderr


def test_a_missing_cli_fails_with_how_to_install_it(project: Path) -> None:
    config = project / "agentops.toml"
    setting = '[runtimes]\nclaude_command = "no-such-claude-binary"\n'
    config.write_text(config.read_text().replace("[runtimes]\n", setting, 1))
    proc = rpi(project, "--runtime", "claude", "--approve", "auto")
    assert proc.returncode == 1
    assert ("no-such-claude-binary not found: install Claude Code with "
            "`npm install -g @anthropic-ai/claude-code`") in proc.stderr


def test_an_agent_failure_is_reported_in_one_line(project: Path, tmp_path: Path) -> None:
    s = script(tmp_path / "s.yaml", happy(research=[{"fail": "model overloaded", "exit": 1}]))
    proc = rpi(project, "--runtime", "scripted", "--approve", "auto", "--script", str(s))
    assert proc.returncode == 1
    assert "research: model overloaded" in proc.stderr
    assert state_of(project)["status"] == "failed"


def _events(project: Path, state: dict[str, Any]) -> list[dict[str, Any]]:
    folder = project / ".agents" / "runs" / state["id"] / "events"
    return [json.loads(p.read_text()) for p in sorted(folder.glob("*.json"))]


def _slug(path: Path) -> str:
    import re

    return re.sub(r"[^A-Za-z0-9]", "-", str(path.resolve()))


def test_init_scaffolds_the_phase_prompts_and_a_users_edit_is_used(project: Path, tmp_path: Path) -> None:
    template = project / ".agents" / "workflows" / "rpi" / "research.md"
    assert "{{goal}}" in template.read_text()
    template.write_text("House rules first. Goal: {{goal}}. Context: {{context}}. Braces {like this} stay.\n")
    rpi(project, "--runtime", "scripted", "--approve", "auto", "--script",
        str(script(tmp_path / "s.yaml", happy())))
    state = state_of(project)
    prompt = (project / ".agents" / "runs" / state["id"] / "calls/001-research/prompt.md").read_text()
    assert prompt.startswith("House rules first. Goal: Make greet shout.")
    assert "Braces {like this} stay." in prompt and "# Context packet" in prompt


def test_sessions_usage_and_metrics_know_each_run_and_phase(project: Path, tmp_path: Path) -> None:
    heavy = {"turns": [{"usage": {"input": 90000, "output": 10}, "sleep": 60}], "result": "never"}
    rpi(project, "--runtime", "scripted", "--approve", "auto", "--script",
        str(script(tmp_path / "s.yaml", happy(research=[heavy, happy()["research"][0]]))))
    state = state_of(project)
    listed = json.loads(run_ao("sessions", "list", "--json", cwd=project).stdout)["sessions"]
    tagged = {s["session_id"]: s["phase"] for s in listed if s["run"] == state["id"]}
    assert sorted(tagged.values()) == ["implement", "plan", "research", "research"]
    table = run_ao("sessions", "list", cwd=project).stdout
    assert f"{state['id']}:implement" in table
    usage = json.loads(run_ao("usage", "session", "--run", state["id"], "--json", cwd=project).stdout)
    assert {b["session_id"] for b in usage["session"]} == set(tagged)
    assert usage["totals"]["total_tokens"] == state["tokens"]
    assert run_ao("usage", "daily", "--run", "rpi-nope", cwd=project).returncode == 2
    phases = json.loads(run_ao("metrics", "--json", cwd=project).stdout)["phases"]
    assert phases["rpi:research"]["calls"] == 2 and phases["rpi:research"]["stopped_at_limit"] == 1
    assert phases["rpi:research"]["under_limit_share"] == 0.5
    assert phases["rpi:plan"]["under_limit_share"] == 1.0


def test_a_git_failure_mid_phase_fails_the_run_resumably_and_keeps_the_work(project: Path,
                                                                          tmp_path: Path) -> None:
    s = script(tmp_path / "s.yaml", happy())
    # No identity, and git told not to guess one: the runner's commit of the agent's work fails.
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GIT_AUTHOR", "GIT_COMMITTER"))}
    env.update(GIT_CONFIG_COUNT="1", GIT_CONFIG_KEY_0="user.useConfigOnly", GIT_CONFIG_VALUE_0="true")
    argv = [sys.executable, "-m", "agentops_os", "rpi", "Make greet shout", "--runtime", "scripted",
            "--approve", "auto", "--script", str(s)]
    proc = subprocess.run(argv, cwd=project, capture_output=True, text=True, env=env)
    assert proc.returncode == 1 and "implement: git commit" in proc.stderr, proc.stderr
    state = state_of(project)
    assert state["status"] == "failed"
    kept = Path(state["repo"]["worktree"])
    assert 'f"Hello, {name}!"' in (kept / "greet.py").read_text()  # the agent's edit is still there
    assert run_ao("rpi", "resume", cwd=project).returncode == 0
    assert state_of(project)["status"] == "done"
    assert len(calls(state_of(project), "implement")) == 2


@pytest.mark.parametrize("answer", [True, False])
def test_approval_at_the_prompt(project: Path, tmp_path: Path, answer: bool) -> None:
    from agentops_os.workflows.rpi.control import start
    from agentops_os.workflows.rpi.records import Settings

    seen: list[tuple[str, str]] = []

    def ask(path: str, text: str) -> bool:
        seen.append((path, text))
        return answer

    settings = Settings(runtime="scripted", approve="ask", script=str(script(tmp_path / "s.yaml", happy())))
    state = start(project, "Make greet shout", settings, ask=ask)
    assert seen and seen[0][0].endswith("/plan.md") and "## Steps" in seen[0][1]
    assert state["status"] == ("done" if answer else "failed")
    listing = json.loads(run_ao("approve", "list", "--json", cwd=project).stdout)["approvals"]
    assert [a["status"] for a in listing] == ["granted" if answer else "denied"]
