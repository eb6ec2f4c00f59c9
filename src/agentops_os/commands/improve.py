"""`ao improve scan|list|show|accept|dismiss|done|reopen|add`: the Law 2 backlog in
.agents/improve/ (domain: `agentops_os.improve`)."""

from __future__ import annotations

from typing import Any

import click

from agentops_os import render
from agentops_os.repo import require_root


def _store():  # type: ignore[no-untyped-def]
    from agentops_os.store import Store

    return Store.open(require_root())


def _state(item: Any) -> str:
    if item.status == "done" and item.after_fix is not None:
        return "done, gone" if item.after_fix == 0 else f"done, back x{item.after_fix}"
    return str(item.status)


@click.group("improve")
def cli() -> None:
    """The improvement backlog: friction (failing gates, guard denials, context collapses,
    tool errors, harmful learnings, Learning: trailers) as ranked, actionable items."""


@cli.command("scan")
@click.option("--dry-run", is_flag=True, help="Show what would change; write nothing.")
@click.option("--json", "as_json", is_flag=True)
def scan(dry_run: bool, as_json: bool) -> None:
    """Mine the signals into items: one per distinct cause, de-duplicated across scans."""
    from agentops_os.config import load_config
    from agentops_os.improve import backlog

    store = _store()
    report = backlog.scan(store, load_config(store.root), dry_run=dry_run)
    for error in report.errors:
        render.info(f"ao: skipped: {error}")
    if as_json:
        render.emit_json(report.to_json())
        return
    verb = "would add" if dry_run else "added"
    rows = [("new", i.id, f"{i.score:.1f}", i.occurrences, i.title) for i in report.new]
    rows += [("updated", i.id, f"{i.score:.1f}", i.occurrences, i.title) for i in report.updated]
    if rows:
        render.table(["change", "id", "score", "seen", "title"], rows)
    for item in report.recurring:
        click.echo(f"recurring: {item.id} came back {item.after_fix} time(s) since "
                   f"{str((item.done or {}).get('commit', ''))[:12]}: {item.title}")
    for item in report.gone:
        click.echo(f"gone: {item.id} has not been seen since {str((item.done or {}).get('commit', ''))[:12]}")
    sources = ", ".join(f"{n} {name}" for name, n in report.sources.items())
    render.info(f"scanned {sources}; {verb} {len(report.new)} item(s), "
                f"{'would update' if dry_run else 'updated'} {len(report.updated)}, "
                f"{report.unchanged} unchanged" + (f", {len(report.errors)} unreadable record(s) skipped"
                                                  if report.errors else ""))


@cli.command("list")
@click.option("--status", type=click.Choice(["open", "accepted", "dismissed", "done", "live", "all"]),
              default="live", help="live = open and accepted (default).")
@click.option("--json", "as_json", is_flag=True)
def list_(status: str, as_json: bool) -> None:
    """Items ranked by score (frequency x cost)."""
    from agentops_os.improve import backlog

    errors: list[str] = []
    items = backlog.ranked(list(backlog.load(_store(), errors).values()))
    for error in errors:
        render.info(f"ao: skipped: {error}")
    wanted = {"live": ("open", "accepted"), "all": None}.get(status, (status,))
    items = [i for i in items if wanted is None or i.status in wanted]
    if as_json:
        render.emit_json([i.to_json() for i in items])
        return
    if not items:
        render.info(f"no {status} improvement items (run `ao improve scan`)")
        return
    render.table(["id", "status", "score", "seen", "last seen", "title"],
                 [(i.id, _state(i), f"{i.score:.1f}", i.occurrences, (i.last_seen or "-")[:10], i.title)
                  for i in items])


@cli.command("show")
@click.argument("item_id")
@click.option("--goal", "goal_only", is_flag=True, help="Print only the goal (for `ao rpi \"$(...)\"`).")
@click.option("--json", "as_json", is_flag=True)
def show(item_id: str, goal_only: bool, as_json: bool) -> None:
    """One item: its cause, goal, evidence and (when done) whether the signal went away."""
    from agentops_os.improve import backlog

    item = backlog.get(_store(), item_id)
    if goal_only:
        click.echo(item.goal)
        return
    if as_json:
        render.emit_json(item.to_json())
        return
    rows = [("id", item.id), ("title", item.title), ("status", item.status), ("cause", item.cause),
            ("score", f"{item.score:.1f} ({item.occurrences} occurrence(s))"),
            ("seen", f"{item.first_seen or '?'} .. {item.last_seen or '?'}"), ("goal", item.goal)]
    if item.accepted:
        rows.append(("task", str(item.accepted.get("task"))))
    if item.dismissed:
        rows.append(("dismissed", str(item.dismissed.get("reason") or "(no reason given)")))
    if item.done:
        rows.append(("measured", item.measurement()))
    width = max(len(k) for k, _ in rows)
    for key, value in rows:
        click.echo(f"{key.ljust(width)}  {value}")
    click.echo("evidence (most recent last):")
    for occurrence in item.evidence:
        link = f" [{occurrence.link}]" if occurrence.link else ""
        click.echo(f"  {occurrence.at or '(undated)'}  {occurrence.detail}{link}")


@cli.command("accept")
@click.argument("item_id")
@click.option("--force", is_flag=True, help="Accept again and overwrite the task file.")
@click.option("--json", "as_json", is_flag=True)
def accept(item_id: str, force: bool, as_json: bool) -> None:
    """Turn an open item into a task for `ao rpi` / `ao swarm` (.agents/improve/tasks/)."""
    from agentops_os.improve import backlog

    store = _store()
    item, path = backlog.accept(store, item_id, force=force)
    rel = str(path.relative_to(store.root))
    if as_json:
        render.emit_json({"id": item.id, "status": item.status, "task": rel, "goal": item.goal})
        return
    click.echo(f"accepted {item.id}: task {rel}")
    click.echo(f"goal: {item.goal}")
    render.info(f'run it: ao rpi "$(ao improve show {item.id} --goal)"')


@cli.command("dismiss")
@click.argument("item_id")
@click.option("--reason", default="", help="Why (kept in the item file).")
@click.option("--json", "as_json", is_flag=True)
def dismiss(item_id: str, reason: str, as_json: bool) -> None:
    """Not worth fixing: later scans keep counting it but it leaves the live list."""
    from agentops_os.improve import backlog

    item = backlog.dismiss(_store(), item_id, reason)
    if as_json:
        render.emit_json({"id": item.id, "status": item.status})
        return
    click.echo(f"dismissed {item.id}: {item.title}")


@cli.command("done")
@click.argument("item_id")
@click.option("--commit", "commit", default="HEAD", show_default=True, help="The fixing commit.")
@click.option("--json", "as_json", is_flag=True)
def done(item_id: str, commit: str, as_json: bool) -> None:
    """Link the fixing commit; later scans measure whether the signal went away."""
    from agentops_os.improve import backlog

    item = backlog.mark_done(_store(), item_id, commit)
    if as_json:
        render.emit_json({"id": item.id, "status": item.status, "commit": (item.done or {}).get("commit")})
        return
    click.echo(f"done {item.id}: fixed in {str((item.done or {}).get('commit'))[:12]}")


@cli.command("reopen")
@click.argument("item_id")
@click.option("--json", "as_json", is_flag=True)
def reopen(item_id: str, as_json: bool) -> None:
    """Back to open (after a dismiss, or when a fix did not hold)."""
    from agentops_os.improve import backlog

    item = backlog.reopen(_store(), item_id)
    if as_json:
        render.emit_json({"id": item.id, "status": item.status})
        return
    click.echo(f"reopened {item.id}: {item.title}")


@cli.command("add")
@click.argument("title")
@click.option("--body", default="", help="Longer description (Markdown).")
@click.option("--json", "as_json", is_flag=True)
def add(title: str, body: str, as_json: bool) -> None:
    """Add an improvement by hand (Law 2: name what would make the next piece of work
    cheaper or safer)."""
    from agentops_os.improve import backlog

    item = backlog.add(_store(), title, body)
    if as_json:
        render.emit_json({"id": item.id, "status": item.status, "title": item.title})
        return
    click.echo(f"added {item.id}: {item.title}")
