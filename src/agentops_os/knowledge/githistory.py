"""Index every reachable commit: subject, body (with trailers), author, date, changed paths.

A `git log` stream is parsed as it arrives and bulk-inserted in one transaction, so git and
Python work at the same time. Changed paths need a tree diff per commit, which costs git
about four times what the messages cost: with more than one CPU, `git diff-tree --stdin`
workers diff the trees of batches of commits while the message stream goes on
(`search.history_workers`).

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
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import TYPE_CHECKING, Any

from agentops_os import git
from agentops_os.errors import FatalError

if TYPE_CHECKING:
    from agentops_os.config import Config
    from agentops_os.index.db import Index

_FORMAT = "--format=%x1e%H%x1f%ct%x1f%an <%ae>%x1f%B%x1f"
# For the diff workers the message stream also carries each commit's tree and parents (in
# the sha field), so a worker diffs two trees without reading the commit again.
_TREE_FORMAT = "--format=%x1e%H %T %P%x1f%ct%x1f%an <%ae>%x1f%B%x1f"
# What `git log --name-only --no-renames` shows, for lines of "<old tree> <new tree>" (or a
# commit whose parent's tree is not known yet): root commits against the empty tree.
DIFF_ARGS = ["diff-tree", "--stdin", "-r", "-z", "--name-only", "--no-renames", "--root", "--always"]
EMPTY_TREE = {40: "4b825dc642cb6eb9a060e54bf8d69288fbee4904",
              64: "6ef19b41225c5369f1c104d45d8d85efa9b057b53b14b4b9b939dd74decc5321"}
STATE_KEY = "."
MAX_WORKERS = 4
BATCH = 8192  # commits per diff worker: ~0.3 s of git's time, so a process start is noise
HASH_BYTES = 16 << 20
RUN_SPAN = 1 << 32  # rowids one run may use; runs stack downward from the smallest rowid


@dataclass
class HistoryReport:
    new_commits: int = 0
    total_commits: int = 0
    shallow: bool = False
    skipped: int = 0
    workers: int = 1
    notes: list[str] = field(default_factory=list)


def log_args(paths: bool, trees: bool = False) -> list[str]:
    # -z: paths verbatim, NUL-terminated (not C-quoted), as the diff workers print them.
    args = ["-c", "core.quotePath=false", "log", "--all", "-z", _TREE_FORMAT if trees else _FORMAT,
            "--stdin"]
    if paths:
        # Renames detection costs a similarity check per commit and adds nothing to search.
        args += ["--name-only", "--no-renames"]
    return args


Row = tuple[str, str, str, str, str, int]


def parse_stream(chunks: Iterable[bytes], report: HistoryReport) -> Iterator[Row]:
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
    return title.strip(), body.strip(), _paths(paths), author, sha, when


def _paths(diff: str) -> str:
    """Changed paths, one per line, from what -z prints after a commit's format:
    NUL, then (if anything changed) a newline and NUL-terminated paths."""
    if diff.startswith("\0"):
        diff = diff[1:]
    if diff.startswith("\n"):
        diff = diff[1:]
    return "\n".join(path for path in diff.split("\0") if path)


class _Commit:
    """A message row waiting for its changed paths, and the diff-tree line that asks for them."""

    __slots__ = ("header", "line", "parent", "row", "tree")

    def __init__(self, row: Row) -> None:
        sha, tree, *parents = row[4].split()
        self.row = (row[0], row[1], "", row[3], sha, row[5])
        self.tree = tree
        self.line: str | None = None
        self.header = ""
        if not parents:
            self._pair(EMPTY_TREE.get(len(tree), EMPTY_TREE[40]))
        elif len(parents) == 1:  # merges show no paths in `git log` either
            self.line, self.header = f"{sha}\n", f"{sha}\0"  # until the parent's tree is known
        self.parent = parents[0] if len(parents) == 1 else None

    def _pair(self, old_tree: str) -> None:
        if old_tree == self.tree:
            self.line = None  # nothing changed
        else:
            self.line = self.header = f"{old_tree} {self.tree}\n"

    def follows(self, parent: _Commit) -> None:
        """`parent` came next in the stream: diff the two trees (the common case)."""
        if self.parent == parent.row[4]:
            self._pair(parent.tree)


def _commits(rows: Iterable[Row]) -> Iterator[_Commit]:
    """Each row as a `_Commit`, given one row later, once it is known whether its parent
    comes next."""
    previous: _Commit | None = None
    for row in rows:
        commit = _Commit(row)
        if previous is not None:
            previous.follows(commit)
            yield previous
        previous = commit
    if previous is not None:
        yield previous


def changed_paths(root: Path, commits: list[_Commit]) -> list[str]:
    """The `_paths` of each commit, in order, from one `git diff-tree --stdin`."""
    asked = [commit for commit in commits if commit.line is not None]
    if not asked:
        return ["" for _ in commits]
    out = b"".join(git.stream(DIFF_ARGS, root, input="".join(c.line or "" for c in asked).encode()))
    text = out.decode("utf-8", "replace")
    # Find each answer's header in turn: a path may contain anything but NUL.
    starts = []
    at = 0
    for commit in asked:
        at = text.find(commit.header, at)
        if at < 0:
            raise git.GitError(f"git diff-tree gave no answer for commit {commit.row[4]}")
        starts.append(at)
        at += len(commit.header)
    ends = [*starts[1:], len(text)]
    answers = iter([_paths(text[start + len(commit.header):end])
                    for commit, start, end in zip(asked, starts, ends, strict=True)])
    return ["" if commit.line is None else next(answers) for commit in commits]


def rows_with_diff_workers(root: Path, stdin: bytes, report: HistoryReport, workers: int,
                           batch: int = BATCH) -> Iterator[Row]:
    """The rows of `log_args(True)`, in the same order, from a message-only stream plus
    `workers` diff processes. At most two batches per worker wait for their paths, so a
    slow diff holds up the message stream instead of filling memory."""
    from concurrent.futures import Future, ThreadPoolExecutor

    commits = _commits(parse_stream(git.stream(log_args(False, trees=True), root, input=stdin), report))
    pending: deque[tuple[list[_Commit], Future[list[str]]]] = deque()

    def done(chunk: list[_Commit], paths: Future[list[str]]) -> Iterator[Row]:
        for commit, changed in zip(chunk, paths.result(), strict=True):
            title, body, _, author, sha, ts = commit.row
            yield title, body, changed, author, sha, ts

    with ThreadPoolExecutor(workers, thread_name_prefix="ao-diff") as pool:
        try:
            while chunk := list(islice(commits, batch)):
                pending.append((chunk, pool.submit(changed_paths, root, chunk)))
                while pending and (len(pending) > 2 * workers or pending[0][1].done()):
                    yield from done(*pending.popleft())
            while pending:
                yield from done(*pending.popleft())
        finally:
            for _, paths in pending:
                paths.cancel()


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
    conn.execute("BEGIN IMMEDIATE")
    try:
        old_tips, report.total_commits = _state(conn)
        if sorted(tips) != sorted(old_tips):
            known = git.existing_objects(root, old_tips)
            stdin = "".join(f"^{sha}\n" for sha in known).encode()
            if paths and report.workers > 1:
                rows = rows_with_diff_workers(root, stdin, report, report.workers)
            else:
                report.workers = 1
                rows = parse_stream(git.stream(log_args(paths), root, input=stdin), report)
            first = _first_rowid(conn)
            _bulk_settings(conn)
            cursor = conn.executemany(
                "INSERT INTO kn_commits(rowid, title, body, paths, author, sha, ts) "
                "VALUES (?, ?, ?, ?, ?, ?, ?)",
                ((first + n, *row) for n, row in enumerate(rows)),
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
