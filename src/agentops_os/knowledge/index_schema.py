"""Search tables of the knowledge domain (SQLite FTS5).

- `kn_docs`: everything under `.agents/` (learnings, candidates, handoffs, bundles,
  sessions, plans), the one index of them: `ao search`, `ao prime` and the SessionStart
  packet read it. Small; refreshed from file stats (`indexer.refresh_docs`).
- `kn_files`: which file produced which `kn_docs` row (and its parse error, if any).
- `kn_commits`: one row per reachable commit; ascending rowid is newest first, so "most
  recent matches first" is the index's native order (githistory numbers the rows).
- `kn_git_state`: the ref tips indexed last time, so the next run reads only new commits.

`detail=full` (the default): bm25() is ~3x cheaper per row than with `detail=column`,
and query time matters more than the slightly larger index.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from agentops_os.index.db import Index

_TOKENIZE = "tokenize = 'porter unicode61 remove_diacritics 2'"

MIGRATIONS: list[tuple[str, str]] = [
    (
        "knowledge_001_search",
        f"""
        CREATE VIRTUAL TABLE IF NOT EXISTS kn_docs USING fts5(
            kind, title, body, tags, paths, author,
            ref UNINDEXED, path UNINDEXED, ts UNINDEXED, utility UNINDEXED, status UNINDEXED,
            {_TOKENIZE}
        );
        CREATE TABLE IF NOT EXISTS kn_files (
            path TEXT PRIMARY KEY, mtime_ns INTEGER NOT NULL, size INTEGER NOT NULL,
            docid INTEGER, error TEXT
        );
        CREATE VIRTUAL TABLE IF NOT EXISTS kn_commits USING fts5(
            title, body, paths, author, sha UNINDEXED, ts UNINDEXED,
            {_TOKENIZE}
        );
        CREATE TABLE IF NOT EXISTS kn_git_state (
            repo TEXT PRIMARY KEY, tips TEXT NOT NULL, commits INTEGER NOT NULL,
            shallow INTEGER NOT NULL DEFAULT 0, updated REAL NOT NULL
        );
        """,
    ),
    (
        # Kind, date, utility and status apart from the FTS content: ranking reads them for
        # every match, and reading them from kn_docs would load each whole document.
        "knowledge_002_doc_meta",
        """
        CREATE TABLE IF NOT EXISTS kn_doc_meta (
            docid INTEGER PRIMARY KEY, kind TEXT NOT NULL, ref TEXT NOT NULL, path TEXT NOT NULL,
            ts INTEGER NOT NULL, utility REAL NOT NULL, status TEXT NOT NULL
        );
        DELETE FROM kn_docs;
        DELETE FROM kn_files;
        """,
    ),
    (
        # Per source directory: its mtime stamp and when it was last scanned file by file,
        # so `ao prime` can skip stat-ing thousands of unchanged files (indexer.refresh_docs).
        "knowledge_003_dir_state",
        """
        CREATE TABLE IF NOT EXISTS kn_dir_state (
            dir TEXT PRIMARY KEY, stamp TEXT NOT NULL, scanned_at REAL NOT NULL
        );
        """,
    ),
    (
        # Rowids now run newest first (git streams without --reverse): commits indexed in
        # the old order are dropped, and the next search reads the history again.
        "knowledge_004_commits_newest_first",
        f"""
        DROP TABLE IF EXISTS kn_commits;
        CREATE VIRTUAL TABLE kn_commits USING fts5(
            title, body, paths, author, sha UNINDEXED, ts UNINDEXED,
            {_TOKENIZE}
        );
        DELETE FROM kn_git_state;
        """,
    ),
    (
        # The one index of learnings and handoffs: the SessionStart packet and `ao prime`
        # read it alike (the context domain's own copy, context_*, is gone). A handoff's
        # branch is kept beside its date, for "the latest handoff on this branch"; the
        # documents are read again to fill it.
        "knowledge_005_one_index",
        """
        ALTER TABLE kn_doc_meta ADD COLUMN branch TEXT NOT NULL DEFAULT '';
        CREATE INDEX IF NOT EXISTS kn_doc_meta_latest ON kn_doc_meta(kind, branch, ts);
        DELETE FROM kn_docs;
        DELETE FROM kn_doc_meta;
        DELETE FROM kn_files;
        DELETE FROM kn_dir_state;
        DROP TABLE IF EXISTS context_docs;
        DROP TABLE IF EXISTS context_fts;
        DROP TABLE IF EXISTS context_dir_state;
        """,
    ),
]


def rebuild(index: Index) -> None:
    """Refill from `.agents/` and re-read the git history (after the DB was recreated)."""
    from agentops_os.knowledge import githistory, indexer

    indexer.refresh_docs(index)
    githistory.index_history(index, index.root, notify=_note_on_terminal)


def _note_on_terminal(message: str) -> None:
    """Long work says so on a terminal and stays quiet otherwise (DESIGN 3.2)."""
    import sys

    if sys.stderr.isatty():
        sys.stderr.write(message + "\n")
