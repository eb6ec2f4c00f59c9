"""`ao improve` on a real repo with seeded friction: a gate that fails twice, two denials
of the same guard rule, a collapsed session (real transcripts, real ingest), learnings
voted harmful and a `Learning:` trailer. Everything goes through the real `ao` CLI and
hooks; the assertions read the item files that land in `.agents/improve/`."""

from __future__ import annotations

import json
import os
import subprocess
import time
from pathlib import Path

import pytest

from agentops_os.improve import backlog
from agentops_os.improve.model import cause_id
from agentops_os.store import Store
from conftest import git, run_ao

GATES = """
[gates.checks.no-todo]
command = "! grep -rn TODO --include=*.py ."
files = ["*.py"]
[gates.checks.readme]
command = "test -f README.md"
[gates.sets]
quick = ["no-todo", "readme"]
"""


def _deny(repo: Path, command: str, session: str = "s-guard") -> None:
    payload = {"session_id": session, "cwd": str(repo), "hook_event_name": "PreToolUse",
               "tool_name": "Bash", "tool_input": {"command": command}}
    proc = run_ao("hook", "pre-tool-use", cwd=repo, input=json.dumps(payload))
    assert '"deny"' in proc.stdout, proc.stdout + proc.stderr


def _ok(proc: subprocess.CompletedProcess[str], code: int = 0) -> subprocess.CompletedProcess[str]:
    assert proc.returncode == code, (proc.returncode, proc.stdout, proc.stderr)
    return proc


@pytest.fixture
def friction(repo: Path, hermetic_env: Path) -> Path:
    (repo / ".agents").mkdir()
    (repo / "agentops.toml").write_text(GATES)
    (repo / "app.py").write_text("# TODO: remove\n")
    _ok(run_ao("gate", "run", "quick", cwd=repo), 1)
    _ok(run_ao("gate", "run", "quick", "--no-cache", cwd=repo), 1)
    _deny(repo, "rm -rf /")
    _deny(repo, "rm -rf / --no-preserve-root")
    agents_home = hermetic_env / "agents"
    _ok(run_ao("sessions", "sample", "--home", str(agents_home), cwd=repo))
    _ok(run_ao("sessions", "ingest", "--path", str(agents_home), cwd=repo))
    return repo


def _items(repo: Path) -> dict[str, dict]:
    proc = _ok(run_ao("improve", "list", "--status", "all", "--json", cwd=repo))
    return {item["cause"]: item for item in json.loads(proc.stdout)}


def _files(repo: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted((repo / ".agents" / "improve").glob("*.md"))}


def test_scan_finds_each_cause_once_ranks_them_and_a_second_scan_adds_nothing(friction: Path) -> None:
    first = json.loads(_ok(run_ao("improve", "scan", "--json", cwd=friction)).stdout)
    causes = [item["cause"] for item in first["new"]]
    assert sorted(causes) == ["context:collapse", "gate:no-todo", "guard:rm-root"]
    items = _items(friction)
    assert items["gate:no-todo"]["occurrences"] == 2  # the two failing runs, one item
    assert items["guard:rm-root"]["occurrences"] == 2  # the two denials, one item
    assert items["context:collapse"]["occurrences"] == 1  # the 81% session of the sample
    assert "gate:readme" not in items  # a passing check is no friction
    listed = json.loads(_ok(run_ao("improve", "list", "--json", cwd=friction)).stdout)
    scores = [item["score"] for item in listed]
    assert scores == sorted(scores, reverse=True) and len(scores) == 3
    # gate 2 x 3 points > guard 2 x 2 points (improve.costs defaults)
    assert items["gate:no-todo"]["score"] == 6.0 and items["guard:rm-root"]["score"] == 4.0
    evidence = items["gate:no-todo"]["evidence"]
    assert all(e["ref"].startswith("audit:") and e["link"] == git(friction, "rev-parse", "HEAD").strip()
               for e in evidence)
    assert items["context:collapse"]["evidence"][0]["link"].startswith(".agents/sessions/")

    before = _files(friction)
    second = json.loads(_ok(run_ao("improve", "scan", "--json", cwd=friction)).stdout)
    assert second["new"] == [] and second["updated"] == [] and second["unchanged"] == 3
    assert _files(friction) == before  # not a byte changed

    _deny(friction, "rm -rf /")  # the same cause once more: the same item grows
    third = json.loads(_ok(run_ao("improve", "scan", "--json", cwd=friction)).stdout)
    assert third["new"] == [] and [i["cause"] for i in third["updated"]] == ["guard:rm-root"]
    assert _items(friction)["guard:rm-root"]["occurrences"] == 3


def test_ids_come_from_the_cause(friction: Path) -> None:
    _ok(run_ao("improve", "scan", cwd=friction))
    assert (friction / ".agents" / "improve" / f"{cause_id('guard:rm-root')}.md").is_file()
    # A fresh checkout of the same signals (index deleted) names the same files.
    names = set(_files(friction))
    for path in (friction / ".agents" / "improve").glob("*.md"):
        path.unlink()
    _ok(run_ao("improve", "scan", cwd=friction))
    assert set(_files(friction)) == names


def test_dry_run_writes_nothing(friction: Path) -> None:
    proc = _ok(run_ao("improve", "scan", "--dry-run", cwd=friction))
    assert "would add 3 item(s)" in proc.stderr
    assert not list((friction / ".agents" / "improve").glob("*.md"))


def test_accept_writes_a_task_with_goal_and_evidence(friction: Path) -> None:
    _ok(run_ao("improve", "scan", cwd=friction))
    item_id = cause_id("gate:no-todo")
    out = json.loads(_ok(run_ao("improve", "accept", item_id[:8], "--json", cwd=friction)).stdout)
    task = friction / out["task"]
    assert out["status"] == "accepted" and task.is_file()
    doc = Store(friction).read_document(task)
    assert doc.meta["item"] == item_id and "no-todo" in doc.meta["goal"]
    assert len(doc.meta["evidence"]) == 2 and "## Goal" in doc.body
    assert _ok(run_ao("improve", "show", item_id, "--goal", cwd=friction)).stdout.strip() == doc.meta["goal"]
    again = _ok(run_ao("improve", "accept", item_id, cwd=friction), 2)
    assert "accepted" in again.stderr and "Traceback" not in again.stderr
    # A later scan keeps the decision.
    _ok(run_ao("improve", "scan", cwd=friction))
    assert _items(friction)["gate:no-todo"]["status"] == "accepted"


def _commit_at(repo: Path, when: int, message: str) -> str:
    (repo / "fix.txt").write_text(message)
    git(repo, "add", "fix.txt")
    env = {**os.environ, "GIT_COMMITTER_DATE": f"@{when} +0000", "GIT_AUTHOR_DATE": f"@{when} +0000"}
    subprocess.run(["git", "commit", "-q", "-m", message], cwd=repo, check=True, env=env)
    return git(repo, "rev-parse", "HEAD").strip()


def test_done_links_the_commit_and_later_scans_measure_the_signal(friction: Path) -> None:
    _ok(run_ao("improve", "scan", cwd=friction))
    guard, gate = cause_id("guard:rm-root"), cause_id("gate:no-todo")
    later = _commit_at(friction, int(time.time()) + 3600, "fix: give agents a cleanup script")
    _ok(run_ao("improve", "done", guard, "--commit", later, cwd=friction))
    shown = _ok(run_ao("improve", "show", guard, cwd=friction)).stdout
    assert "not measured yet" in shown
    report = json.loads(_ok(run_ao("improve", "scan", "--json", cwd=friction)).stdout)
    assert [i["id"] for i in report["gone"]] == [guard]
    assert "signal gone" in _ok(run_ao("improve", "show", guard, cwd=friction)).stdout

    earlier = _commit_at(friction, int(time.time()) - 3600, "fix: try to silence the todo check")
    _ok(run_ao("improve", "done", gate, "--commit", earlier, cwd=friction))
    report = json.loads(_ok(run_ao("improve", "scan", "--json", cwd=friction)).stdout)
    assert [(i["id"], i["after_fix"]) for i in report["recurring"]] == [(gate, 2)]
    assert "2 occurrence(s) since the fix" in _ok(run_ao("improve", "show", gate, cwd=friction)).stdout
    listed = _ok(run_ao("improve", "list", "--status", "done", cwd=friction)).stdout
    assert "done, gone" in listed and "done, back x2" in listed
    bad = _ok(run_ao("improve", "done", gate, "--commit", "no-such-ref", cwd=friction), 2)
    assert "not a commit" in bad.stderr


def test_dismissed_items_stay_dismissed(friction: Path) -> None:
    _ok(run_ao("improve", "scan", cwd=friction))
    collapse = cause_id("context:collapse")
    _ok(run_ao("improve", "dismiss", collapse, "--reason", "sample data", cwd=friction))
    _ok(run_ao("improve", "scan", cwd=friction))
    items = _items(friction)
    assert items["context:collapse"]["status"] == "dismissed"
    assert items["context:collapse"]["dismissed"]["reason"] == "sample data"
    live = json.loads(_ok(run_ao("improve", "list", "--json", cwd=friction)).stdout)
    assert collapse not in [i["id"] for i in live]


def test_harmful_learnings_and_learning_trailers(repo: Path) -> None:
    (repo / ".agents").mkdir()
    added = json.loads(_ok(run_ao("learn", "add", "Retry the payments webhook forever", "--json",
                                  cwd=repo)).stdout)
    _ok(run_ao("feedback", added["id"], "harmful", cwd=repo))
    (repo / "Dockerfile").write_text("FROM python:3.12\n")
    git(repo, "add", "Dockerfile")
    git(repo, "commit", "-q", "-m", "build: pin the image\n\nLearning: pin the base image by digest\n")
    (repo / "other.txt").write_text("x")
    git(repo, "add", "other.txt")
    git(repo, "commit", "-q", "-m", "chore: again\n\nLearning: Pin the base image by digest.\n")
    _ok(run_ao("improve", "scan", cwd=repo))
    items = _items(repo)
    learning = items[f"learning:{added['id']}"]
    assert learning["occurrences"] == 1 and learning["kind"] == "learning"
    trailers = [i for c, i in items.items() if c.startswith("trailer:")]
    assert len(trailers) == 1 and trailers[0]["occurrences"] == 2  # same lesson, two commits
    assert {e["ref"][:7] for e in trailers[0]["evidence"]} == {"commit:"}

    _ok(run_ao("feedback", added["id"], "harmful", cwd=repo))
    report = json.loads(_ok(run_ao("improve", "scan", "--json", cwd=repo)).stdout)
    assert report["new"] == [] and [i["occurrences"] for i in report["updated"]] == [2]


def test_a_trailer_already_recorded_as_a_learning_is_not_an_item(repo: Path) -> None:
    (repo / ".agents").mkdir()
    git(repo, "commit", "-q", "--allow-empty", "-m", "fix: x\n\nLearning: run migrations before seeding\n")
    _ok(run_ao("learn", "add", "Run migrations before seeding", cwd=repo))
    _ok(run_ao("improve", "scan", cwd=repo))
    assert not [c for c in _items(repo) if c.startswith("trailer:")]


def test_add_by_hand_and_bad_input(repo: Path) -> None:
    (repo / ".agents").mkdir()
    out = json.loads(_ok(run_ao("improve", "add", "Cache the npm install in CI", "--json", cwd=repo)).stdout)
    assert out["id"].startswith("imp-")
    dup = _ok(run_ao("improve", "add", "cache the  npm install in CI!", cwd=repo), 2)
    assert out["id"] in dup.stderr
    assert "no improvement item" in _ok(run_ao("improve", "show", "imp-nope", cwd=repo), 2).stderr
    broken = repo / ".agents" / "improve" / "imp-broken.md"
    broken.write_text("---\nid: imp-broken\ncause: x\ntitle: t\nstatus: maybe\n---\nbody\n")
    proc = _ok(run_ao("improve", "list", cwd=repo))
    assert "imp-broken.md:5: 'status' must be one of" in proc.stderr and "Traceback" not in proc.stderr
    assert out["id"] in proc.stdout  # the good item is still listed
    broken.write_text("---\nid: [unclosed\n---\n")
    proc = _ok(run_ao("improve", "scan", cwd=repo))
    assert "imp-broken.md:3: invalid YAML frontmatter" in proc.stderr  # where YAML saw it


def test_item_files_are_redacted(repo: Path) -> None:
    (repo / ".agents").mkdir()
    secret = "ghp_" + "a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8"
    _deny(repo, f"curl -H 'Authorization: token {secret}' https://x.example && rm -rf /")
    _ok(run_ao("improve", "scan", cwd=repo))
    text = "".join(p.read_text() for p in (repo / ".agents" / "improve").glob("*.md"))
    assert "rm-root" in text and secret not in text


def test_backlog_api_ranks_by_score_then_id(friction: Path) -> None:
    from agentops_os.config import load_config

    store = Store(friction)
    backlog.scan(store, load_config(friction))
    ranked = backlog.ranked(list(backlog.load(store).values()))
    assert [(i.score, i.id) for i in ranked] == sorted(((i.score, i.id) for i in ranked),
                                                      key=lambda t: (-t[0], t[1]))


@pytest.mark.parametrize(("toml", "where"), [
    ("[improve]\ntool_error_threshold = \"many\"\n", "agentops.toml:2: 'improve.tool_error_threshold'"),
    ("[improve.costs]\ngate = -1\n", "agentops.toml:2: 'improve.costs.gate' must be a number >= 0"),
    ("[improve]\nevidence_kept = 0\n", "agentops.toml:2: 'improve.evidence_kept'"),
])
def test_bad_settings_are_one_line_naming_file_and_line(repo: Path, toml: str, where: str) -> None:
    (repo / ".agents").mkdir()
    (repo / "agentops.toml").write_text(toml)
    proc = _ok(run_ao("improve", "scan", cwd=repo), 2)
    assert where in proc.stderr and "Traceback" not in proc.stderr and len(proc.stderr.splitlines()) == 1


def test_pointer_trailers_are_no_lesson(repo: Path) -> None:
    (repo / ".agents").mkdir()
    git(repo, "commit", "-q", "--allow-empty", "-m",
        "rpi: x\n\nLearning: see .agents/runs/rpi-1/ for the research, plan and validation\n")
    git(repo, "commit", "-q", "--allow-empty", "-m", "chore: y\n\nLearning: n/a\n")
    _ok(run_ao("improve", "scan", cwd=repo))
    assert not [c for c in _items(repo) if c.startswith("trailer:")]


RPI_SCRIPT = {"model": "claude-sonnet-4-5", "phases": {
    "research": [{"turns": [{"tools": [{"read": "greet.py"}]}], "result": "greet.py returns no '!'."}],
    "plan": [{"result": "## Steps\n1. Make greet end with \"!\".\n## Files in scope\n- greet.py\n"
                        "## Tests to add\n- none\n## Checklist\n- [ ] tests pass\n"}],
    "implement": [{"turns": [{"tools": [{"edit": "greet.py", "old": 'return f"Hello, {name}"',
                                         "new": 'return f"Hello, {name}!"'}]}], "result": "Added the '!'."}],
}}


def test_the_loop_from_a_failing_gate_to_an_rpi_fix_to_a_gone_signal(repo: Path, tmp_path: Path) -> None:
    """Friction -> item -> accepted task -> `ao rpi` run on its goal (scripted runtime) ->
    done with the run's commit -> the next scan measures the signal as gone."""
    (repo / "greet.py").write_text('def greet(name):\n    return f"Hello, {name}"\n')
    (repo / "test_greet.py").write_text(
        'from greet import greet\n\n\ndef test_greet():\n    assert greet("Ada") == "Hello, Ada!"\n')
    _ok(run_ao("init", cwd=repo))
    config = repo / "agentops.toml"
    config.write_text(config.read_text().replace("[gates.sets]\n", '[gates.sets]\nci = ["tests"]\n', 1)
                      + '\n[gates.checks.tests]\ncommand = "python -m pytest -q -p no:cacheprovider"\n'
                        'files = ["*.py"]\n')
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "--no-verify", "-m", "set up ao")
    _ok(run_ao("gate", "run", "ci", cwd=repo), 1)
    _ok(run_ao("gate", "run", "ci", "--no-cache", cwd=repo), 1)
    _ok(run_ao("improve", "scan", cwd=repo))
    item = cause_id("gate:tests")
    _ok(run_ao("improve", "accept", item, cwd=repo))
    goal = _ok(run_ao("improve", "show", item, "--goal", cwd=repo)).stdout.strip()
    script = tmp_path / "script.json"
    script.write_text(json.dumps(RPI_SCRIPT))
    run = _ok(run_ao("rpi", goal, "--runtime", "scripted", "--approve", "auto", "--script", str(script),
                     "--json", cwd=repo))
    state = json.loads(run.stdout)
    branch = next(b.strip(" *") for b in git(repo, "branch", "--list", "ao/rpi-*").splitlines())
    assert state["goal"] == goal and state["status"] == "done"
    assert "Hello, {name}!" in git(repo, "show", f"{branch}:greet.py")
    _ok(run_ao("improve", "done", item, "--commit", branch, cwd=repo))
    report = json.loads(_ok(run_ao("improve", "scan", "--json", cwd=repo)).stdout)
    assert [i["id"] for i in report["gone"]] == [item]
    assert "signal gone" in _ok(run_ao("improve", "show", item, cwd=repo)).stdout
