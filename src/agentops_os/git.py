"""All git access goes through here, so its quirks are handled in one place."""

from __future__ import annotations

import os
from pathlib import Path

from agentops_os.errors import FatalError


class GitError(FatalError):
    pass


def run(args: list[str], cwd: Path | str, *, check: bool = True, input: str | None = None) -> str:
    import subprocess  # lazily: the hook path reads HEAD without spawning git

    env = dict(os.environ)
    # A user's pager or colour settings must never leak into parsed output.
    env.setdefault("GIT_PAGER", "cat")
    env["GIT_TERMINAL_PROMPT"] = "0"
    try:
        proc = subprocess.run(
            ["git", *args],
            cwd=str(cwd),
            input=input,
            capture_output=True,
            text=True,
            env=env,
        )
    except FileNotFoundError as exc:
        raise GitError("git is not installed or not on PATH") from exc
    if check and proc.returncode != 0:
        msg = proc.stderr.strip().splitlines()
        raise GitError(f"git {' '.join(args[:2])} failed: {msg[-1] if msg else proc.returncode}")
    return proc.stdout


def is_repo(path: Path) -> bool:
    try:
        return run(["rev-parse", "--is-inside-work-tree"], path).strip() == "true"
    except GitError:
        return False


def git_dir(root: Path) -> Path:
    out = run(["rev-parse", "--git-common-dir"], root).strip()
    path = Path(out)
    return path if path.is_absolute() else (root / path).resolve()


def hooks_dir(root: Path) -> Path:
    """The directory git runs hooks from: `core.hooksPath` when set (relative to root)."""
    configured = run(["config", "--get", "core.hooksPath"], root, check=False).strip()
    if configured:
        path = Path(os.path.expanduser(configured))
        return path if path.is_absolute() else (root / path)
    return git_dir(root) / "hooks"


def current_branch(root: Path) -> str | None:
    out = run(["rev-parse", "--abbrev-ref", "HEAD"], root, check=False).strip()
    return out if out and out != "HEAD" else None


def head_sha(root: Path) -> str | None:
    out = run(["rev-parse", "--verify", "-q", "HEAD"], root, check=False).strip()
    return out or None


def branch_from_head_file(root: Path) -> str | None:
    """The current branch read from `.git/HEAD` without spawning git (hook path).

    Handles worktrees, where `.git` is a file `gitdir: <path>`. None when detached or
    unreadable; callers that can afford a subprocess use `current_branch`.
    """
    dot_git = root / ".git"
    try:
        if dot_git.is_file():
            pointer = dot_git.read_text(encoding="utf-8").strip()
            if not pointer.startswith("gitdir:"):
                return None
            gitdir = Path(pointer[len("gitdir:"):].strip())
            dot_git = gitdir if gitdir.is_absolute() else (root / gitdir)
        head = (dot_git / "HEAD").read_text(encoding="utf-8").strip()
    except OSError:
        return None
    prefix = "ref: refs/heads/"
    return head[len(prefix):] if head.startswith(prefix) else None


def commit_exists(root: Path, sha: str) -> bool:
    try:
        run(["cat-file", "-e", f"{sha}^{{commit}}"], root)
    except GitError:
        return False
    return True


def commit_times(root: Path, ref: str) -> list[tuple[int, str]]:
    """(committer unix time, sha) of every commit reachable from `ref`, oldest first;
    empty when the ref does not exist (a deleted branch is not an error here)."""
    if not run(["rev-parse", "--verify", "-q", ref + "^{commit}"], root, check=False).strip():
        return []
    out = run(["log", "--format=%ct %H", ref, "--"], root, check=False)
    pairs = []
    for line in out.splitlines():
        stamp, _, sha = line.partition(" ")
        if stamp.isdigit() and sha:
            pairs.append((int(stamp), sha))
    pairs.sort()
    return pairs
