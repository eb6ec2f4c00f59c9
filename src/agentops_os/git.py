"""All git access goes through here, so its quirks are handled in one place."""

from __future__ import annotations

import os
from pathlib import Path

from agentops_os.errors import FatalError

TYPE_CHECKING = False  # not `from typing import ...`: typing costs ~4 ms per hook call
if TYPE_CHECKING:  # this module is on the hook path: keep its imports to the bare minimum
    from collections.abc import Iterator


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


def comment_string(cwd: Path | str) -> str:
    """What starts a comment line in commit messages here: `core.commentString` (git
    2.45+), else `core.commentChar`, else "#". May be "auto" (see commits.message)."""
    for key in ("core.commentString", "core.commentChar"):
        try:
            value = run(["config", "--get", key], cwd, check=False).rstrip("\n")
        except GitError:  # no git at all: `ao commit check -` still works on stdin
            return "#"
        if value:
            return value
    return "#"


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


def stream(args: list[str], cwd: Path | str, *, input: bytes | None = None,
           chunk: int = 1 << 20) -> Iterator[bytes]:
    """Yield raw stdout chunks of a long git command (e.g. a log of a million commits).

    Raises GitError naming git's last stderr line if it exits non-zero; the caller decides
    what to keep of what was read so far.
    """
    import subprocess

    env = dict(os.environ)
    env.setdefault("GIT_PAGER", "cat")
    env["GIT_TERMINAL_PROMPT"] = "0"
    # Into a pipe, git log flushes after every commit: one write, and one wake-up of this
    # reader, per commit. On a million commits that cost more CPU than parsing them.
    env["GIT_FLUSH"] = "0"
    try:
        proc = subprocess.Popen(["git", *args], cwd=str(cwd), stdin=subprocess.PIPE,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    except FileNotFoundError as exc:
        raise GitError("git is not installed or not on PATH") from exc
    assert proc.stdin is not None and proc.stdout is not None and proc.stderr is not None
    # Feed stdin from a thread: a large --stdin list must not deadlock against stdout.
    import threading

    def feed() -> None:
        try:
            if input:
                proc.stdin.write(input)  # type: ignore[union-attr]
        except BrokenPipeError:
            pass
        finally:
            proc.stdin.close()  # type: ignore[union-attr]

    feeder = threading.Thread(target=feed, daemon=True)
    feeder.start()
    _grow_pipe(proc.stdout.fileno())
    try:
        while True:
            # read1: whatever is there now (read() would wait for a full chunk and leave
            # git blocked on a full pipe while we parse: the two would take turns).
            data = proc.stdout.read1(chunk)  # type: ignore[attr-defined]  # a BufferedReader
            if not data:
                break
            yield data
    finally:
        if proc.poll() is None and proc.stdout.closed is False:
            proc.stdout.close()
        code = proc.wait()
        feeder.join()
        err = proc.stderr.read().decode("utf-8", "replace").strip().splitlines()
        proc.stderr.close()
    if code != 0:
        raise GitError(f"git {' '.join(args[:2])} failed: {err[-1] if err else code}")


def _grow_pipe(fd: int, size: int = 1 << 20) -> None:
    """Let git run up to `size` bytes ahead of the reader (Linux; a no-op elsewhere)."""
    import fcntl

    setter = getattr(fcntl, "F_SETPIPE_SZ", None)
    if setter is None:
        return
    # Above /proc/sys/fs/pipe-max-size for unprivileged users: keep the default size.
    import contextlib

    with contextlib.suppress(OSError):
        fcntl.fcntl(fd, setter, size)


def is_shallow(root: Path) -> bool:
    return run(["rev-parse", "--is-shallow-repository"], root, check=False).strip() == "true"


def ref_tips(root: Path) -> list[str]:
    """Object names of every ref plus HEAD: the roots of `git log --all`."""
    out = run(["for-each-ref", "--format=%(objectname)"], root, check=False).split()
    head = head_sha(root)
    if head:
        out.append(head)
    return sorted(set(out))


def tips_and_shallow(root: Path) -> tuple[list[str], bool]:
    """`ref_tips` and `is_shallow` in two git calls instead of three (search runs this
    before every query)."""
    refs = run(["for-each-ref", "--format=%(objectname)"], root, check=False).split()
    lines = run(["rev-parse", "--is-shallow-repository", "HEAD"], root, check=False).split()
    shallow = bool(lines) and lines[0] == "true"
    if len(lines) > 1 and len(lines[1]) >= 40 and lines[1] != "HEAD":
        refs.append(lines[1])
    return sorted(set(refs)), shallow


def existing_objects(root: Path, shas: list[str]) -> list[str]:
    """The subset of `shas` still present in the object database (one cat-file call)."""
    if not shas:
        return []
    out = run(["cat-file", "--batch-check"], root, check=False, input="\n".join(shas) + "\n")
    return [line.split()[0] for line in out.splitlines() if line and not line.endswith("missing")]
