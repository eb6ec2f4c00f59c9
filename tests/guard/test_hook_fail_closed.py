"""The real `ao hook pre-tool-use` fails closed: malformed input, calls outside a git
repository, tampered caches and nested repositories never turn the guard off."""

from __future__ import annotations

import json
import marshal
import os
import subprocess
import sys
from pathlib import Path

import pytest
from tests.conftest import git
from tests.conftest import run_ao as ao
from tests.guard.test_hook import decision, payload, run_ao


@pytest.mark.parametrize(
    "stdin",
    [
        "",
        "   \n",
        "{not json",
        "[1, 2]",
        '{"tool_input": {"command": "ls"}}',
        '{"tool_name": 7, "tool_input": {}}',
        '{"tool_name": null}',
    ],
)
def test_malformed_stdin_denies(repo: Path, stdin: str) -> None:
    proc = run_ao("hook", "pre-tool-use", input=stdin, cwd=repo)
    assert proc.returncode == 0
    out = decision(proc.stdout)
    assert out["permissionDecision"] == "deny" and out["permissionDecisionReason"]


@pytest.mark.parametrize(
    "tool,tool_input",
    [
        ("Write", {"file_path": 42, "content": "x"}),
        ("Edit", {"file_path": None}),
        ("Bash", {"command": 1}),
        ("Bash", "rm -rf /"),
        ("NewWriter", {"path": "x", "content": "y"}),
    ],
)
def test_bad_tool_input_denies(repo: Path, tool: str, tool_input: object) -> None:
    body = json.dumps(
        {
            "session_id": "s",
            "cwd": str(repo),
            "hook_event_name": "PreToolUse",
            "tool_name": tool,
            "tool_input": tool_input,
        }
    )
    assert (
        decision(run_ao("hook", "pre-tool-use", input=body, cwd=repo).stdout)["permissionDecision"] == "deny"
    )


def test_outside_a_repository_the_builtin_rules_judge(tmp_path: Path) -> None:
    plain = tmp_path / "plain"
    plain.mkdir()
    proc = run_ao("hook", "pre-tool-use", input=payload(plain, "Bash", {"command": "rm -rf ~"}), cwd=plain)
    assert decision(proc.stdout)["permissionDecision"] == "deny"
    quiet = run_ao("hook", "pre-tool-use", input=payload(plain, "Bash", {"command": "ls"}), cwd=plain)
    assert quiet.stdout.strip() == ""
    assert not (plain / ".agents").exists()  # nothing of ours is written outside a repository


def test_a_tampered_settings_cache_is_rebuilt(repo: Path) -> None:
    body = payload(repo, "Bash", {"command": "rm -rf ~"})
    assert (
        decision(run_ao("hook", "pre-tool-use", input=body, cwd=repo).stdout)["permissionDecision"] == "deny"
    )
    cache = repo / ".agents" / ".index" / "hook-settings.marshal"
    data = marshal.loads(cache.read_bytes())
    data["guard"]["enabled"] = False  # forged: same key, guard off
    cache.write_bytes(marshal.dumps(data))
    doctor = run_ao("doctor", input="", cwd=repo)
    assert "guard settings cache" in doctor.stdout and "tampered" in doctor.stdout
    data["key"] = "forged"
    cache.write_bytes(marshal.dumps(data))
    assert (
        decision(run_ao("hook", "pre-tool-use", input=body, cwd=repo).stdout)["permissionDecision"] == "deny"
    )
    cache.write_bytes(b"garbage")
    assert (
        decision(run_ao("hook", "pre-tool-use", input=body, cwd=repo).stdout)["permissionDecision"] == "deny"
    )


def test_an_edit_that_keeps_size_and_mtime_is_seen(repo: Path) -> None:
    config = repo / "agentops.toml"
    config.write_text('[guard]\ndisabled_rules = ["rm-root"]\n')
    body = payload(repo, "Bash", {"command": "npm publish"})
    run_ao("hook", "pre-tool-use", input=body, cwd=repo)
    stat = config.stat()
    config.write_text('[guard]\ndisabled_rules = ["publish"]\n')  # same length
    import os

    os.utime(config, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert run_ao("hook", "pre-tool-use", input=body, cwd=repo).stdout.strip() == ""


def test_unreadable_config_gives_builtin_defaults(repo: Path) -> None:
    (repo / "agentops.toml").mkdir()  # a directory in its place: cannot be read as a file
    proc = run_ao("hook", "pre-tool-use", input=payload(repo, "Bash", {"command": "rm -rf ~"}), cwd=repo)
    assert decision(proc.stdout)["permissionDecision"] == "deny"


def test_a_nested_repository_cannot_relax_the_outer_rules(repo: Path) -> None:
    inner = repo / "sub"
    inner.mkdir()
    git(inner, "init", "-q", "-b", "main")
    (inner / "agentops.toml").write_text("[guard]\nenabled = false\n")
    proc = run_ao("hook", "pre-tool-use", input=payload(inner, "Bash", {"command": "rm -rf ~"}), cwd=inner)
    assert decision(proc.stdout)["permissionDecision"] == "deny"


def test_aos_own_worktree_is_judged_as_a_checkout_not_as_the_outer_index(repo: Path) -> None:
    """`ao rpi`/`ao swarm` run agents in linked worktrees under .agents/.index/worktrees/:
    their writes are ordinary project writes, while a plain repository planted at the
    same place is still judged under the outer policy (a write into ao's index)."""
    git(repo, "commit", "-q", "--allow-empty", "-m", "base")
    tree = repo / ".agents/.index/worktrees/rpi-1"
    git(repo, "worktree", "add", "-q", "--detach", str(tree))
    write = {"file_path": str(tree / "app.py"), "content": "x = 1\n"}
    proc = run_ao("hook", "pre-tool-use", input=payload(tree, "Write", write), cwd=tree)
    assert decision(proc.stdout).get("permissionDecision", "allow") == "allow"
    danger = run_ao("hook", "pre-tool-use", input=payload(tree, "Bash", {"command": "rm -rf ~"}), cwd=tree)
    assert decision(danger.stdout)["permissionDecision"] == "deny"

    stray = repo / ".agents/.index/worktrees/planted"
    stray.mkdir(parents=True)
    git(stray, "init", "-q", "-b", "main")
    planted = {"file_path": str(stray / "app.py"), "content": "x = 1\n"}
    proc = run_ao("hook", "pre-tool-use", input=payload(stray, "Write", planted), cwd=stray)
    assert decision(proc.stdout)["permissionDecision"] == "deny"


def test_hooks_in_aos_worktree_record_in_the_repositorys_store(repo: Path) -> None:
    """The worktree's `.agents/` is a checkout of the tracked store: a record written there
    would be committed on the task's branch. Records go to the repository's store, tagged
    with the run and task that started the agent."""
    assert ao("init", cwd=repo).returncode == 0
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "--no-verify", "-m", "init")
    tree = repo / ".agents/.index/worktrees/swarm-1-a"
    git(repo, "worktree", "add", "-q", "--detach", str(tree))
    env = {**os.environ, "AO_RUN_ID": "swarm-1", "AO_SWARM_TASK": "a"}
    start = json.dumps({"session_id": "wt-1", "cwd": str(tree), "hook_event_name": "SessionStart",
                        "source": "startup"})
    assert ao("hook", "session-start", input=start, cwd=tree, env=env).returncode == 0
    call = payload(tree, "Bash", {"command": "rm -rf ~"})
    danger = ao("hook", "pre-tool-use", input=call, cwd=tree, env=env)
    assert decision(danger.stdout)["permissionDecision"] == "deny"
    events = (repo / ".agents/sessions/events/wt-1.jsonl").read_text()
    assert '"run":"swarm-1"' in events.replace(" ", "") and '"task":"a"' in events.replace(" ", "")
    audit = "".join(p.read_text() for p in (repo / ".agents/audit").glob("*.jsonl"))
    assert "rm -rf ~" in audit
    assert git(tree, "status", "--porcelain").strip() == ""  # nothing landed in the worktree's copy


def test_a_crash_denies_with_the_reason(repo: Path) -> None:
    probe = (
        "import io, sys\n"
        "import agentops_os.guard.tools as tools\n"
        "def boom(*a, **k):\n    raise RuntimeError('simulated')\n"
        "tools.judge_tool = boom\n"
        "sys.stdin = io.TextIOWrapper(io.BytesIO(sys.argv[1].encode()))\n"
        "from agentops_os.hooks.entry import run_hook\n"
        "run_hook(['pre-tool-use'])\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", probe, payload(repo, "Write", {"file_path": "a", "content": "x"})],
        cwd=repo,
        capture_output=True,
        text=True,
    )
    out = decision(proc.stdout)
    assert out["permissionDecision"] == "deny" and "simulated" in out["permissionDecisionReason"]


def test_ao_commands_in_aos_worktree_write_the_repositorys_store(repo: Path) -> None:
    assert ao("init", cwd=repo).returncode == 0
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "--no-verify", "-m", "init")
    tree = repo / ".agents/.index/worktrees/rpi-1"
    git(repo, "worktree", "add", "-q", "--detach", str(tree))
    added = ao("learn", "add", "Retry the flaky upload step once", "--force", cwd=tree)
    assert added.returncode == 0, added.stderr
    assert any("flaky upload" in p.read_text() for p in (repo / ".agents/learnings").glob("*.md"))
    assert git(tree, "status", "--porcelain").strip() == ""
