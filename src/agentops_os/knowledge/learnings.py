"""Learnings on disk: add (with near-duplicate detection), list, get, edit, retire, merge.

The plain-text files are the truth; the search index is refreshed from them.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from agentops_os.errors import FatalError
from agentops_os.knowledge.model import Learning, make_id, now_iso
from agentops_os.knowledge.similarity import jaccard, token_set
from agentops_os.store import Store

KIND = "learnings"
PENDING = "pending"


@dataclass
class Duplicate:
    learning: Learning
    similarity: float


def load_all(store: Store, kind: str = KIND, errors: list[str] | None = None) -> list[Learning]:
    return [Learning.from_document(doc) for doc in store.iter_documents(kind, errors)]


def get(store: Store, learning_id: str, kind: str = KIND) -> Learning:
    path = store.kind_dir(kind) / f"{learning_id}.md"
    if not path.is_file():
        # Ids inside the frontmatter win over file names (files may be renamed by hand).
        errors: list[str] = []
        for item in load_all(store, kind, errors):
            if item.id == learning_id:
                return item
        where = "pending candidate" if kind == PENDING else "learning"
        raise FatalError(f"no {where} with id {learning_id!r} (see `ao learn list`)")
    return Learning.from_document(store.read_document(path))


def save(store: Store, learning: Learning, kind: str = KIND) -> Path:
    return store.write_document(kind, learning.id, learning.meta(), learning.body)


def find_duplicates(store: Store, title: str, body: str, threshold: float) -> list[Duplicate]:
    """Active/candidate learnings whose word sets overlap the new text at least `threshold`."""
    new = token_set(f"{title}\n{body}")
    new_title = token_set(title)
    found = []
    for item in load_all(store, KIND, errors=[]):
        if item.status == "retired":
            continue
        # Either the whole text or the titles alone may reveal the same lesson.
        score = max(jaccard(new, token_set(item.text())), jaccard(new_title, token_set(item.title)))
        if score >= threshold:
            found.append(Duplicate(item, score))
    found.sort(key=lambda d: (-d.similarity, d.learning.id))
    return found


def new_learning(title: str, body: str = "", tags: list[str] | None = None,
                 source: dict[str, object] | None = None, utility: float = 0.5,
                 confidence: float = 0.7) -> Learning:
    title = " ".join(title.split())
    if not title:
        raise FatalError("a learning needs a non-empty title")
    source = source or {"type": "manual", "ref": None}
    created = now_iso()
    return Learning(id=make_id("l", title, str(source.get("ref")), created), title=title,
                    body=body.strip() + ("\n" if body.strip() else ""), tags=sorted(set(tags or [])),
                    created=created, source=dict(source), utility=utility, confidence=confidence)


def merge_into(target: Learning, title: str, body: str, tags: list[str],
               source: dict[str, object] | None = None) -> Learning:
    """Fold a near-duplicate into an existing learning: keep its id, union tags, note sources."""
    extra_text = body.strip() or title.strip()
    if extra_text and extra_text not in target.body:
        target.body = target.body.rstrip("\n") + ("\n\n" if target.body.strip() else "") + extra_text + "\n"
    target.tags = sorted(set(target.tags) | set(tags))
    target.confidence = min(1.0, round(target.confidence + 0.1, 3))
    if source and source.get("type") != "manual":
        merged = list(target.extra.get("also_from", []))
        merged.append(dict(source))
        target.extra["also_from"] = merged
    return target


def retire(store: Store, learning_id: str, superseded_by: str | None = None) -> Learning:
    item = get(store, learning_id)
    item.status = "retired"
    if superseded_by:
        newer = get(store, superseded_by)
        if learning_id not in newer.supersedes:
            newer.supersedes.append(learning_id)
            save(store, newer)
    save(store, item)
    return item
