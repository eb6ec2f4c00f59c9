"""The backlog item: one Markdown file `.agents/improve/<id>.md` with YAML frontmatter.

The id is derived from the cause (`cause_id`), so every scan, every branch and the Stop
hook name the same friction with the same file. The frontmatter is a deterministic
function of the signals and of the user's decisions (accept / dismiss / done): no scan
timestamps, evidence sorted, so two branches that saw the same signals write the same
bytes and git merges them without a conflict. The body is written once, when the item
is created, and is the user's afterwards (notes, a plan).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any

from agentops_os.errors import FatalError, located

KIND = "improve"
TASKS_KIND = "improve/tasks"
STATUSES = ("open", "accepted", "dismissed", "done")
ITEM_SCHEMA = 1


def cause_id(cause: str) -> str:
    """`imp-` + 10 hex digits of the cause key: stable across scans, hosts and branches."""
    return "imp-" + hashlib.sha1(cause.encode("utf-8")).hexdigest()[:10]


@dataclass
class Occurrence:
    """One observation of a cause, with a link to where it was seen."""

    ref: str  # unique within its cause: "audit:<writer>#<seq>", "session:<id>", "commit:<sha>"...
    cost: float
    at: str | None = None  # ISO-8601 UTC, when known
    detail: str = ""
    link: str | None = None  # a path under the repo or a commit SHA
    via: str | None = None  # "stop-hook" for evidence a hook added before any scan saw it

    def to_meta(self) -> dict[str, Any]:
        out: dict[str, Any] = {"ref": self.ref, "at": self.at, "cost": round(self.cost, 3),
                               "detail": self.detail}
        if self.link:
            out["link"] = self.link
        if self.via:
            out["via"] = self.via
        return out

    @classmethod
    def from_meta(cls, data: Any) -> Occurrence | None:
        if not isinstance(data, dict) or not isinstance(data.get("ref"), str):
            return None
        try:
            cost = float(data.get("cost") or 0.0)
        except (TypeError, ValueError):
            cost = 0.0
        at = data.get("at")
        return cls(ref=data["ref"], cost=cost, at=str(at) if at else None,
                   detail=str(data.get("detail") or ""),
                   link=str(data["link"]) if data.get("link") else None,
                   via=str(data["via"]) if data.get("via") else None)


@dataclass
class Item:
    id: str
    cause: str
    kind: str
    title: str
    goal: str
    status: str = "open"
    score: float = 0.0
    occurrences: int = 0
    first_seen: str | None = None
    last_seen: str | None = None
    evidence: list[Occurrence] = field(default_factory=list)
    accepted: dict[str, Any] | None = None  # {"task": path, "at": iso}
    dismissed: dict[str, Any] | None = None  # {"reason": text, "at": iso}
    done: dict[str, Any] | None = None  # {"commit": sha, "at": commit time, "occurrences": n}
    after_fix: int | None = None  # occurrences since the fixing commit, as of the last scan
    body: str = ""
    extra: dict[str, Any] = field(default_factory=dict)  # keys of newer versions, kept as is

    def meta(self) -> dict[str, Any]:
        meta: dict[str, Any] = {
            "item_schema": ITEM_SCHEMA, "id": self.id, "cause": self.cause, "kind": self.kind,
            "title": self.title, "status": self.status, "score": round(self.score, 3),
            "occurrences": self.occurrences, "first_seen": self.first_seen,
            "last_seen": self.last_seen, "goal": self.goal,
        }
        for key in ("accepted", "dismissed", "done"):
            value = getattr(self, key)
            if value:
                meta[key] = value
        if self.after_fix is not None:
            meta["after_fix"] = self.after_fix
        meta["evidence"] = [o.to_meta() for o in self.evidence]
        meta.update(self.extra)
        return meta

    def measurement(self) -> str:
        """Did the signal go away after the fix? One line for `show` and `list`."""
        if not self.done:
            return ""
        commit = str(self.done.get("commit", ""))[:12]
        if self.after_fix is None:
            return f"fixed in {commit}; not measured yet (run `ao improve scan`)"
        if self.after_fix == 0:
            return f"fixed in {commit}; signal gone: no occurrence since the fix"
        return f"fixed in {commit}; signal still there: {self.after_fix} occurrence(s) since the fix"

    @classmethod
    def from_document(cls, meta: dict[str, Any], body: str, path: Any) -> Item:
        """An item from its frontmatter; a missing or wrong required key names the file."""
        def need(key: str) -> str:
            value = meta.get(key)
            if not isinstance(value, str) or not value.strip():
                raise FatalError(located(path, _line_of(path, key), f"'{key}' must be a non-empty string"))
            return value

        status = meta.get("status", "open")
        if status not in STATUSES:
            raise FatalError(located(path, _line_of(path, "status"),
                                     f"'status' must be one of {', '.join(STATUSES)}, got {status!r}"))
        evidence = [o for o in (Occurrence.from_meta(e) for e in meta.get("evidence") or []) if o]
        known = {"schema_version", "item_schema", "id", "cause", "kind", "title", "status", "score",
                 "occurrences", "first_seen", "last_seen", "goal", "accepted", "dismissed", "done",
                 "after_fix", "evidence"}
        after_fix = meta.get("after_fix")
        return cls(
            id=need("id"), cause=need("cause"), kind=str(meta.get("kind") or "manual"),
            title=need("title"), goal=str(meta.get("goal") or meta.get("title")),
            status=str(status), score=_num(meta.get("score")), occurrences=int(_num(meta.get("occurrences"))),
            first_seen=_str_or_none(meta.get("first_seen")), last_seen=_str_or_none(meta.get("last_seen")),
            evidence=evidence,
            accepted=meta.get("accepted") if isinstance(meta.get("accepted"), dict) else None,
            dismissed=meta.get("dismissed") if isinstance(meta.get("dismissed"), dict) else None,
            done=meta.get("done") if isinstance(meta.get("done"), dict) else None,
            after_fix=int(after_fix) if isinstance(after_fix, int) else None,
            body=body, extra={k: v for k, v in meta.items() if k not in known},
        )

    def to_json(self) -> dict[str, Any]:
        data = self.meta()
        data["measurement"] = self.measurement()
        return data


def _num(value: Any) -> float:
    try:
        return float(value or 0)
    except (TypeError, ValueError):
        return 0.0


def _str_or_none(value: Any) -> str | None:
    return str(value) if value not in (None, "") else None


def _line_of(path: Any, key: str) -> int | None:
    """The frontmatter line of `key`, for error messages (None when unknown)."""
    try:
        with open(path, encoding="utf-8") as handle:
            for number, line in enumerate(handle, start=1):
                if line.startswith(f"{key}:"):
                    return number
    except (OSError, TypeError, UnicodeDecodeError):
        return None
    return None
