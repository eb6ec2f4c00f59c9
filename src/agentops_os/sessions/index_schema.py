"""Index tables of the session ledger.

- `sessions_files`: ingest state per transcript file (identity, size, offset, facts so far);
  derived: when lost, every transcript is simply read again.
- `sessions_requests`: one row per deduplicated model request (Claude `message.id` +
  `requestId`; one Codex `token_count` delta), with both the first-seen and the final usage.
- `sessions_usage`: requests summed per session, 15-minute slot, model, tier (what the
  daily/monthly/session reports read; refreshed for the sessions an ingest touched).
- `sessions_ledger`: one row per session, refilled from `.agents/sessions/*.json` by `rebuild`.
"""

from __future__ import annotations

from typing import Any

MIGRATIONS: list[tuple[str, str]] = [
    (
        "sessions_001_tables",
        """
        CREATE TABLE IF NOT EXISTS sessions_files (
            id INTEGER PRIMARY KEY,
            path TEXT NOT NULL UNIQUE,
            dev INTEGER, ino INTEGER, size INTEGER, mtime_ns INTEGER,
            head_len INTEGER, head_hash TEXT,
            offset INTEGER NOT NULL DEFAULT 0, line INTEGER NOT NULL DEFAULT 1,
            agent TEXT, session_key TEXT, cwd TEXT,
            lines INTEGER NOT NULL DEFAULT 0, malformed INTEGER NOT NULL DEFAULT 0,
            unknown INTEGER NOT NULL DEFAULT 0,
            facts TEXT
        );
        CREATE INDEX IF NOT EXISTS sessions_files_session ON sessions_files(session_key);
        CREATE TABLE IF NOT EXISTS sessions_requests (
            id INTEGER PRIMARY KEY,  -- insertion order: rows append, pages stay hot
            key INTEGER NOT NULL UNIQUE,  -- 64-bit hash of the request identity
            session_key TEXT NOT NULL,
            file INTEGER NOT NULL,  -- sessions_files.id
            ts REAL NOT NULL,
            f_ts REAL NOT NULL,
            model TEXT,
            sidechain INTEGER NOT NULL DEFAULT 0,
            long_ctx INTEGER NOT NULL DEFAULT 0,
            ctx INTEGER NOT NULL DEFAULT 0,
            f_input INTEGER NOT NULL DEFAULT 0, f_output INTEGER NOT NULL DEFAULT 0,
            f_cw5m INTEGER NOT NULL DEFAULT 0, f_cw1h INTEGER NOT NULL DEFAULT 0,
            f_cr INTEGER NOT NULL DEFAULT 0, f_cost REAL,
            input INTEGER NOT NULL DEFAULT 0, output INTEGER NOT NULL DEFAULT 0,
            cw5m INTEGER NOT NULL DEFAULT 0, cw1h INTEGER NOT NULL DEFAULT 0,
            cr INTEGER NOT NULL DEFAULT 0, cost REAL
        );
        CREATE INDEX IF NOT EXISTS sessions_requests_session ON sessions_requests(session_key);
        CREATE TABLE IF NOT EXISTS sessions_ledger (
            key TEXT PRIMARY KEY,
            agent TEXT NOT NULL,
            session_id TEXT NOT NULL,
            cwd TEXT,
            in_repo INTEGER NOT NULL DEFAULT 0,
            start REAL, end REAL,
            summary TEXT NOT NULL
        );
        CREATE INDEX IF NOT EXISTS sessions_ledger_start ON sessions_ledger(start);
        """,
    ),
    (
        "sessions_002_usage_rollup",
        """
        CREATE TABLE IF NOT EXISTS sessions_usage (
            session_key TEXT NOT NULL,
            mode TEXT NOT NULL,          -- dedup rule: final | first
            q INTEGER NOT NULL,          -- 15-minute slot: floor(ts / 900); local days are whole slots
            model TEXT,
            long_ctx INTEGER NOT NULL,
            has_cost INTEGER NOT NULL,
            n INTEGER NOT NULL,
            input INTEGER NOT NULL, output INTEGER NOT NULL, cw5m INTEGER NOT NULL,
            cw1h INTEGER NOT NULL, cr INTEGER NOT NULL, cost REAL
        );
        CREATE INDEX IF NOT EXISTS sessions_usage_mode_q ON sessions_usage(mode, q);
        CREATE INDEX IF NOT EXISTS sessions_usage_session ON sessions_usage(session_key);
        """,
    ),
    (
        # No index on `file`: it cost every insert of a cold ingest (a tenth of its index
        # writes) to spare the rare rewritten transcript one table scan. Rows stay in
        # insertion order (the rowid), so one session's rows share pages for the rollup.
        "sessions_003_no_file_index",
        "DROP INDEX IF EXISTS sessions_requests_file;",
    ),
    (
        # Sessions whose requests changed but whose rollup and summary are not yet
        # refreshed: written in the ingest's own transaction, cleared with the summaries,
        # so a crash in between is repaired by the next ingest.
        "sessions_004_pending",
        "CREATE TABLE IF NOT EXISTS sessions_pending (key TEXT PRIMARY KEY);",
    ),
]


def rebuild(index: Any) -> None:
    """Refill the ledger from the JSON summaries; requests come back with the next ingest."""
    from agentops_os.sessions.ledger import refill_ledger

    refill_ledger(index)
