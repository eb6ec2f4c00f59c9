"""The learning record: a Markdown file in `.agents/learnings/<id>.md` with frontmatter.

Every learning keeps where it came from (`source`): a session id and message uuid, a
commit SHA, a handoff path, or `manual`. Candidates awaiting review live in
`.agents/pending/<id>.md` with the same shape plus a `score`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field
from typing import Any

from agentops_os.store.documents import Document

STATUSES = ("candidate", "active", "retired", "rejected")
SOURCE_TYPES = ("session", "commit", "handoff", "manual")


def now_iso() -> str:
    return dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def make_id(prefix: str, *parts: str) -> str:
    """Stable ids: the same source and text always give the same id (re-runs don't duplicate)."""
    digest = hashlib.sha1("\x00".join(parts).encode("utf-8")).hexdigest()[:10]
    return f"{prefix}-{digest}"


@dataclass
class Learning:
    id: str
    title: str
    body: str = ""
    tags: list[str] = field(default_factory=list)
    created: str = field(default_factory=now_iso)
    source: dict[str, Any] = field(default_factory=lambda: {"type": "manual", "ref": None})
    confidence: float = 0.5
    utility: float = 0.5
    status: str = "active"
    supersedes: list[str] = field(default_factory=list)
    score: float | None = None  # candidates only: the extractor's score
    extra: dict[str, Any] = field(default_factory=dict)

    def meta(self) -> dict[str, Any]:
        meta: dict[str, Any] = {
            "id": self.id, "title": self.title, "tags": list(self.tags), "created": self.created,
            "source": dict(self.source), "confidence": round(float(self.confidence), 3),
            "utility": round(float(self.utility), 3), "status": self.status,
            "supersedes": list(self.supersedes),
        }
        if self.score is not None:
            meta["score"] = round(float(self.score), 3)
        meta.update(self.extra)
        return meta

    @classmethod
    def from_document(cls, doc: Document) -> Learning:
        meta = dict(doc.meta)
        known = {"id", "title", "tags", "created", "source", "confidence", "utility", "status",
                 "supersedes", "score", "schema_version"}
        stem = doc.path.stem if doc.path else "unknown"
        source = meta.get("source")
        if not isinstance(source, dict):
            source = {"type": "manual", "ref": source}
        tags = meta.get("tags") or []
        if isinstance(tags, str):
            tags = [t.strip() for t in tags.split(",") if t.strip()]
        supersedes = meta.get("supersedes") or []
        if isinstance(supersedes, str):
            supersedes = [supersedes]
        return cls(
            id=str(meta.get("id") or stem),
            title=str(meta.get("title") or _first_line(doc.body) or stem),
            body=doc.body,
            tags=[str(t) for t in tags],
            created=str(meta.get("created") or ""),
            source=source,
            confidence=_num(meta.get("confidence"), 0.5),
            utility=_num(meta.get("utility"), 0.5),
            status=str(meta.get("status") or "active"),
            supersedes=[str(s) for s in supersedes],
            score=_num(meta["score"], 0.0) if "score" in meta else None,
            extra={k: v for k, v in meta.items() if k not in known},
        )

    def text(self) -> str:
        return f"{self.title}\n{self.body}"


def _num(value: Any, default: float) -> float:
    try:
        return float(value)
    except (TypeError, ValueError):
        return default


def _first_line(text: str) -> str:
    for line in text.splitlines():
        if line.strip():
            return line.strip().lstrip("# ").strip()
    return ""
