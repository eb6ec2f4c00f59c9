"""The backlog under `.agents/improve/`: scan, list, accept, dismiss, done, add.

A scan recomputes each item from its signal (so re-reading the same records changes no
byte) and keeps only what the user decided (status, accept/dismiss/done records, the
body) plus evidence a hook added that no scanned source covers yet. Every write goes
through `Store.write_document` (redaction, schema_version, atomic rename).
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar, cast

from agentops_os.errors import FatalError
from agentops_os.improve.model import KIND, TASKS_KIND, Item, Occurrence, cause_id
from agentops_os.improve.signals import Signal, mine
from agentops_os.store import Store

HOOK = "stop-hook"
F = TypeVar("F", bound=Callable[..., Any])


def _exclusive(fn: F) -> F:
    """One writer of the backlog at a time (a scan, a decision, the Stop hook): each reads
    an item, changes it and writes it back, and two at once would lose one change."""
    @functools.wraps(fn)
    def wrapper(store: Store, *args: Any, **kwargs: Any) -> Any:
        from agentops_os.store.atomic import locked

        with locked(store.index_dir / "locks" / "improve.lock"):
            return fn(store, *args, **kwargs)

    return cast(F, wrapper)


def now_iso() -> str:
    return dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


# -- reading ------------------------------------------------------------------------------------

def load(store: Store, errors: list[str] | None = None) -> dict[str, Item]:
    """Every item by id. A broken file is reported through `errors` (or raised), never skipped
    silently."""
    items: dict[str, Item] = {}
    for doc in store.iter_documents(KIND, errors):
        try:
            item = Item.from_document(doc.meta, doc.body, doc.path)
        except FatalError as exc:
            if errors is None:
                raise
            errors.append(str(exc))
            continue
        items[item.id] = item
    return items


def get(store: Store, key: str) -> Item:
    """The item whose id is `key` or starts with it (exit 2 when none or several)."""
    items = load(store)
    if key in items:
        return items[key]
    matches = [item for item_id, item in items.items() if item_id.startswith(key)] if key else []
    if len(matches) == 1:
        return matches[0]
    if not matches:
        raise FatalError(f"no improvement item matches {key!r} (see `ao improve list --status all`)")
    raise FatalError(f"{key!r} matches {len(matches)} items: {', '.join(sorted(i.id for i in matches))}")


def ranked(items: list[Item]) -> list[Item]:
    """Strongest first: score (frequency x cost), then id, so the order is stable."""
    return sorted(items, key=lambda i: (-i.score, i.id))


# -- writing ------------------------------------------------------------------------------------

def save(store: Store, item: Item) -> Path:
    return store.write_document(KIND, item.id, item.meta(), item.body)


def _same_as_stored(store: Store, item: Item, old: Item | None) -> bool:
    """True when writing `item` would not change its file (compared after redaction)."""
    if old is None:
        return False
    clean = store.redactor.value(item.meta())
    return bool(clean == store.redactor.value(old.meta()) and item.body == old.body)


# -- scan ---------------------------------------------------------------------------------------

@dataclass
class ScanReport:
    new: list[Item] = field(default_factory=list)
    updated: list[Item] = field(default_factory=list)
    unchanged: int = 0
    recurring: list[Item] = field(default_factory=list)  # done items whose signal came back
    gone: list[Item] = field(default_factory=list)  # done items with no occurrence since the fix
    errors: list[str] = field(default_factory=list)
    sources: dict[str, int] = field(default_factory=dict)
    dry_run: bool = False

    def to_json(self) -> dict[str, Any]:
        return {
            "dry_run": self.dry_run,
            "new": [_brief(i) for i in self.new],
            "updated": [_brief(i) for i in self.updated],
            "unchanged": self.unchanged,
            "recurring": [_brief(i) for i in self.recurring],
            "gone": [_brief(i) for i in self.gone],
            "sources": self.sources,
            "errors": self.errors,
        }


def _brief(item: Item) -> dict[str, Any]:
    return {"id": item.id, "cause": item.cause, "kind": item.kind, "title": item.title,
            "status": item.status, "score": round(item.score, 3), "occurrences": item.occurrences,
            "after_fix": item.after_fix}


@_exclusive
def scan(store: Store, config: Any, *, dry_run: bool = False) -> ScanReport:
    """Mine every signal and bring the backlog in step; `dry_run` writes nothing."""
    report = ScanReport(dry_run=dry_run)
    mined = mine(store.root, config, store)
    report.errors.extend(mined.errors)
    report.sources = dict(mined.sources)
    existing = load(store, report.errors)
    from agentops_os.improve.settings import Settings

    keep = Settings.of(config).evidence_kept
    seen: set[str] = set()
    for signal in mined.signals:
        item_id = cause_id(signal.cause)
        seen.add(item_id)
        old = existing.get(item_id)
        item = merge(old, signal, keep)
        _classify(report, store, item, old, dry_run)
    for item_id, old in sorted(existing.items()):
        if item_id in seen or not old.done:
            continue
        # A fixed cause with no occurrence left at all (e.g. the harmful votes were
        # reset): measured as gone.
        item = Item(**{**old.__dict__, "after_fix": _after_fix(old, [])})
        _classify(report, store, item, old, dry_run)
    return report


def _classify(report: ScanReport, store: Store, item: Item, old: Item | None, dry_run: bool) -> None:
    if old is None:
        report.new.append(item)
    elif _same_as_stored(store, item, old):
        report.unchanged += 1
    else:
        report.updated.append(item)
    if item.done and item.after_fix is not None:
        (report.recurring if item.after_fix > 0 else report.gone).append(item)
    if not dry_run and (old is None or not _same_as_stored(store, item, old)):
        save(store, item)


def merge(old: Item | None, signal: Signal, keep: int) -> Item:
    """The item for `signal`: recomputed totals and evidence, the user's decisions kept."""
    fresh = list(signal.occurrences)
    refs = {o.ref for o in fresh}
    carried = [o for o in (old.evidence if old else []) if o.via == HOOK and o.ref not in refs]
    every = sorted(fresh + carried, key=lambda o: (o.at or "", o.ref))
    dated = [o.at for o in every if o.at]
    item = Item(
        id=cause_id(signal.cause), cause=signal.cause, kind=signal.kind, title=signal.title,
        goal=signal.goal, score=sum(o.cost for o in every), occurrences=len(every),
        first_seen=min(dated) if dated else None, last_seen=max(dated) if dated else None,
        evidence=every[-keep:],
        body=old.body if old else _initial_body(signal),
    )
    if old is not None:
        item.status, item.accepted = old.status, old.accepted
        item.dismissed, item.done = old.dismissed, old.done
        item.extra = dict(old.extra)
        if item.done:
            item.after_fix = _after_fix(item, every)
    return item


def _after_fix(item: Item, every: list[Occurrence]) -> int:
    """Occurrences since the fixing commit: dated ones after its time, plus undated ones
    (harmful votes) beyond the count there was when it was marked done."""
    done = item.done or {}
    fixed_at = str(done.get("at") or "")
    after = sum(1 for o in every if o.at and o.at > fixed_at)
    undated = sum(1 for o in every if not o.at)
    try:
        undated_then = int(done.get("undated", 0))
    except (TypeError, ValueError):
        undated_then = 0
    return after + max(undated - undated_then, 0)


def _initial_body(signal: Signal) -> str:
    return (f"# {signal.title}\n\n{signal.goal}\n\n"
            "Notes (kept by later scans; the frontmatter above is recomputed):\n")


# -- the user's decisions ---------------------------------------------------------------------------

@_exclusive
def accept(store: Store, key: str, *, force: bool = False) -> tuple[Item, Path]:
    """Turn an open item into a task file (`.agents/improve/tasks/<id>.md`) that `ao rpi`
    or `ao swarm` can take: a goal string plus the evidence as context."""
    item = get(store, key)
    if item.status != "open" and not force:
        where = f" (task {item.accepted.get('task')})" if item.accepted else ""
        raise FatalError(f"{item.id} is {item.status}{where}; only open items can be accepted "
                         "(use --force to accept it again)")
    path = write_task(store, item, overwrite=force)
    item.status = "accepted"
    item.accepted = {"task": str(path.relative_to(store.root)), "at": now_iso()}
    item.dismissed = None
    save(store, item)
    return item, path


def task_document(item: Item) -> tuple[dict[str, Any], str]:
    """(frontmatter, body) of the task for `item`."""
    meta = {"task_schema": 1, "id": "task-" + item.id.removeprefix("imp-"), "item": item.id,
            "goal": item.goal, "title": item.title, "cause": item.cause, "score": round(item.score, 3),
            "occurrences": item.occurrences, "created": now_iso(),
            "evidence": [{"ref": o.ref, "at": o.at, "link": o.link} for o in item.evidence]}
    lines = [f"# {item.title}", "", "## Goal", "", item.goal, "", "## Context", "",
             f"Backlog item `{item.id}` (cause `{item.cause}`): {item.occurrences} occurrence(s), "
             f"score {item.score:.1f}, first seen {item.first_seen or '?'}, "
             f"last seen {item.last_seen or '?'}.",
             "", "Evidence (most recent last):", ""]
    lines += [f"- {o.at or '(undated)'} {o.detail}" + (f" [{o.link}]" if o.link else "")
              for o in item.evidence]
    lines += ["", "## Done when", "",
              f"The fix is committed and `ao improve done {item.id} --commit SHA` recorded it; "
              "later `ao improve scan` runs then show whether the signal went away.", ""]
    return meta, "\n".join(lines)


def write_task(store: Store, item: Item, *, overwrite: bool = False) -> Path:
    meta, body = task_document(item)
    return store.write_document(TASKS_KIND, item.id, meta, body, overwrite=overwrite)


@_exclusive
def dismiss(store: Store, key: str, reason: str = "") -> Item:
    item = get(store, key)
    if item.status == "done":
        raise FatalError(f"{item.id} is done (fixed in {str((item.done or {}).get('commit', ''))[:12]}); "
                         "nothing to dismiss")
    item.status = "dismissed"
    item.dismissed = {"reason": reason, "at": now_iso()}
    save(store, item)
    return item


@_exclusive
def reopen(store: Store, key: str) -> Item:
    item = get(store, key)
    item.status = "open"
    item.dismissed = None
    item.done = None
    item.after_fix = None
    save(store, item)
    return item


@_exclusive
def mark_done(store: Store, key: str, commit: str = "HEAD") -> Item:
    """Link the fixing commit. Its commit time is the line later scans measure against."""
    from agentops_os import git

    item = get(store, key)
    try:
        sha = git.run(["rev-parse", "--verify", "--quiet", f"{commit}^{{commit}}"], store.root).strip()
        ts = git.run(["show", "-s", "--format=%ct", sha], store.root).strip()
    except git.GitError:
        raise FatalError(f"{commit!r} is not a commit of this repository") from None
    if not sha:
        raise FatalError(f"{commit!r} is not a commit of this repository")
    fixed_at = dt.datetime.fromtimestamp(int(ts), dt.UTC).isoformat().replace("+00:00", "Z")
    item.status = "done"
    item.done = {"commit": sha, "at": fixed_at, "occurrences": item.occurrences,
                 "undated": sum(1 for o in item.evidence if not o.at)}
    item.after_fix = None
    save(store, item)
    return item


@_exclusive
def add(store: Store, title: str, body: str = "", *, cost: float = 1.0) -> Item:
    """A hand-written item (Law 2: every piece of work names one improvement)."""
    from agentops_os.improve.signals import _norm

    text = " ".join(title.split())
    if not text:
        raise FatalError("the title of an improvement must not be empty")
    cause = f"manual:{_norm(text)}"
    item_id = cause_id(cause)
    if (store.kind_dir(KIND) / f"{item_id}.md").exists():
        raise FatalError(f"already in the backlog as {item_id}: {text}")
    at = now_iso()
    item = Item(id=item_id, cause=cause, kind="manual", title=text, goal=text, score=cost, occurrences=1,
                first_seen=at, last_seen=at,
                evidence=[Occurrence(ref=f"manual:{at}", cost=cost, at=at, detail="added by hand")],
                body=(body.strip() + "\n") if body.strip() else f"# {text}\n")
    save(store, item)
    return item


@_exclusive
def observe(store: Store, signal: Signal, keep: int = 20) -> tuple[Item, bool]:
    """Add a hook's occurrences to the item of `signal.cause` (created if needed); returns
    (item, changed). Occurrences already recorded (same ref) are not counted twice."""
    path = store.kind_dir(KIND) / f"{cause_id(signal.cause)}.md"
    old = None
    if path.exists():
        doc = store.read_document(path)
        old = Item.from_document(doc.meta, doc.body, path)
    known = {o.ref for o in old.evidence} if old else set()
    new = [o for o in signal.occurrences if o.ref not in known]
    if old is not None and not new:
        return old, False
    for occurrence in new:
        occurrence.via = HOOK
    if old is None:
        item = merge(None, Signal(signal.cause, signal.kind, signal.title, signal.goal, new), keep)
    else:
        every = sorted([*old.evidence, *new], key=lambda o: (o.at or "", o.ref))
        item = old
        item.evidence = every[-keep:]
        item.occurrences += len(new)
        item.score += sum(o.cost for o in new)
        dated = [o.at for o in every if o.at] + [d for d in (old.first_seen, old.last_seen) if d]
        item.first_seen, item.last_seen = (min(dated), max(dated)) if dated else (None, None)
    save(store, item)
    return item, True
