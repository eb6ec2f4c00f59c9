"""The derived index: migrations recorded once, corrupt or missing files rebuilt."""

from __future__ import annotations

import json
from pathlib import Path

from agentops_os.index import open_index, rebuild_index
from agentops_os.index.db import INDEX_FILE, schema_modules
from conftest import run_ao


def _all_migrations() -> list[str]:
    return [name for module in schema_modules() for name, _ in getattr(module, "MIGRATIONS", [])]


def test_migrations_are_applied_once_in_order(repo: Path) -> None:
    with open_index(repo) as index:
        first = [r[0] for r in index.conn.execute("SELECT name FROM _migrations ORDER BY rowid")]
    with open_index(repo) as index:
        second = [r[0] for r in index.conn.execute("SELECT name FROM _migrations ORDER BY rowid")]
        fts = index.conn.execute("SELECT sqlite_compileoption_used('ENABLE_FTS5')").fetchone()[0]
    assert first == second == _all_migrations()
    assert len(set(first)) == len(first)
    assert fts == 1


def test_corrupt_index_is_rebuilt(repo: Path) -> None:
    with open_index(repo) as index:
        index.conn.execute("INSERT INTO meta(key, value) VALUES ('probe', 'x')")
        index.conn.commit()
        path = index.path
    path.write_bytes(b"this is not a sqlite database" * 100)
    for suffix in ("-wal", "-shm"):
        Path(str(path) + suffix).unlink(missing_ok=True)
    with open_index(repo) as index:
        assert index.conn.execute("PRAGMA quick_check").fetchone()[0] == "ok"
        assert index.conn.execute("SELECT count(*) FROM meta WHERE key='probe'").fetchone()[0] == 0
        applied = index.conn.execute("SELECT name FROM _migrations ORDER BY rowid")
        assert [r[0] for r in applied] == _all_migrations()


def test_rebuild_and_ao_reindex(repo: Path) -> None:
    with rebuild_index(repo) as index:
        assert index.path == repo / ".agents" / ".index" / INDEX_FILE
    proc = run_ao("reindex", "--json")
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    assert data["migrations"] == len(_all_migrations())
    assert (repo / ".agents" / ".index" / INDEX_FILE).exists()


def test_reindex_outside_a_repo_is_a_usage_error(tmp_path: Path) -> None:
    outside = tmp_path / "plain"
    outside.mkdir()
    proc = run_ao("reindex", cwd=outside)
    assert proc.returncode == 2
    assert "not a git repository" in proc.stderr


def test_connections_opening_a_new_index_at_once_all_succeed(tmp_path: Path) -> None:
    """Several connections switching a brand-new file to WAL at the same moment: SQLite
    answers some of them SQLITE_BUSY without waiting (about 2 % of opens with four
    threads), which made parallel `ao search` on a repo without an index exit 2."""
    import sqlite3
    import threading

    from agentops_os.index.db import _connect, _migrate

    failures: list[str] = []

    def open_and_migrate(path: Path, start: threading.Barrier) -> None:
        start.wait()
        try:
            conn = _connect(path)
            _migrate(conn)
            conn.close()
        except sqlite3.Error as exc:
            failures.append(str(exc))

    for trial in range(40):
        path = tmp_path / f"i{trial}.sqlite3"
        start = threading.Barrier(4)
        threads = [threading.Thread(target=open_and_migrate, args=(path, start)) for _ in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert failures == []


def test_only_a_damaged_file_counts_as_damage(tmp_path: Path) -> None:
    """A lock held by another process must never make `ao` delete and rebuild the index."""
    import sqlite3

    import pytest

    from agentops_os.index.db import not_damage, unusable_message

    path = tmp_path / "i.sqlite3"
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("CREATE TABLE t(x)")
    holder.execute("BEGIN EXCLUSIVE")
    with pytest.raises(sqlite3.OperationalError) as locked:
        sqlite3.connect(path, timeout=0).execute("SELECT * FROM t").fetchall()
    holder.execute("COMMIT")
    assert not_damage(locked.value)
    assert unusable_message(path, locked.value).endswith("index is busy (locked by another ao process); "
                                                         "try again")
    garbage = tmp_path / "g.sqlite3"
    garbage.write_bytes(b"this is not a sqlite database" * 100)
    with pytest.raises(sqlite3.DatabaseError) as damaged:
        sqlite3.connect(garbage).execute("SELECT * FROM sqlite_master").fetchall()
    assert not not_damage(damaged.value)
