"""Keep `kn_docs` in step with the files under `.agents/` (by mtime and size).

A file that cannot be parsed is remembered with its error and reported on every search
(by path and line), while every other file is still indexed.
"""

from __future__ import annotations

import datetime as dt
import os
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from agentops_os.errors import FatalError
from agentops_os.repo import AGENTS_DIR, agents_dir
from agentops_os.store import documents, frontmatter

if TYPE_CHECKING:
    from agentops_os.index.db import Index

# directory under .agents/ -> (hit type, file suffix, recurse)
SOURCES: dict[str, tuple[str, str, bool]] = {
    "learnings": ("learning", ".md", False),
    "pending": ("candidate", ".md", False),
    "handoffs": ("handoff", ".md", False),
    "bundles": ("bundle", ".md", False),
    "sessions": ("session", ".json", False),
    "runs": ("plan", ".md", True),
}


@dataclass
class DocsReport:
    added: int = 0
    removed: int = 0
    errors: list[str] = field(default_factory=list)


def _scan_dir(base: Path, directory: str, found: dict[str, tuple[str, int, int]]) -> str:
    """Add rel path -> (type, mtime_ns, size) for every indexable file of one source
    directory; return its stamp (the mtimes of it and its subdirectories)."""
    kind, suffix, recurse = SOURCES[directory]
    top = base / directory
    if not top.is_dir():
        return "absent"
    stamps = [str(top.stat().st_mtime_ns)]
    # (directory, its path relative to the repo with a trailing "/"): building the
    # relative name by concatenation, since os.path.relpath costs ~30 us per file.
    stack = [(top, f"{AGENTS_DIR}/{directory}/")]
    while stack:
        current, prefix = stack.pop()
        with os.scandir(current) as entries:
            for entry in entries:
                if entry.name.startswith("."):
                    continue
                if entry.is_dir(follow_symlinks=False):
                    if recurse:
                        stamps.append(f"{entry.name}:{entry.stat().st_mtime_ns}")
                        stack.append((Path(entry.path), f"{prefix}{entry.name}/"))
                    continue
                if entry.name.endswith(suffix):
                    st = entry.stat()
                    found[prefix + entry.name] = (kind, st.st_mtime_ns, st.st_size)
    return " ".join(sorted(stamps))


def _dir_stamp(base: Path, directory: str) -> str:
    """The same stamp as `_scan_dir` computes, from directory stats only."""
    top = base / directory
    try:
        stamps = [str(top.stat().st_mtime_ns)]
    except FileNotFoundError:
        return "absent"
    if SOURCES[directory][2]:
        stack = [top]
        while stack:
            with os.scandir(stack.pop()) as entries:
                for entry in entries:
                    if not entry.name.startswith(".") and entry.is_dir(follow_symlinks=False):
                        stamps.append(f"{entry.name}:{entry.stat().st_mtime_ns}")
                        stack.append(Path(entry.path))
    return " ".join(sorted(stamps))


def refresh_docs(index: Index, rescan_seconds: float | None = None) -> DocsReport:
    """Bring `kn_docs` up to date with the files, stat-ing each one.

    With `rescan_seconds` (`ao prime`), a source directory whose mtimes are unchanged and
    which was scanned less than that long ago is skipped without a stat per file: Store
    writes are atomic renames, which change the directory's mtime, and an in-place edit
    by hand is picked up by the next full scan. `ao search` always scans."""
    root = index.root
    conn = index.conn
    report = DocsReport()
    base = agents_dir(root)
    now = time.time()
    state = {row["dir"]: (row["stamp"], row["scanned_at"])
             for row in conn.execute("SELECT dir, stamp, scanned_at FROM kn_dir_state")}
    current: dict[str, tuple[str, int, int]] = {}
    scanned: dict[str, str] = {}
    for directory in SOURCES:
        seen = state.get(directory)
        if (rescan_seconds is not None and seen is not None and now - seen[1] < rescan_seconds
                and seen[0] == _dir_stamp(base, directory)):
            continue
        scanned[directory] = _scan_dir(base, directory, current)
    # The write lock is taken before `kn_files` is read: two searches refreshing at once
    # both saw a new file as unknown and both added it, leaving a duplicate `kn_docs` row
    # that no later refresh removed (kn_files pointed at only one of them).
    if not scanned:  # `ao prime` warm: nothing to write, so no write lock
        _apply(conn, root, base, scanned, current, report, now)
        return report
    conn.execute("BEGIN IMMEDIATE")
    try:
        _apply(conn, root, base, scanned, current, report, now)
        conn.commit()
    except BaseException:
        conn.rollback()
        raise
    return report


def _apply(conn: Any, root: Path, base: Path, scanned: dict[str, str],
           current: dict[str, tuple[str, int, int]], report: DocsReport, now: float) -> None:
    """The part of `refresh_docs` done under the write lock."""
    from agentops_os.store.redact import redactor_for

    clean = redactor_for(root).text
    known: dict[str, Any] = {}
    for directory in scanned:
        prefix = f"{AGENTS_DIR}/{directory}/"
        # a range on the primary key: every path under this directory
        for row in conn.execute("SELECT path, mtime_ns, size, docid, error FROM kn_files "
                                "WHERE path >= ? AND path < ?", (prefix, prefix[:-1] + "0")):
            known[row["path"]] = row
    if len(scanned) < len(SOURCES):  # broken files of skipped directories are still reported
        skipped = [f"{AGENTS_DIR}/{d}/" for d in SOURCES if d not in scanned]
        for (path, error) in conn.execute("SELECT path, error FROM kn_files WHERE error IS NOT NULL"):
            if any(path.startswith(prefix) for prefix in skipped):
                report.errors.append(error)
    for rel, row in known.items():
        if rel not in current:
            if row["docid"] is not None:
                _delete(conn, row["docid"])
            conn.execute("DELETE FROM kn_files WHERE path = ?", (rel,))
            report.removed += 1
    for rel, (kind, mtime, size) in current.items():
        old = known.get(rel)
        if old is not None and old["mtime_ns"] == mtime and old["size"] == size:
            if old["error"]:
                report.errors.append(old["error"])
            continue
        if old is not None and old["docid"] is not None:
            _delete(conn, old["docid"])
        docid, error = None, None
        try:
            fields = doc_fields(root / rel, kind, mtime)
        except FatalError as exc:
            # Name the file relative to the repo: that is how users refer to it.
            error = str(exc).replace(f"{root}{os.sep}", "", 1)
            report.errors.append(error)
        else:
            # the one redaction step before the index: a hand-edited or merged file may hold what
            # ao itself would never have written
            fields = {k: clean(v) if isinstance(v, str) and k in _TEXT_FIELDS else v
                      for k, v in fields.items()}
            cur = conn.execute(
                "INSERT INTO kn_docs(kind, title, body, tags, paths, author, ref, path, ts, utility, "
                "status) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (kind, fields["title"], fields["body"], fields["tags"], fields["paths"],
                 fields["author"], fields["ref"], rel, fields["ts"], fields["utility"],
                 fields["status"]),
            )
            docid = cur.lastrowid
            conn.execute(
                "INSERT INTO kn_doc_meta(docid, kind, ref, path, ts, utility, status, branch) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (docid, kind, fields["ref"], rel, fields["ts"], fields["utility"], fields["status"],
                 fields["branch"]))
            report.added += 1
        conn.execute("INSERT OR REPLACE INTO kn_files(path, mtime_ns, size, docid, error) "
                     "VALUES (?, ?, ?, ?, ?)", (rel, mtime, size, docid, error))
    if scanned:
        conn.executemany("INSERT OR REPLACE INTO kn_dir_state(dir, stamp, scanned_at) VALUES (?, ?, ?)",
                         [(directory, stamp, now) for directory, stamp in scanned.items()])


def _delete(conn: Any, docid: int) -> None:
    conn.execute("DELETE FROM kn_docs WHERE rowid = ?", (docid,))
    conn.execute("DELETE FROM kn_doc_meta WHERE docid = ?", (docid,))


def parse_time(value: Any, fallback_ns: int) -> int:
    if isinstance(value, dt.datetime):
        when = value if value.tzinfo else value.replace(tzinfo=dt.UTC)
        return int(when.timestamp())
    if isinstance(value, dt.date):
        return int(dt.datetime(value.year, value.month, value.day, tzinfo=dt.UTC).timestamp())
    if isinstance(value, str) and value:
        try:
            when = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
            if when.tzinfo is None:
                when = when.replace(tzinfo=dt.UTC)
            return int(when.timestamp())
        except ValueError:
            pass
    return fallback_ns // 1_000_000_000


_TEXT_FIELDS = frozenset({"title", "body", "tags", "paths", "author", "branch"})


def doc_fields(path: Path, kind: str, mtime_ns: int) -> dict[str, Any]:
    if kind == "session":
        return _session_fields(path, mtime_ns)
    doc = _read_fast(path)
    meta = doc.meta
    tags = meta.get("tags") or []
    if isinstance(tags, list):
        tags = " ".join(str(t) for t in tags)
    title = str(meta.get("title") or _heading(doc.body) or path.stem)
    source = meta.get("source") if isinstance(meta.get("source"), dict) else {}
    ref = str(meta.get("id") or path.stem)
    try:
        utility = float(meta.get("utility", 0.5))
    except (TypeError, ValueError):
        utility = 0.5
    when = meta.get("created") or meta.get("date") or meta.get("updated")
    return {
        "title": title, "body": doc.body, "tags": str(tags),
        "paths": " ".join(str(p) for p in (meta.get("paths") or meta.get("files") or []))
        if isinstance(meta.get("paths") or meta.get("files"), list) else "",
        "author": str(meta.get("author") or (source or {}).get("ref") or ""),
        "ref": ref, "ts": parse_time(when, mtime_ns), "utility": utility,
        "status": str(meta.get("status") or ("candidate" if kind == "candidate" else "active")),
        "branch": str(meta.get("branch") or ""),
    }


def _read_fast(path: Path) -> documents.Document:
    """Frontmatter via libyaml when available (pure-Python YAML is ~10x slower, which
    dominates indexing 10,000 learnings), split by the one boundary rule
    (`store.frontmatter`). Anything unusual goes through `documents.read`, so a broken
    file gets the same located error message."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        return documents.read(path)
    found = frontmatter.split(text)
    if found is not None:
        head, body = found
        yaml = documents._yaml()
        try:
            meta = yaml.load(head, Loader=documents._loader())  # noqa: S506 - a safe loader
        except yaml.YAMLError:
            return documents.read(path)
        if isinstance(meta, dict):
            return documents.Document(meta, body[1:] if body.startswith("\n") else body, path)
    return documents.read(path)


def _session_fields(path: Path, mtime_ns: int) -> dict[str, Any]:
    import orjson  # here: its import (with uuid and platform) costs ~6 ms on `ao prime`

    try:
        data = orjson.loads(path.read_bytes())
    except orjson.JSONDecodeError as exc:
        raise FatalError(f"{path}: invalid JSON: {exc}") from None
    if not isinstance(data, dict):
        raise FatalError(f"{path}: expected a JSON object")
    words = [str(v) for v in _leaves(data) if isinstance(v, str)]
    sid = str(data.get("session_id") or data.get("id") or path.stem)
    return {"title": str(data.get("title") or data.get("summary") or f"session {sid}"),
            "body": "\n".join(words), "tags": "", "paths": "", "author": str(data.get("agent") or ""),
            "ref": sid, "ts": parse_time(data.get("started") or data.get("start"), mtime_ns),
            "utility": 0.5, "status": "active", "branch": ""}


def _leaves(value: Any) -> list[Any]:
    if isinstance(value, dict):
        return [leaf for v in value.values() for leaf in _leaves(v)]
    if isinstance(value, list):
        return [leaf for v in value for leaf in _leaves(v)]
    return [value]


def _heading(body: str) -> str:
    for line in body.splitlines():
        if line.strip():
            return line.strip().lstrip("#").strip()[:200]
    return ""
