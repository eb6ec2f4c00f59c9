from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from agentops_os.git import stream
from agentops_os.index import db
from agentops_os.knowledge.githistory import (
    HistoryReport,
    Row,
    _commits,
    index_history,
    log_args,
    parse_stream,
    rows_with_diff_workers,
)
from conftest import git, run_ao

# What `git log -z --name-only` prints: the format, NUL, then (if anything changed) a
# newline and NUL-terminated paths, verbatim.
STREAM = (
    "\x1eaaa\x1f1700000000\x1fAnn <a@x>\x1ffix: résumé ✓\n\nBody line\nRefs: #1\n\x1f"
    "\0\nsrc/a.py\0src/日本.py\0"
    "\x1ebbb\x1f1700000100\x1fBob <b@x>\x1fchore: bump\n\x1f\0"
    "\x1eccc\x1fnot-a-time\x1fEve <e@x>\x1fbroken\x1f\0"
).encode()


def test_rows_and_skips() -> None:
    report = HistoryReport()
    rows = list(parse_stream(iter([STREAM]), report))
    assert rows == [
        ("fix: résumé ✓", "Body line\nRefs: #1", "src/a.py\nsrc/日本.py", "Ann <a@x>", "aaa", 1700000000),
        ("chore: bump", "", "", "Bob <b@x>", "bbb", 1700000100),
    ]
    assert report.skipped == 1


@settings(max_examples=200, deadline=None)
@given(st.lists(st.integers(min_value=0, max_value=len(STREAM)), max_size=8))
def test_chunk_boundaries_never_change_the_rows(cuts: list[int]) -> None:
    points = sorted(set(cuts))
    chunks = [STREAM[a:b] for a, b in zip([0, *points], [*points, len(STREAM)], strict=True)]
    whole = list(parse_stream(iter([STREAM]), HistoryReport()))
    assert list(parse_stream(iter(chunks), HistoryReport())) == whole


# --- diff workers, row order, failures: against real git repositories -----------------

def _commit_files(repo: Path, files: dict[str, str | None], message: str) -> str:
    for name, text in files.items():
        path = repo / name
        if text is None:
            git(repo, "rm", "-q", name)
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
        git(repo, "add", name)
    git(repo, "commit", "-q", "--allow-empty", "-m", message)
    return git(repo, "rev-parse", "HEAD").strip()


@pytest.fixture
def history(repo: Path) -> Path:
    """Odd shapes: awkward names, an empty commit, a rename, a delete, a merge, and a
    second root commit on another branch."""
    _commit_files(repo, {"a b.txt": "1", "#notes": "2", 'd/né"q.py': "3", "tab\there": "4"},
                  "feat: awkward names")
    _commit_files(repo, {}, "chore: empty")
    git(repo, "mv", "a b.txt", "moved.txt")
    _commit_files(repo, {"d/x.py": "5"}, "refactor: move, plus one more\n\nBody ✓")
    git(repo, "checkout", "-q", "-b", "side")
    _commit_files(repo, {"side.py": "6", "#notes": None}, "feat(side): work")
    git(repo, "checkout", "-q", "main")
    _commit_files(repo, {"main.py": "7"}, "feat(main): work")
    git(repo, "merge", "-q", "--no-edit", "side")
    git(repo, "checkout", "-q", "--orphan", "other")
    _commit_files(repo, {"other.txt": "8"}, "other root")
    git(repo, "checkout", "-q", "main")
    return repo


def _one_log(repo: Path) -> list[Row]:
    return list(parse_stream(stream(log_args(True), repo), HistoryReport()))


@pytest.mark.parametrize("batch", [1, 2, 100])
def test_diff_workers_give_exactly_the_rows_of_one_git_log(history: Path, batch: int) -> None:
    expected = _one_log(history)
    assert len(expected) == 8
    by_title = {row[0]: row[2].split("\n") for row in expected}
    assert set(by_title["feat: awkward names"]) == {"a b.txt", "#notes", 'd/né"q.py', "tab\there"}
    assert set(by_title["refactor: move, plus one more"]) == {"a b.txt", "moved.txt", "d/x.py"}
    assert by_title["chore: empty"] == [""]
    rows = list(rows_with_diff_workers(history, b"", HistoryReport(), workers=2, batch=batch))
    assert rows == expected
    # The fixture asks diff-tree both ways (two trees; a commit whose parent is not next in
    # the stream) and skips merges and empty commits.
    asked = [c.line for c in _commits(parse_stream(stream(log_args(False, trees=True), history),
                                                   HistoryReport()))]
    assert {None if line is None else len(line.split()) for line in asked} == {None, 1, 2}


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(workers=st.integers(min_value=1, max_value=4), batch=st.integers(min_value=1, max_value=9))
def test_any_pool_shape_keeps_rows_and_order(history: Path, workers: int, batch: int) -> None:
    rows = list(rows_with_diff_workers(history, b"", HistoryReport(), workers=workers, batch=batch))
    assert rows == _one_log(history)


def _rowids(repo: Path) -> list[tuple[int, str]]:
    index = db.open_index(repo, rebuild_missing=False)
    try:
        return [(r[0], r[1]) for r in index.conn.execute("SELECT rowid, sha FROM kn_commits ORDER BY rowid")]
    finally:
        index.close()


@pytest.mark.parametrize("workers", [1, 2])
def test_ascending_rowid_is_newest_first_across_runs(repo: Path, workers: int) -> None:
    (repo / ".agents").mkdir()
    for n in range(3):
        _commit_files(repo, {f"f{n}.txt": str(n)}, f"feat: step {n}")
    index = db.open_index(repo, rebuild_missing=False)
    first = index_history(index, repo, workers=workers)
    assert (first.new_commits, first.workers) == (4, workers)
    for n in range(3, 5):
        _commit_files(repo, {f"f{n}.txt": str(n)}, f"feat: step {n}")
    second = index_history(index, repo, workers=workers)
    index.close()
    assert (second.new_commits, second.total_commits) == (2, 6)
    newest_first = git(repo, "log", "--format=%H").split()
    assert [sha for _, sha in _rowids(repo)] == newest_first


def test_a_diff_worker_failure_keeps_nothing_of_the_run(repo: Path) -> None:
    """The message walk reads commits only; a missing tree fails the diff workers. The run
    is rolled back and says so, as when the single `git log` fails."""
    (repo / ".agents").mkdir()
    _commit_files(repo, {"a.txt": "a"}, "feat: a")
    tree = git(repo, "rev-parse", "HEAD^{tree}").strip()
    (repo / ".git" / "objects" / tree[:2] / tree[2:]).unlink()
    for workers in (2, 1):
        index = db.open_index(repo, rebuild_missing=False)
        report = index_history(index, repo, workers=workers)
        kept = index.conn.execute("SELECT count(*) FROM kn_commits").fetchone()[0]
        index.close()
        assert (report.new_commits, kept) == (0, 0)
        assert any("git history could not be read" in note for note in report.notes)


def test_negative_history_workers_is_a_located_config_error(repo: Path) -> None:
    (repo / "agentops.toml").write_text("[search]\nhistory_workers = -1\n")
    proc = run_ao("search", "anything", cwd=repo)
    assert proc.returncode == 2
    assert proc.stderr.strip() == (f"ao: {repo / 'agentops.toml'}:2: 'search.history_workers' must be 0 "
                                   "(one per CPU) or more, got -1")


def test_migration_drops_commits_indexed_oldest_first(repo: Path) -> None:
    index = db.open_index(repo, rebuild_missing=False)
    conn = index.conn
    with conn:
        conn.execute("INSERT INTO kn_commits(rowid, title, body, paths, author, sha, ts) "
                     "VALUES (1, 't', '', '', 'a', 'abc', 0)")
        conn.execute("INSERT INTO kn_git_state(repo, tips, commits, shallow, updated) "
                     "VALUES ('.', '[]', 1, 0, 0)")
        conn.execute("DELETE FROM _migrations WHERE name = 'knowledge_004_commits_newest_first'")
    assert "knowledge_004_commits_newest_first" in db._migrate(conn)
    assert conn.execute("SELECT count(*) FROM kn_commits").fetchone()[0] == 0
    assert conn.execute("SELECT count(*) FROM kn_git_state").fetchone()[0] == 0
    index.close()
