"""Where swarm tasks come from besides a YAML file: an approved `ao rpi` plan, or beads.

beads (`bd`): `bd ready --json` lists the issues with no open blockers (an array of
objects with `id`, `title`, `description`, `priority`, `issue_type`); a task claims its
issue with `bd update ID --claim` when it starts and closes it with `bd close ID --reason`
when it passes. The npm package `@beads/bd` downloads its binary from GitHub at install
time, which this project's machines cannot do, so the tests drive these calls against a
stand-in that answers with the documented shapes.
"""

from __future__ import annotations

import json
import re
import shlex
import subprocess
from pathlib import Path
from typing import Any

from agentops_os.errors import FatalError
from agentops_os.workflows import runs
from agentops_os.workflows.swarm.tasks import Task, check

_STEP = re.compile(r"^\s*(\d+)[.)]\s+(.+)$")
_SCOPE = re.compile(r"^\s*[-*]\s+`?([^`\s]+)`?")


def from_plan(root: Path, ident: str) -> list[Task]:
    """One task per step of an rpi run's approved plan, each after the one before."""
    from agentops_os.approvals.core import check as approved

    run = runs.find(root, ident, "rpi")
    plan_path = run.path / "plan.md"
    if not plan_path.is_file():
        raise FatalError(f"run {run.id} has no plan yet (`ao rpi status {run.id}`)")
    ok, message = approved(root, "plan", str(plan_path))
    if not ok:
        raise FatalError(f"the plan of run {run.id} is not approved: {message}")
    text = plan_path.read_text(encoding="utf-8")
    sections = _sections(text)
    steps = [
        m.group(2).strip() for line in sections.get("steps", "").splitlines() if (m := _STEP.match(line))
    ]
    if not steps:
        raise FatalError(f"{plan_path}: no numbered steps under '## Steps'")
    scope = tuple(
        m.group(1) for line in sections.get("files in scope", "").splitlines() if (m := _SCOPE.match(line))
    )
    goal = run.load()["goal"]
    tasks = [
        Task(
            f"step-{i}",
            f"Goal: {goal}\n\nDo step {i} of the approved plan: {step}\n\n"
            f"The whole plan, for context:\n\n{text}",
            scope=scope,
            depends_on=(f"step-{i - 1}",) if i > 1 else (),
            source={"plan": run.id},
        )
        for i, step in enumerate(steps, 1)
    ]
    check(tasks, plan_path)
    return tasks


def _sections(text: str) -> dict[str, str]:
    out: dict[str, str] = {}
    current = ""
    for line in text.splitlines():
        heading = re.match(r"^#+\s*(.+?)\s*$", line)
        if heading:
            current = heading.group(1).lower()
            out[current] = ""
        elif current:
            out[current] += line + "\n"
    return out


def _bd(command: str, args: list[str], root: Path) -> str:
    argv = [*shlex.split(command), *args]
    try:
        proc = subprocess.run(argv, cwd=root, capture_output=True, text=True, timeout=60)
    except FileNotFoundError:
        raise FatalError(
            f"{argv[0]} not found: install beads (https://github.com/steveyegge/beads) "
            "or set swarm.beads_command"
        ) from None
    except subprocess.TimeoutExpired:
        raise FatalError(f"`{' '.join(argv)}` did not answer within 60 s") from None
    if proc.returncode != 0:
        last = (proc.stderr.strip() or proc.stdout.strip()).splitlines()[-1:] or [""]
        raise FatalError(f"`{' '.join(argv)}` exited {proc.returncode}: {last[0][:200]}")
    return proc.stdout


def from_beads(root: Path, command: str = "bd") -> list[Task]:
    out = _bd(command, ["ready", "--json"], root)
    try:
        issues: Any = json.loads(out or "[]")
    except ValueError as exc:
        raise FatalError(f"`{command} ready --json`: not JSON ({exc})") from None
    if isinstance(issues, dict):  # some versions wrap the list
        issues = issues.get("issues") or issues.get("ready") or []
    if not isinstance(issues, list):
        raise FatalError(f"`{command} ready --json`: expected a list of issues")
    tasks = []
    for issue in sorted(
        (i for i in issues if isinstance(i, dict) and i.get("id")),
        key=lambda i: (int(i.get("priority") or 9), str(i["id"])),
    ):
        ident = re.sub(r"[^a-z0-9_-]+", "-", str(issue["id"]).lower()).strip("-")[:40] or "bead"
        prompt = str(issue.get("title") or "").strip()
        if issue.get("description"):
            prompt += "\n\n" + str(issue["description"]).strip()
        tasks.append(Task(ident, prompt or f"beads issue {issue['id']}", source={"beads": str(issue["id"])}))
    if not tasks:
        raise FatalError(f"`{command} ready` lists no ready issues: nothing to run")
    check(tasks, f"{command} ready")
    return tasks


def claim(root: Path, command: str, issue: str) -> None:
    _bd(command, ["update", issue, "--claim", "--json"], root)


def close(root: Path, command: str, issue: str, reason: str) -> None:
    _bd(command, ["close", issue, "--reason", reason, "--json"], root)
