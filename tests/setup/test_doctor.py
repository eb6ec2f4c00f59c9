"""`ao doctor`: one check per concern, a fix for each problem, exit 1 if any."""

from __future__ import annotations

import json
import os
from pathlib import Path

from conftest import git, run_ao


def _problems(proc) -> dict[str, str]:  # type: ignore[no-untyped-def]
    data = json.loads(proc.stdout)
    return {c["name"]: c["fix"] for c in data["checks"] if not c["ok"]}


def test_healthy_after_init(repo: Path) -> None:
    assert run_ao("init").returncode == 0
    proc = run_ao("doctor", "--json")
    assert proc.returncode == 0, proc.stdout
    assert _problems(proc) == {}
    text = run_ao("doctor")
    assert "all checks passed" in text.stderr


def test_uninitialised_repo_lists_problems_with_fixes(repo: Path) -> None:
    proc = run_ao("doctor", "--json")
    assert proc.returncode == 1
    problems = _problems(proc)
    assert problems["git hook commit-msg"].startswith("run `ao init`")
    assert problems["claude settings"] == "run `ao init`"
    assert "scaffold" in problems and "gitignore" in problems
    plain = run_ao("doctor")
    assert "fix (git hook commit-msg): run `ao init`" in plain.stderr
    assert plain.stderr.strip().endswith("problem(s) found")


def test_broken_pieces_are_each_reported(repo: Path) -> None:
    run_ao("init")
    hooks = repo / ".git" / "hooks"
    hook = hooks / "commit-msg"
    hook.write_text(hook.read_text().replace("LOCAL_HOOK=''", "LOCAL_HOOK='commit-msg.local'"))
    (hooks / "prepare-commit-msg").chmod(0o644)
    settings = repo / ".claude" / "settings.json"
    data = json.loads(settings.read_text())
    data["hooks"]["Stop"][0]["hooks"][0]["command"] = "/nowhere/ao hook stop"
    settings.write_text(json.dumps(data))
    (repo / "agentops.toml").write_text("[context]\nbudget_fraction = 1.5\n")
    problems = _problems(run_ao("doctor", "--json"))
    assert "commit-msg.local" in problems["git hook commit-msg"]
    assert problems["git hook prepare-commit-msg"].startswith("chmod +x")
    assert "claude hook command" in problems
    assert "budget_fraction" in problems["config"]


def test_corrupt_index_and_malformed_config(repo: Path) -> None:
    run_ao("init")
    assert run_ao("reindex").returncode == 0
    index = repo / ".agents" / ".index" / "index.sqlite3"
    for suffix in ("-wal", "-shm"):
        Path(str(index) + suffix).unlink(missing_ok=True)
    index.write_bytes(b"garbage" * 1000)
    (repo / "agentops.toml").write_text("[context\n")
    problems = _problems(run_ao("doctor", "--json"))
    assert problems["index"] == "run `ao reindex`"
    assert "agentops.toml" in problems["config"]


def test_hooks_resolve_ao_from_path_when_recorded_path_is_gone(repo: Path) -> None:
    git(repo, "config", "core.hooksPath", ".githooks")
    run_ao("init")
    hook = repo / ".githooks" / "commit-msg"
    text = hook.read_text()
    recorded = text.split("AO_BIN='")[1].split("'")[0]
    hook.write_text(text.replace(recorded, "/gone/ao"))
    assert run_ao("doctor").returncode == 0  # `ao` is on PATH in tests
    proc = run_ao("doctor", "--json", env={**os.environ, "PATH": "/usr/bin:/bin"})
    assert "git hook commit-msg" in _problems(proc)
