"""Index every reachable commit: subject, body (with trailers), author, date, changed paths.

One `git log` stream is parsed as it arrives and bulk-inserted in one transaction, so
git and Python work at the same time. The ref tips are remembered: the next run asks git
only for commits not reachable from them (`--not <old tips>`).
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from agentops_os import git

if TYPE_CHECKING:
    from agentops_os.index.db import Index

_FORMAT = "--format=%x1e%H%x1f%ct%x1f%an <%ae>%x1f%B%x1f"
STATE_KEY = "."


@dataclass
class HistoryReport:
    new_commits: int = 0
    total_commits: int = 0
    shallow: bool = False
    skipped: int = 0
    notes: list[str] = field(default_factory=list)


def log_args(paths: bool) -> list[str]:
    args = ["-c", "core.quotePath=false", "log", "--all", "--reverse", _FORMAT, "--stdin"]
    if paths:
        # Renames detection costs a similarity check per commit and adds nothing to search.
        args += ["--name-only", "--no-renames"]
    return args


Row = tuple[str, str, str, str, str, int]


def parse_stream(chunks: Iterator[bytes], report: HistoryReport) -> Iterator[Row]:
    """(title, body, paths, author, sha, ts) per commit from the `log_args` output.

    Complete records are decoded in one call per chunk (not four per commit): on a
    million commits the per-field decodes cost more than the split itself.
    """
    tail = b""
    for chunk in chunks:
        data = tail + chunk
        cut = data.rfind(b"\x1e")
        if cut <= 0:
            tail = data
            continue
        tail = data[cut:]
        for record in data[:cut].decode("utf-8", "replace").split("\x1e"):
            row = _row(record, report)
            if row is not None:
                yield row
    if tail:
        for record in tail.decode("utf-8", "replace").split("\x1e"):
            row = _row(record, report)
            if row is not None:
                yield row


def _row(record: str, report: HistoryReport) -> Row | None:
    if not record.strip():
        return None
    fields = record.split("\x1f")
    if len(fields) != 5:
        report.skipped += 1  # a message containing our separators: counted, reported
        return None
    sha, ts, author, message, paths = fields
    title, _, body = message.partition("\n")
    try:
        when = int(ts)
    except ValueError:
        report.skipped += 1
        return None
    return title.strip(), body.strip(), paths.strip(), author, sha, when


def _state(conn: Any) -> tuple[list[str], int]:
    row = conn.execute("SELECT tips, commits FROM kn_git_state WHERE repo = ?", (STATE_KEY,)).fetchone()
    return (json.loads(row["tips"]) if row else []), (int(row["commits"]) if row else 0)


def index_history(index: Index, root: Path, *, paths: bool | None = None,
                  notify: Callable[[str], None] | None = None) -> HistoryReport:
    """Add commits not yet indexed. On a git failure nothing of this run is kept.

    Two searches may start at once: the state is re-read under the write lock
    (BEGIN IMMEDIATE), so the second one finds the first one's work and adds nothing twice.
    """
    report = HistoryReport()
    conn = index.conn
    if paths is None:
        from agentops_os.config import load_config

        paths = bool(load_config(root).get("search.index_paths", True))
    old_tips, report.total_commits = _state(conn)
    tips, report.shallow = git.tips_and_shallow(root)
    if not tips or sorted(tips) == sorted(old_tips):
        _shallow_note(report)
        return report
    if notify is not None and not old_tips:
        notify(f"indexing the git history of {root} (first run; later runs read only new commits)")
    conn.execute("BEGIN IMMEDIATE")
    try:
        old_tips, report.total_commits = _state(conn)
        if sorted(tips) != sorted(old_tips):
            known = git.existing_objects(root, old_tips)
            stdin = "".join(f"^{sha}\n" for sha in known).encode()
            cursor = conn.executemany(
                "INSERT INTO kn_commits(title, body, paths, author, sha, ts) VALUES (?, ?, ?, ?, ?, ?)",
                parse_stream(git.stream(log_args(paths), root, input=stdin), report),
            )
            report.new_commits = max(cursor.rowcount, 0)
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
