"""The diff-worker pipeline against one `git log --name-only`: shapes the fixture in
test_knowledge_githistory does not have, and the stream parser's fast path."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from agentops_os.git import stream
from agentops_os.index import db
from agentops_os.knowledge.githistory import (
    HistoryReport,
    _column_stream,
    _Pipeline,
    index_history,
    log_args,
    parse_stream,
    rows_with_diff_workers,
)
from conftest import git


def _at(repo: Path, when: int, *args: str) -> None:
    env = {"GIT_AUTHOR_DATE": f"{when} +0000", "GIT_COMMITTER_DATE": f"{when} +0000"}
    old = {name: os.environ.get(name) for name in env}
    os.environ.update(env)
    try:
        git(repo, *args)
    finally:
        for name, value in old.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def _one_log(repo: Path) -> list[tuple[str, str, str, str, str, int]]:
    return list(parse_stream(stream(log_args(True), repo), HistoryReport()))


def test_a_path_named_like_the_next_commit_is_not_taken_for_its_answer(repo: Path) -> None:
    """`git notes` commits change paths named after the commits they annotate. When the
    annotated commit comes next in the stream and its parent does not follow it (so the
    worker is sent the commit, and answers "<sha>\\0" first), the note's path must not be
    read as that answer's start."""
    base = 1_700_000_000
    _at(repo, base + 10, "notes", "add", "-m", "first note", "HEAD")  # the notes root
    git(repo, "checkout", "-q", "-b", "side")
    (repo / "side.txt").write_text("s\n")
    git(repo, "add", "side.txt")
    _at(repo, base + 20, "commit", "-q", "-m", "side work")
    git(repo, "checkout", "-q", "main")
    (repo / "main.txt").write_text("m\n")
    git(repo, "add", "main.txt")
    _at(repo, base + 30, "commit", "-q", "-m", "main work")  # its parent is not next
    annotated = git(repo, "rev-parse", "HEAD").strip()
    _at(repo, base + 40, "notes", "add", "-m", "second note", "HEAD")  # nor is this one's
    expected = _one_log(repo)
    by_sha = {row[4]: row for row in expected}
    assert annotated in by_sha[git(repo, "rev-parse", "refs/notes/commits").strip()][2].split("\n")
    assert by_sha[annotated][2] == "main.txt"
    for workers, batch in [(1, 1), (1, 100), (2, 1), (2, 3), (4, 100)]:
        assert list(rows_with_diff_workers(repo, b"", HistoryReport(), workers, batch)) == expected


@pytest.mark.parametrize("message", ["odd \x1f field", "odd \x1e record", "a\x1f\x1f\x1f\x1fb\x1ec"])
def test_separators_in_a_message_fall_back_to_one_record_at_a_time(message: str) -> None:
    good = b"\x1eaaa\x1f1700000000\x1fAnn <a@x>\x1ffix: one\n\nBody\n\x1f\0"
    odd = f"\x1ebbb\x1f1700000100\x1fBob <b@x>\x1f{message}\n\x1f\0".encode()
    late = b"\x1eccc\x1f1700000200\x1fCy <c@x>\x1fchore: three\n\x1f\0"
    data = good + odd + late
    fast, slow = HistoryReport(), HistoryReport()
    rows = [row for columns in _column_stream([data], fast, paths=False) for row in columns.rows()]
    assert rows == list(parse_stream([data], slow))
    assert fast.skipped == slow.skipped >= 1
    assert {row[4] for row in rows} >= {"aaa", "ccc"}


def test_a_bad_date_is_skipped_the_same_way_on_the_fast_path() -> None:
    data = (b"\x1eaaa\x1f1700000000\x1fAnn <a@x>\x1fone\n\x1f\0"
            b"\x1ebbb\x1fnot-a-time\x1fBob <b@x>\x1ftwo\n\x1f\0")
    report = HistoryReport()
    rows = [row for columns in _column_stream([data], report, paths=False) for row in columns.rows()]
    assert rows == [("one", "", "", "Ann <a@x>", "aaa", 1700000000)]
    assert report.skipped == 1


def test_a_consumer_that_stops_early_leaves_no_git_running(history_like: Path) -> None:
    pipeline = _Pipeline(history_like, b"", HistoryReport(), paths=True, diff_workers=2, batch=1)
    for _ in pipeline:
        break
    assert all(proc.poll() is not None for proc in pipeline.procs)
    assert not pipeline.log_reader.is_alive()
    assert not any(w.reader.is_alive() or w.writer.is_alive() for w in pipeline.workers)


@pytest.fixture
def history_like(repo: Path) -> Path:
    for n in range(40):
        (repo / f"f{n % 7}.txt").write_text(str(n))
        git(repo, "add", "-A")
        git(repo, "commit", "-q", "-m", f"feat: step {n}")
    return repo


def test_paths_holding_newlines_and_header_lookalikes(repo: Path) -> None:
    """A newline in a path turns off the one-split reading of a batch; a path that reads
    like the next answer's header must not be taken for it either way."""
    tree = git(repo, "rev-parse", "HEAD^{tree}").strip()
    names = ["new\nline.txt", f"{tree} {tree}", f"x\n{tree} {tree}\ny", "plain.txt"]
    for n, name in enumerate(names):
        (repo / name).write_text(str(n))
        git(repo, "add", "--", name)
        git(repo, "commit", "-q", "-m", f"feat: {n}")
    (repo / "plain.txt").write_text("again")
    git(repo, "commit", "-q", "-am", "fix: again")
    expected = _one_log(repo)
    assert {row[2] for row in expected} >= set(names)
    for workers, batch in [(1, 1), (1, 2), (2, 100), (3, 3)]:
        assert list(rows_with_diff_workers(repo, b"", HistoryReport(), workers, batch)) == expected


def test_the_build_leaves_the_connection_as_durable_as_it_found_it(history_like: Path) -> None:
    (history_like / ".agents").mkdir()
    index = db.open_index(history_like, rebuild_missing=False)
    try:
        before = index.conn.execute("PRAGMA synchronous").fetchone()[0]
        report = index_history(index, history_like, workers=2)
        assert report.new_commits == 41
        assert index.conn.execute("PRAGMA synchronous").fetchone()[0] == before
    finally:
        index.close()
