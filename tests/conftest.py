"""Hermetic test fixtures: HOME, git identity and agent dirs all point into tmp_path."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def hermetic_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / ".cache"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(home / ".gitconfig"))
    for name, value in {
        "GIT_AUTHOR_NAME": "Test Dev", "GIT_AUTHOR_EMAIL": "test@example.com",
        "GIT_COMMITTER_NAME": "Test Dev", "GIT_COMMITTER_EMAIL": "test@example.com",
    }.items():
        monkeypatch.setenv(name, value)
    for name in ("CLAUDE_CONFIG_DIR", "CODEX_HOME", "NO_COLOR", "AO_DEBUG"):
        monkeypatch.delenv(name, raising=False)
    # The `ao` console script of this environment must win inside hooks and subprocesses.
    monkeypatch.setenv("PATH", str(Path(sys.executable).parent) + os.pathsep + os.environ["PATH"])
    return home


def git(repo: Path, *args: str, check: bool = True) -> str:
    proc = subprocess.run(["git", *args], cwd=repo, capture_output=True, text=True)
    if check and proc.returncode != 0:
        raise AssertionError(f"git {' '.join(args)} failed: {proc.stderr}")
    return proc.stdout


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """An empty git repository with one commit, as the current directory."""
    path = tmp_path / "repo"
    path.mkdir()
    git(path, "init", "-q", "-b", "main")
    (path / "README.md").write_text("# test repo\n")
    git(path, "add", "-A")
    git(path, "commit", "-q", "-m", "initial")
    old = os.getcwd()
    os.chdir(path)
    yield path
    os.chdir(old)


def run_ao(*args: str, cwd: Path | None = None, input: str | None = None,
           env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """Run the real `ao` entry point in a subprocess (what users and hooks run)."""
    return subprocess.run([sys.executable, "-m", "agentops_os", *args], cwd=cwd, input=input,
                          capture_output=True, text=True, env=env)


@pytest.fixture
def ao():
    return run_ao


@pytest.fixture
def bash(repo: Path, hermetic_env: Path):  # type: ignore[no-untyped-def]
    """(decision, rule) the guard gives one Bash command line, under the repository's
    own policy with HOME in a temp dir (the guard's class tests share it)."""
    from agentops_os.config import load_config
    from agentops_os.guard.judge import Judge
    from agentops_os.guard.policy import Policy

    judge = Judge(Policy.from_config(load_config(repo)), repo, home=str(hermetic_env))

    def judged(command: str) -> tuple[str, str]:
        found = judge.tool("Bash", {"command": command})
        return found.decision, found.rule

    return judged
