"""`ao swarm gc`: remove worktrees whose owner died, kill what they left running.

Every task writes `.agents/.index/worktrees/<swarm>-<task>.lock` (owner pid, agent process
group) before it creates its worktree and removes it after the worktree is gone, so a
lock naming a dead pid marks an orphan — left by a crash, `kill -9`, or a reboot. The
orphan's uncommitted work is committed to its branch first; branches with commits are
kept, empty ones deleted.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, field
from pathlib import Path

import orjson

from agentops_os import git
from agentops_os.errors import FatalError
from agentops_os.workflows import runs, strays, worktree


@dataclass
class Collected:
    removed: list[str] = field(default_factory=list)
    killed: list[int] = field(default_factory=list)
    kept_branches: list[str] = field(default_factory=list)
    deleted_branches: list[str] = field(default_factory=list)
    alive: list[str] = field(default_factory=list)


def collect(root: Path, *, swarm: str = "", dry_run: bool = False) -> Collected:
    from agentops_os.procs import group_alive, kill_group

    out = Collected()
    base = worktree.base_dir(root)
    if not base.is_dir():
        return out
    for lock in sorted(base.glob("*.lock")):
        if lock.name == ".lock" or (swarm and not lock.name.startswith(swarm + "-")):
            continue
        try:
            owner = orjson.loads(lock.read_bytes())
        except (OSError, orjson.JSONDecodeError):
            owner = {}
        name = lock.name.removesuffix(".lock")
        if runs.pid_alive(int(owner.get("pid") or 0)):
            out.alive.append(name)
            continue
        pgid = int(owner.get("pgid") or 0)
        if dry_run:
            out.removed.append(name)
            continue
        if pgid and group_alive(pgid):
            kill_group(pgid)
            out.killed.append(pgid)
        if owner.get("swarm") and owner.get("task"):  # what the agent started outside its group
            strays.stop({"AO_RUN_ID": str(owner["swarm"]), "AO_SWARM_TASK": str(owner["task"])})
        tree = Path(str(owner.get("tree") or base / name))
        branch = _branch_of(owner, name)
        if tree.exists():
            _save_work(tree, name)
            worktree.remove(root, tree)
        out.removed.append(name)
        if branch:
            _settle_branch(root, branch, owner, out)
        lock.unlink(missing_ok=True)
    _idle_slots(root, base, swarm, dry_run, out)
    return out


def _idle_slots(root: Path, base: Path, swarm: str, dry_run: bool, out: Collected) -> None:
    """Parked worktrees a swarm reuses between tasks, left when its coordinator died."""
    for tree in sorted(base.glob("swarm-*-slot*")):
        owner = tree.name.rsplit("-slot", 1)[0]
        if swarm and owner != swarm or not tree.is_dir():
            continue
        try:
            coordinator = int(runs.RunDir.open(root, owner).read_lock().get("runner_pid") or 0)
        except FatalError:
            coordinator = 0
        if runs.pid_alive(coordinator):
            out.alive.append(tree.name)
            continue
        out.removed.append(tree.name)
        if not dry_run:
            worktree.remove(root, tree)


def _branch_of(owner: dict[str, object], name: str) -> str:
    swarm, task = owner.get("swarm"), owner.get("task")
    return f"ao/{swarm}-{task}" if swarm and task else f"ao/{name}"


def _save_work(tree: Path, name: str) -> None:
    with contextlib.suppress(FatalError):
        worktree.commit_all(
            tree,
            f"swarm {name}: work left by a task that died\n\n"
            "Context: its coordinator or worker died mid-task\n"
            "Solution: none; committed by ao swarm gc so nothing is lost\n"
            "Learning: see the swarm's report\nImpact: none until merged\n",
        )


def _settle_branch(root: Path, branch: str, owner: dict[str, object], out: Collected) -> None:
    if not git.run(["rev-parse", "--verify", "--quiet", f"refs/heads/{branch}"], root, check=False).strip():
        return
    swarm = str(owner.get("swarm") or "")
    base = ""
    if swarm:
        try:
            base = runs.RunDir.open(root, swarm).load()["settings"]["base_commit"]
        except (FatalError, KeyError):
            base = ""
    ahead = git.run(["rev-list", "--count", f"{base}..{branch}"], root, check=False).strip() if base else "1"
    if ahead and ahead != "0":
        out.kept_branches.append(branch)
    else:
        git.run(["branch", "-D", branch], root, check=False)
        out.deleted_branches.append(branch)
