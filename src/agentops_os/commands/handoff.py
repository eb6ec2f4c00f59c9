"""`ao handoff save|list|show`: hand work to the next session before context is lost."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from agentops_os import render
from agentops_os.errors import FatalError


@click.group("handoff")
def cli() -> None:
    """Write and read handoffs (.agents/handoffs/)."""


@cli.command("save")
@click.option("--session", help="Claude Code session id (default: newest session of this repo).")
@click.option("--transcript", type=click.Path(path_type=Path, dir_okay=False),
              help="Read this transcript (Claude Code or Codex) instead of locating one.")
@click.option("--goal", help="State the goal yourself (the transcript's last ask is kept too).")
@click.option("--json", "as_json", is_flag=True, help="Print the handoff as JSON.")
def save(session: str | None, transcript: Path | None, goal: str | None, as_json: bool) -> None:
    """Write a handoff: goal, state, done, next steps, questions, decisions, files."""
    from agentops_os.context import handoff as core
    from agentops_os.context.live import find_transcript
    from agentops_os.repo import require_root

    root = require_root()
    path = transcript or find_transcript(root, session)
    if session and path is None:
        raise FatalError(f"no Claude Code transcript found for session {session} under "
                         "~/.claude/projects (or CLAUDE_CONFIG_DIR); pass --transcript PATH")
    if path is not None and not path.is_file():
        raise FatalError(f"{path}: no such transcript file")
    if path is None:
        render.info("no transcript found for this repository: the handoff has git facts only")
    handoff = core.build(root, path, session_id=session, goal=goal)
    written = core.save(root, handoff)
    rel = written.relative_to(root)
    if as_json:
        render.emit_json({"path": str(rel), **handoff.meta(), "body": handoff.body()})
    else:
        sys.stdout.write(f"wrote {rel}\n")


@cli.command("list")
@click.option("--branch", help="Only this branch.")
@click.option("--json", "as_json", is_flag=True, help="Print as JSON.")
def list_(branch: str | None, as_json: bool) -> None:
    """Handoffs, newest first."""
    from agentops_os.context.handoff import list_handoffs
    from agentops_os.repo import require_root

    root = require_root()
    errors: list[str] = []
    docs = list_handoffs(root, branch, errors)
    rows = [{"name": d.path.name, "created": d.get("created"), "branch": d.get("branch"),
             "trigger": d.get("trigger"), "title": d.get("title")} for d in docs]
    if as_json:
        render.emit_json({"handoffs": rows, "errors": errors})
    else:
        render.table(["name", "created", "branch", "trigger", "title"],
                     [tuple(r.values()) for r in rows])
    for error in errors:
        render.info(f"skipped: {error}")


@cli.command("show")
@click.argument("name", required=False)
@click.option("--json", "as_json", is_flag=True, help="Print as JSON.")
def show(name: str | None, as_json: bool) -> None:
    """Print one handoff (default: the latest on this branch)."""
    from agentops_os import git
    from agentops_os.context.handoff import latest
    from agentops_os.repo import require_root
    from agentops_os.store import Store

    root = require_root()
    doc: Any
    if name:
        path = Store(root).path("handoffs", name if name.endswith(".md") else name + ".md")
        if not path.is_file():
            raise FatalError(f"{path.relative_to(root)}: no such handoff")
        doc = Store(root).read_document(path)
    else:
        doc = latest(root, git.current_branch(root))
        if doc is None:
            raise FatalError("no handoff on this branch yet", exit_code=1)
    if as_json:
        render.emit_json({"path": str(Path(doc.path).relative_to(root)), "meta": doc.meta, "body": doc.body})
    else:
        sys.stdout.write(doc.body)
