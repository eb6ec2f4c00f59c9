"""`ao learn add|list|show|edit|retire|review`: the learnings in .agents/learnings/."""

from __future__ import annotations

import sys

import click

from agentops_os import render
from agentops_os.errors import CheckFailed
from agentops_os.repo import require_root


def _store():  # type: ignore[no-untyped-def]
    from agentops_os.store import Store

    return Store.open(require_root())


@click.group("learn")
def cli() -> None:
    """Learnings with provenance: add, list, show, edit, retire, review candidates."""


@cli.command("add")
@click.argument("title")
@click.option("--body", default="", help="Longer explanation (Markdown).")
@click.option("--tag", "tags", multiple=True, help="A tag (repeatable).")
@click.option("--merge", "merge_id", default=None, help="Merge into this existing learning instead.")
@click.option("--force", is_flag=True, help="Add even if a near-duplicate exists.")
@click.option("--json", "as_json", is_flag=True)
def add(title: str, body: str, tags: tuple[str, ...], merge_id: str | None, force: bool,
        as_json: bool) -> None:
    """Add a learning. A near-duplicate is offered as a merge (asked on a terminal;
    otherwise exit 1 naming it: re-run with --merge ID or --force)."""
    from agentops_os.config import load_config
    from agentops_os.knowledge import learnings

    store = _store()
    config = load_config(store.root)
    if merge_id:
        target = learnings.merge_into(learnings.get(store, merge_id), title, body, list(tags))
        path = learnings.save(store, target)
        _done(target, path, store.root, "merged into", as_json)
        return
    if not force:
        dups = learnings.find_duplicates(store, title, body, float(config.get("learn.duplicate_threshold")))
        if dups:
            best = dups[0]
            render.info(f"near-duplicate of {best.learning.id} ({best.similarity:.2f}): "
                        f"{best.learning.title}")
            if sys.stdin.isatty() and click.confirm(f"merge into {best.learning.id}?", default=True):
                target = learnings.merge_into(best.learning, title, body, list(tags))
                path = learnings.save(store, target)
                _done(target, path, store.root, "merged into", as_json)
                return
            if not sys.stdin.isatty():
                raise CheckFailed(f"not added: near-duplicate of {best.learning.id}; "
                                  f"use --merge {best.learning.id} or --force")
    item = learnings.new_learning(title, body, list(tags),
                                  utility=float(config.get("learn.default_utility")))
    path = learnings.save(store, item)
    _done(item, path, store.root, "added", as_json)


def _done(item, path, root, verb: str, as_json: bool) -> None:  # type: ignore[no-untyped-def]
    if as_json:
        render.emit_json({"id": item.id, "path": str(path.relative_to(root)), "action": verb.split()[0]})
    else:
        click.echo(f"{verb} {item.id}: {path.relative_to(root)}")


@cli.command("list")
@click.option("--status", type=click.Choice(["active", "retired", "candidate", "all"]), default="active")
@click.option("--tag", default=None, help="Only learnings with this tag.")
@click.option("--json", "as_json", is_flag=True)
def list_(status: str, tag: str | None, as_json: bool) -> None:
    """List learnings (active by default; `--status candidate` lists pending candidates)."""
    from agentops_os.knowledge import learnings, review

    store = _store()
    errors: list[str] = []
    if status == "candidate":
        items = review.pending(store)
    else:
        items = learnings.load_all(store, errors=errors)
        if status != "all":
            items = [i for i in items if i.status == status]
    if tag:
        items = [i for i in items if tag in i.tags]
    for error in errors:
        render.info(f"skipped: {error}")
    if as_json:
        render.emit_json([{**i.meta(), "body": i.body} for i in items])
        return
    render.table(["id", "status", "utility", "source", "title"],
                 [[i.id, i.status, f"{i.utility:.2f}" if i.score is None else f"score {i.score:.2f}",
                   i.source.get("type"), i.title[:70]] for i in items])


@cli.command("show")
@click.argument("learning_id")
@click.option("--json", "as_json", is_flag=True)
def show(learning_id: str, as_json: bool) -> None:
    """Show one learning (or pending candidate) with its provenance."""
    from agentops_os.errors import FatalError
    from agentops_os.knowledge import learnings

    store = _store()
    try:
        item = learnings.get(store, learning_id)
    except FatalError:
        item = learnings.get(store, learning_id, learnings.PENDING)
    if as_json:
        render.emit_json({**item.meta(), "body": item.body})
        return
    click.echo(f"{item.id}  [{item.status}]  {item.title}")
    source = item.source
    click.echo(f"source: {source.get('type')} {source.get('ref') or ''}".rstrip())
    click.echo(f"created: {item.created}  confidence: {item.confidence:.2f}  utility: {item.utility:.2f}")
    if item.tags:
        click.echo(f"tags: {', '.join(item.tags)}")
    if item.supersedes:
        click.echo(f"supersedes: {', '.join(item.supersedes)}")
    click.echo("")
    click.echo(item.body.rstrip())


@cli.command("edit")
@click.argument("learning_id")
@click.option("--title", default=None)
@click.option("--body", default=None)
@click.option("--tag", "tags", multiple=True, help="Replace the tags (repeatable).")
@click.option("--supersedes", multiple=True, help="Id of a learning this one replaces.")
def edit(learning_id: str, title: str | None, body: str | None, tags: tuple[str, ...],
         supersedes: tuple[str, ...]) -> None:
    """Change a learning; with no options, open it in $EDITOR (on a terminal)."""
    from agentops_os.errors import FatalError
    from agentops_os.knowledge import learnings

    store = _store()
    item = learnings.get(store, learning_id)
    if title is None and body is None and not tags and not supersedes:
        if not sys.stdin.isatty():
            raise FatalError("nothing to change: pass --title/--body/--tag, or run on a terminal")
        edited = click.edit(item.body)
        if edited is None:
            click.echo("unchanged")
            return
        body = edited
    if title is not None:
        item.title = " ".join(title.split())
    if body is not None:
        item.body = body if body.endswith("\n") else body + "\n"
    if tags:
        item.tags = sorted(set(tags))
    for old in supersedes:
        learnings.retire(store, old)
        if old not in item.supersedes:
            item.supersedes.append(old)
    path = learnings.save(store, item)
    click.echo(f"updated {item.id}: {path.relative_to(store.root)}")


@cli.command("retire")
@click.argument("learning_id")
@click.option("--by", "superseded_by", default=None, help="The learning that replaces it.")
def retire(learning_id: str, superseded_by: str | None) -> None:
    """Retire a learning (kept on disk, hidden from search)."""
    from agentops_os.knowledge import learnings

    item = learnings.retire(_store(), learning_id, superseded_by)
    click.echo(f"retired {item.id}")


@cli.command("review")
@click.option("--accept", "accept_ids", multiple=True, help="Accept this candidate (repeatable).")
@click.option("--reject", "reject_ids", multiple=True, help="Reject this candidate (repeatable).")
@click.option("--json", "as_json", is_flag=True)
def review_cmd(accept_ids: tuple[str, ...], reject_ids: tuple[str, ...], as_json: bool) -> None:
    """Review candidates from `ao forge`: interactive on a terminal, or --accept/--reject."""
    from agentops_os.config import load_config
    from agentops_os.knowledge import review

    store = _store()
    utility = float(load_config(store.root).get("learn.default_utility"))
    done: list[dict[str, str]] = []
    for cid in accept_ids:
        learned = review.accept(store, cid, default_utility=utility)
        done.append({"candidate": cid, "action": "accepted", "learning": learned.id})
    for cid in reject_ids:
        review.reject(store, cid)
        done.append({"candidate": cid, "action": "rejected"})
    if not accept_ids and not reject_ids:
        items = review.pending(store)
        if not sys.stdin.isatty():
            if as_json:
                render.emit_json([{**c.meta(), "body": c.body} for c in items])
                return
            render.table(["id", "score", "source", "title"],
                         [[c.id, f"{c.score or 0:.2f}", f"{c.source.get('type')} {c.source.get('ref')}"[:40],
                           c.title[:70]] for c in items])
            render.info("accept or reject with --accept ID / --reject ID (or run on a terminal)")
            return
        for cand in items:
            click.echo(f"\n{cand.id}  score {cand.score or 0:.2f}  from {cand.source.get('type')} "
                       f"{cand.source.get('ref')}")
            click.echo(f"  {cand.title}")
            for line in cand.body.strip().splitlines()[:8]:
                click.echo(f"    {line}")
            choice = click.prompt("[a]ccept, [r]eject, [s]kip, [q]uit", default="s",
                                  type=click.Choice(["a", "r", "s", "q"]), show_choices=False)
            if choice == "q":
                break
            if choice == "a":
                learned = review.accept(store, cand.id, default_utility=utility)
                done.append({"candidate": cand.id, "action": "accepted", "learning": learned.id})
            elif choice == "r":
                review.reject(store, cand.id)
                done.append({"candidate": cand.id, "action": "rejected"})
    if as_json:
        render.emit_json(done)
    else:
        for entry in done:
            extra = f" -> {entry['learning']}" if "learning" in entry else ""
            click.echo(f"{entry['action']} {entry['candidate']}{extra}")
