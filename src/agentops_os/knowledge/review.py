"""Promote or drop pending candidates. A decision is recorded in the candidate's own file
(status accepted/rejected), so forge never proposes it again and the record is reviewable
in a PR; the scorer's rules do not change from it."""

from __future__ import annotations

from agentops_os.errors import FatalError
from agentops_os.knowledge import learnings
from agentops_os.knowledge.model import Learning, now_iso
from agentops_os.store import Store


def pending(store: Store) -> list[Learning]:
    items = [c for c in learnings.load_all(store, learnings.PENDING, errors=[]) if c.status == "candidate"]
    items.sort(key=lambda c: (-(c.score or 0.0), c.id))
    return items


def _candidate(store: Store, cid: str) -> Learning:
    item = learnings.get(store, cid, learnings.PENDING)
    if item.status != "candidate":
        raise FatalError(f"candidate {cid} was already {item.status}")
    return item


def accept(store: Store, cid: str, title: str | None = None, default_utility: float = 0.5) -> Learning:
    item = _candidate(store, cid)
    lid = "l-" + item.id.split("-", 1)[-1]
    extra = {k: v for k, v in item.extra.items() if k != "rule"}
    extra["from_candidate"] = item.id
    learning = Learning(id=lid, title=title or item.title, body=item.body, tags=item.tags,
                        created=now_iso(), source=item.source, confidence=item.score or item.confidence,
                        utility=default_utility, status="active", extra=extra)
    learnings.save(store, learning)
    item.status = "accepted"
    item.extra["learning"] = lid
    item.extra["reviewed"] = now_iso()
    learnings.save(store, item, learnings.PENDING)
    return learning


def reject(store: Store, cid: str) -> Learning:
    item = _candidate(store, cid)
    item.status = "rejected"
    item.extra["reviewed"] = now_iso()
    learnings.save(store, item, learnings.PENDING)
    return item
