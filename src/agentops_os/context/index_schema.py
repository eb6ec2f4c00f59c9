"""Index tables of the context domain: learnings and handoffs for `ao prime`.

`sync` keeps them fresh by file mtimes and sizes (one directory scan, re-reading only
changed files), so prime never reads every document; `rebuild` refills from scratch.
Standard library only: SessionStart runs this.
"""

from __future__ import annotations

import os
import sqlite3
import time
from pathlib import Path

from agentops_os.base.layout import AGENTS_DIR
from agentops_os.context.lite import split, title_of

KINDS = {"learnings": "learning", "handoffs": "handoff"}
EXCERPT_CHARS = 1200

MIGRATIONS: list[tuple[str, str]] = [
    (
        "context_001_docs",
        """
        CREATE TABLE IF NOT EXISTS context_docs (
            id INTEGER PRIMARY KEY,
            path TEXT NOT NULL UNIQUE,
            kind TEXT NOT NULL,
            mtime_ns INTEGER NOT NULL,
            size INTEGER NOT NULL,
            title TEXT NOT NULL,
            branch TEXT,
            created TEXT,
            excerpt TEXT NOT NULL
        );
        CREATE INDEX IF NOT EXISTS context_docs_latest ON context_docs(kind, branch, created);
        CREATE VIRTUAL TABLE IF NOT EXISTS context_fts USING fts5(
            title, body, tokenize = 'porter unicode61'
        );
        """,
    ),
    (
        "context_002_dir_state",
        """
        CREATE TABLE IF NOT EXISTS context_dir_state (
            dir TEXT PRIMARY KEY,
            mtime_ns INTEGER NOT NULL,
            scanned_at REAL NOT NULL
        );
        """,
    ),
    (
        "context_003_stamp_index",
        # Covering index: the freshness scan reads (path, mtime, size) of every row
        # without touching the wide rows (their excerpts).
        """
        CREATE INDEX IF NOT EXISTS context_docs_stamp ON context_docs(kind, path, mtime_ns, size, id);
        """,
    ),
]
RESCAN_SECONDS = 300.0


def rebuild(index: object) -> None:
    conn: sqlite3.Connection = index.conn  # type: ignore[attr-defined]
    root: Path = index.root  # type: ignore[attr-defined]
    sync(conn, root)


def sync(conn: sqlite3.Connection, root: Path, *, rescan_seconds: float = RESCAN_SECONDS) -> int:
    """Bring the tables up to date with `.agents/learnings` and `.agents/handoffs`.

    Fast path: a directory whose mtime is unchanged since it was last scanned, scanned
    less than `rescan_seconds` ago, is skipped without a stat per file. Store writes are
    atomic renames, which change the directory's mtime; an in-place edit by hand is
    picked up by the periodic full scan (or `ao reindex`). Returns documents re-read."""
    changed = 0
    base = root / AGENTS_DIR
    now = time.time()
    state = {row[0]: (row[1], row[2]) for row in conn.execute(
        "SELECT dir, mtime_ns, scanned_at FROM context_dir_state")}
    for directory, kind in KINDS.items():
        try:
            dir_mtime = os.stat(base / directory).st_mtime_ns
        except FileNotFoundError:
            dir_mtime = 0
        seen = state.get(directory)
        if seen and seen[0] == dir_mtime and now - seen[1] < rescan_seconds:
            continue
        on_disk: dict[str, tuple[int, int]] = {}
        try:
            with os.scandir(base / directory) as entries:
                for entry in entries:
                    if entry.name.endswith(".md") and entry.is_file():
                        st = entry.stat()
                        on_disk[f"{directory}/{entry.name}"] = (st.st_mtime_ns, st.st_size)
        except FileNotFoundError:
            pass
        ids: dict[str, int] = {}
        known: dict[str, tuple[int, int]] = {}
        for path, mtime_ns, size, doc_id in conn.execute(
                "SELECT path, mtime_ns, size, id FROM context_docs WHERE kind = ?", (kind,)):
            known[path] = (mtime_ns, size)
            ids[path] = doc_id
        stale = [p for p, stamp in on_disk.items() if known.get(p) != stamp]
        gone = [ids[p] for p in known if p not in on_disk]
        with conn:
            conn.execute("INSERT OR REPLACE INTO context_dir_state(dir, mtime_ns, scanned_at) "
                         "VALUES (?, ?, ?)", (directory, dir_mtime, now))
            for doc_id in gone:
                conn.execute("DELETE FROM context_docs WHERE id = ?", (doc_id,))
                conn.execute("DELETE FROM context_fts WHERE rowid = ?", (doc_id,))
            for rel in sorted(stale):
                _upsert(conn, base, rel, kind, on_disk[rel], ids.get(rel))
                changed += 1
    return changed


def _upsert(conn: sqlite3.Connection, base: Path, rel: str, kind: str,
            stamp: tuple[int, int], doc_id: int | None) -> None:
    try:
        text = (base / rel).read_text(encoding="utf-8", errors="replace")
    except OSError:
        return
    from agentops_os.store.redact import redact_text, redact_value  # the index gets the one step too

    meta, body = split(text)
    meta, body = redact_value(meta), redact_text(body)
    title = title_of(meta, body, Path(rel).stem)
    created = meta.get("created") or meta.get("date") or ""
    lines = [line.rstrip() for line in body.splitlines() if line.strip()]
    excerpt = "\n".join(lines)[:EXCERPT_CHARS]
    if doc_id is not None:
        conn.execute("DELETE FROM context_fts WHERE rowid = ?", (doc_id,))
        conn.execute(
            "UPDATE context_docs SET mtime_ns=?, size=?, title=?, branch=?, created=?, excerpt=? "
            "WHERE id=?", (*stamp, title, meta.get("branch"), created, excerpt, doc_id))
    else:
        doc_id = conn.execute(
            "INSERT INTO context_docs(path, kind, mtime_ns, size, title, branch, created, excerpt) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (rel, kind, *stamp, title, meta.get("branch"), created, excerpt)).lastrowid
    conn.execute("INSERT INTO context_fts(rowid, title, body) VALUES (?, ?, ?)", (doc_id, title, body))
