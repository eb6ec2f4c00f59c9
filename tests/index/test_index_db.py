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
