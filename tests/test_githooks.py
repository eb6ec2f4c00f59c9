"""Git hook chaining: several `ao` commands per hook, user hooks kept and still run."""

from __future__ import annotations

import os
import stat
import subprocess
from pathlib import Path

import pytest

from agentops_os.errors import FatalError
from agentops_os.githooks import install_git_hook, managed_hooks
from conftest import git


def _write_hook(path: Path, body: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("#!/bin/sh\n" + body)
    path.chmod(path.stat().st_mode | stat.S_IXUSR)


def test_install_is_idempotent_and_holds_several_commands(repo: Path) -> None:
    assert install_git_hook(repo, "pre-commit", "ao gate run quick --changed")
    hook = repo / ".git" / "hooks" / "pre-commit"
    first = hook.read_bytes()
    assert os.access(hook, os.X_OK)
    assert install_git_hook(repo, "pre-commit", "ao gate run quick --changed") == ""
    assert hook.read_bytes() == first
    assert install_git_hook(repo, "pre-push", "ao gate run ci")
    assert install_git_hook(repo, "pre-commit", "ao commit check-staged")
    assert managed_hooks(repo) == {
        "pre-commit": ["ao gate run quick --changed", "ao commit check-staged"],
        "pre-push": ["ao gate run ci"],
    }


def test_dry_run_changes_nothing(repo: Path) -> None:
    what = install_git_hook(repo, "pre-commit", "ao --version", dry_run=True)
    assert "pre-commit" in what
    assert not (repo / ".git" / "hooks" / "pre-commit").exists()


def test_existing_hook_is_chained_runs_first_and_can_fail(repo: Path, tmp_path: Path) -> None:
    marker = tmp_path / "ran.txt"
    user_hook = repo / ".git" / "hooks" / "pre-commit"
    _write_hook(user_hook, f'echo user-hook >> "{marker}"\nexit "${{FAIL:-0}}"\n')
    what = install_git_hook(repo, "pre-commit", "ao --version")
    assert "pre-commit.local" in what
    assert (repo / ".git" / "hooks" / "pre-commit.local").read_text().count("user-hook") == 1
    (repo / "a.txt").write_text("a\n")
    git(repo, "add", "a.txt")
    git(repo, "commit", "-q", "-m", "with chained hook")
    assert marker.read_text() == "user-hook\n"
    (repo / "b.txt").write_text("b\n")
    git(repo, "add", "b.txt")
    proc = subprocess.run(["git", "commit", "-q", "-m", "blocked"], cwd=repo, capture_output=True,
                          text=True, env={**os.environ, "FAIL": "3"})
    assert proc.returncode != 0
    assert marker.read_text() == "user-hook\nuser-hook\n"
    # Installing another command keeps the chain.
    install_git_hook(repo, "pre-commit", "ao config show")
    assert "LOCAL_HOOK='pre-commit.local'" in user_hook.read_text()


def test_failing_ao_command_stops_git(repo: Path) -> None:
    install_git_hook(repo, "pre-commit", "ao no-such-command")
    (repo / "c.txt").write_text("c\n")
    git(repo, "add", "c.txt")
    proc = subprocess.run(["git", "commit", "-q", "-m", "x"], cwd=repo, capture_output=True, text=True)
    assert proc.returncode != 0
    assert "no-such-command" in proc.stderr


def test_core_hooks_path_is_respected(repo: Path) -> None:
    git(repo, "config", "core.hooksPath", ".githooks")
    install_git_hook(repo, "commit-msg", 'ao commit check "$1"')
    assert (repo / ".githooks" / "commit-msg").exists()
    assert not (repo / ".git" / "hooks" / "commit-msg").exists()
    assert managed_hooks(repo) == {"commit-msg": ['ao commit check "$1"']}


def test_stdin_hooks_give_every_command_the_full_input(repo: Path, tmp_path: Path) -> None:
    out = tmp_path / "seen.txt"
    user = repo / ".git" / "hooks" / "pre-push"
    _write_hook(user, f'cat >> "{out}"\n')
    install_git_hook(repo, "pre-push", f'cat >> "{out}"')
    hook = repo / ".git" / "hooks" / "pre-push"
    proc = subprocess.run([str(hook), "origin", "url"], input="refs line\n", text=True, cwd=repo)
    assert proc.returncode == 0
    assert out.read_text() == "refs line\nrefs line\n"


def test_missing_ao_fails_with_a_message(repo: Path, tmp_path: Path) -> None:
    install_git_hook(repo, "pre-commit", "ao --version")
    hook = repo / ".git" / "hooks" / "pre-commit"
    text = hook.read_text()
    hook.write_text(text.replace(text.split("AO_BIN='")[1].split("'")[0], "/nonexistent/ao"))
    proc = subprocess.run([str(hook)], cwd=repo, capture_output=True, text=True,
                          env={**os.environ, "PATH": "/usr/bin:/bin"})
    assert proc.returncode == 1
    assert "'ao' not found" in proc.stderr


def test_multi_line_commands_are_refused(repo: Path) -> None:
    with pytest.raises(FatalError):
        install_git_hook(repo, "pre-commit", "ao a\nrm -rf /")
    assert managed_hooks(repo) == {}
