"""Index every reachable commit: subject, body (with trailers), author, date, changed paths.

One `git log` streams the messages; the caller's thread parses them in batches and bulk-
inserts finished batches in one transaction, while git runs alongside. Changed paths need
a tree diff per commit, which costs git about three times what the messages cost: with
more than one CPU, long-lived `git diff-tree --stdin` workers are fed the "<parent tree>
<tree>" pairs of each batch (the message stream carries each commit's tree and parents)
while the message stream goes on (`search.history_workers`). A marker line after each
batch makes diff-tree echo it and flush, so a batch is complete when its marker arrives,
and no git process is started per batch. The other threads only move bytes: Python work
there would hold the GIL, and SQLite, which releases it for each row it inserts, would
wait for it row by row.

Commits arrive newest first: `--reverse` would make git walk the whole history before
printing a line. A run numbers its rows upward from below the smallest rowid indexed so
far, so ascending rowid is newest first across runs too, the order searches read.
The ref tips are remembered: the next run asks git only for commits not reachable from
them (`--not <old tips>`).
"""

from __future__ import annotations

import contextlib
import json
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from agentops_os import git
from agentops_os.errors import FatalError
from agentops_os.knowledge.gitdiff import _Pipeline, rows_with_diff_workers
from agentops_os.knowledge.gitlog import (
    HistoryReport,
    Row,
    _column_stream,
    _commits,
    log_args,
    parse_stream,
)

__all__ = ["HistoryReport", "Row", "_Pipeline", "_column_stream", "_commits", "history_workers",
           "index_history", "log_args", "parse_stream", "rows_with_diff_workers"]

if TYPE_CHECKING:

    from agentops_os.config import Config
    from agentops_os.index.db import Index

STATE_KEY = "."
MAX_WORKERS = 4
HASH_BYTES = 16 << 20
RUN_SPAN = 1 << 32  # rowids one run may use; runs stack downward from the smallest rowid


def history_workers(config: Config) -> int:
    """`search.history_workers` (0 = one per usable CPU, at most MAX_WORKERS), checked."""
    from agentops_os.parallel import worker_count

    setting = config.get("search.history_workers", 0)
    if not isinstance(setting, int) or isinstance(setting, bool) or setting < 0:
        raise FatalError(config.located(
            "search.history_workers",
            f"'search.history_workers' must be 0 (one per CPU) or more, got {setting!r}"))
    return worker_count(setting, MAX_WORKERS)


def _state(conn: Any) -> tuple[list[str], int]:
    row = conn.execute("SELECT tips, commits FROM kn_git_state WHERE repo = ?", (STATE_KEY,)).fetchone()
    return (json.loads(row["tips"]) if row else []), (int(row["commits"]) if row else 0)


def _bulk_settings(conn: Any) -> None:
    """Let FTS5 gather 16 MB of terms in memory (not 1 MB) before writing a segment: on a
    million commits that is a fifth less CPU for the insert. Kept in the table's config;
    an SQLite without the option just writes smaller segments."""
    import sqlite3

    with contextlib.suppress(sqlite3.OperationalError):
        conn.execute("INSERT INTO kn_commits(kn_commits, rank) VALUES ('hashsize', ?)", (HASH_BYTES,))


def _first_rowid(conn: Any) -> int:
    """Where this run's rows start: 1 in an empty index, else RUN_SPAN below the smallest
    rowid, so this run's (newer) commits sort before every commit indexed earlier."""
    row = conn.execute("SELECT rowid FROM kn_commits ORDER BY rowid LIMIT 1").fetchone()
    return 1 if row is None else int(row[0]) - RUN_SPAN


def index_history(index: Index, root: Path, *, paths: bool | None = None, workers: int | None = None,
                  notify: Callable[[str], None] | None = None) -> HistoryReport:
    """Add commits not yet indexed. On a git failure nothing of this run is kept.

    Two searches may start at once: the state is re-read under the write lock
    (BEGIN IMMEDIATE), so the second one finds the first one's work and adds nothing twice.
    `paths` and `workers` default to the `search.index_paths` and `search.history_workers`
    settings.
    """
    report = HistoryReport()
    conn = index.conn
    if paths is None or workers is None:
        from agentops_os.config import load_config

        config = load_config(root)
        paths = bool(config.get("search.index_paths", True)) if paths is None else paths
        workers = history_workers(config) if workers is None else workers
    report.workers = workers
    old_tips, report.total_commits = _state(conn)
    tips, report.shallow = git.tips_and_shallow(root)
    if not tips or sorted(tips) == sorted(old_tips):
        _shallow_note(report)
        return report
    if notify is not None and not old_tips:
        notify(f"indexing the git history of {root} (first run; later runs read only new commits)")
    # The rows are derived data, read again from git if lost: should a power loss in the
    # seconds after the build damage the file, a damaged page raises DatabaseError and
    # `ao reindex` (or open_index, when the header is gone) rebuilds it. Not waiting for
    # the disk saves two fsyncs of the whole new index (a tenth of a small build).
    durable = conn.execute("PRAGMA synchronous").fetchone()[0]
    conn.execute("PRAGMA synchronous=OFF")
    try:
        return _index_new_commits(conn, root, report, old_tips=old_tips, tips=tips, paths=paths)
    finally:
        conn.execute(f"PRAGMA synchronous={int(durable)}")


def _index_new_commits(conn: Any, root: Path, report: HistoryReport, *, old_tips: list[str],
                       tips: list[str], paths: bool) -> HistoryReport:
    conn.execute("BEGIN IMMEDIATE")
    try:
        old_tips, report.total_commits = _state(conn)
        if sorted(tips) != sorted(old_tips):
            known = git.existing_objects(root, old_tips)
            stdin = "".join(f"^{sha}\n" for sha in known).encode()
            if not (paths and report.workers > 1):
                report.workers = 1
            first = _first_rowid(conn)
            _bulk_settings(conn)
            insert = ("INSERT INTO kn_commits(rowid, title, body, paths, author, sha, ts) "
                      "VALUES (?, ?, ?, ?, ?, ?, ?)")
            pipeline = _Pipeline(root, stdin, report, paths=paths,
                                 diff_workers=report.workers if report.workers > 1 else 0)
            # Closed at once on a failure, not when the traceback lets go of it: git stops.
            with contextlib.closing(iter(pipeline)) as batches:
                for batch in batches:
                    start = first + report.new_commits
                    report.new_commits += len(batch.columns.shas)
                    conn.executemany(insert, zip(range(start, first + report.new_commits),
                                                 *batch.columns, strict=True))
            report.total_commits += report.new_commits
            conn.execute(
                "INSERT OR REPLACE INTO kn_git_state(repo, tips, commits, shallow, updated) "
                "VALUES (?, ?, ?, ?, ?)",
                (STATE_KEY, json.dumps(tips), report.total_commits, int(report.shallow), time.time()),
            )
        conn.commit()
    except git.GitError as exc:
        conn.rollback()
        report.new_commits = 0
        report.notes.append(
            f"{root}: git history could not be read ({exc}); "
            f"search covers {report.total_commits} commits indexed earlier plus .agents/")
        return report
    except BaseException:
        conn.rollback()
        raise
    if report.skipped:
        report.notes.append(f"{report.skipped} commits could not be parsed and were skipped")
    _shallow_note(report)
    return report


def _shallow_note(report: HistoryReport) -> None:
    if report.shallow:
        report.notes.append(
            f"shallow clone: indexed the {report.total_commits} commits present locally; "
            "run `git fetch --unshallow` to search the full history")
