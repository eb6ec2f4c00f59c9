"""What an RPI run is on disk and in words: its phases and statuses, its settings, the
documents and commit messages it writes, and the clean-up of its worktree."""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from agentops_os.errors import FatalError
from agentops_os.workflows import runs, worktree

PHASES = ("research", "plan", "approve", "implement", "validate", "learn", "handoff")
RUNNING, WAITING, DONE, FAILED, CANCELLED, STOPPED = (
    "running", "awaiting-approval", "done", "failed", "cancelled", "budget")
FINAL = (DONE,)
PREFIX = "rpi"

Reporter = Callable[[str], None]
Asker = Callable[[str, str], bool]  # (plan path, plan text) -> approved?


@dataclass
class Settings:
    runtime: str
    approve: str = "ask"
    max_cost_usd: float = 0.0
    context_limit: float = 0.40
    script: str = ""
    model: str = ""
    timeout: float = 0.0

    def check(self) -> None:
        if self.approve not in ("auto", "ask"):
            raise FatalError(f"--approve {self.approve!r}: expected auto or ask")
        if self.max_cost_usd < 0:
            raise FatalError(f"--max-cost {self.max_cost_usd:g}: must be 0 (no limit) or more")
        if not 0 <= self.context_limit <= 1:
            raise FatalError(f"--budget {self.context_limit * 100:g}%: must be between 0 and 100")


def cleanup_worktree(root: Path, run: runs.RunDir, state: dict[str, Any]) -> None:
    path = state["repo"].get("worktree") or ""
    if not path:
        return
    tree = Path(path)
    if tree.exists():
        try:
            worktree.commit_all(tree, commit_message(
                state, "work in progress, kept when the run stopped",
                "stopped before validation; resume continues from here"))
        except FatalError as exc:
            # Removing it now would throw the agent's uncommitted work away.
            run.event("worktree.kept", path=path, reason=str(exc))
            return
        worktree.remove(root, tree)
    state["repo"]["worktree"] = ""
    run.save(state)


def document(title: str, state: dict[str, Any], text: str, **meta: Any) -> str:
    from agentops_os.store import documents

    return documents.dumps({"kind": f"rpi.{title.lower()}", "run": state["id"], "goal": state["goal"],
                            "created": runs.now(), **meta}, text.strip() + "\n")


_PATH = re.compile(r"(?<![\w/.-])((?:[\w.-]+/)*[\w-]+\.[A-Za-z0-9]{1,8})(?::\d+)?")


def cited_files(root: Path, text: str) -> list[str]:
    """The repository files a research note mentions (so a reader can check its claims)."""
    found: list[str] = []
    for match in _PATH.finditer(text):
        rel = match.group(1).lstrip("./")
        if rel not in found and (root / rel).is_file():
            found.append(rel)
    return found[:50]


def commit_message(state: dict[str, Any], summary: str, impact: str) -> str:
    """A message that satisfies the commit law (Context/Solution/Learning/Impact)."""
    lines = [line.strip() for line in summary.strip().splitlines() if line.strip()]
    learned = next((line for line in lines if re.match(r"^[-*]?\s*(?:learn|lesson|note)", line, re.I)), "")
    solution = " ".join(line for line in lines if line != learned)[:400] or "changes made by the agent"
    learning = re.sub(r"^[-*]?\s*(?:learn\w*|lesson\w*|note\w*)\s*:?\s*", "", learned, flags=re.I) \
        or f"see .agents/runs/{state['id']}/ for the research, plan and validation"
    return (f"rpi: {state['goal'].splitlines()[0][:60]}\n\n"
            f"Context: {state['goal'][:400]} (ao rpi run {state['id']})\n"
            f"Solution: {solution}\nLearning: {learning[:300]}\nImpact: {impact[:200]}\n")


def user_name() -> str:
    return os.environ.get("USER") or os.environ.get("LOGNAME") or "user"
