"""Open, migrate, check and rebuild the derived index.

Schema changes are an ordered list of small migrations per domain; the applied ones are
recorded in `_migrations`. Nothing lives only here: if the file is missing or corrupt it
is deleted and rebuilt from `.agents/` (each domain's `rebuild`).
"""

from __future__ import annotations

import contextlib
import importlib
import sqlite3
import time
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

from agentops_os.errors import FatalError
from agentops_os.repo import index_dir

INDEX_FILE = "index.sqlite3"


def schema_modules() -> list[ModuleType]:
    """Core first, then every `agentops_os/<domain>/index_schema.py` by domain name."""
    package = Path(__file__).resolve().parent.parent
    modules = [importlib.import_module("agentops_os.index.core_schema")]
    for path in sorted(package.glob("*/index_schema.py")):
        modules.append(importlib.import_module(f"agentops_os.{path.parent.name}.index_schema"))
    return modules


class Index:
    """A migrated connection to the index, plus the repo root it belongs to."""

    def __init__(self, root: Path, conn: sqlite3.Connection, path: Path) -> None:
        self.root = root
        self.conn = conn
        self.path = path

    def close(self) -> None:
        self.conn.close()

    def connect_again(self) -> sqlite3.Connection:
        """Another connection to the same (already migrated) index, e.g. for a thread."""
        return _connect(self.path)

    def __enter__(self) -> Index:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextlib.contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        with self.conn:
            yield self.conn


def _connect(path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(path, timeout=30, isolation_level=None)
    conn.row_factory = sqlite3.Row
    _enter_wal(conn)
    conn.execute("PRAGMA synchronous=NORMAL")
    conn.execute("PRAGMA foreign_keys=ON")
    conn.isolation_level = "DEFERRED"  # implicit transactions again, for `with conn:`
    return conn


def _enter_wal(conn: sqlite3.Connection, wait_seconds: float = 30.0) -> None:
    """Switch to WAL, waiting out other processes that create the same file.

    When several `ao` processes open a new index at once, `PRAGMA journal_mode=WAL` can
    fail with SQLITE_BUSY at once, without the connection's busy timeout being applied
    (about one open in sixteen with four processes). Three parallel `ao search` on a repo
    without an index then exited with "index is busy"; the switch is retried instead.
    """
    deadline = time.monotonic() + wait_seconds
    delay = 0.002
    while True:
        try:
            conn.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as exc:
            if not busy(exc) or time.monotonic() >= deadline:
                raise
            time.sleep(delay)
            delay = min(delay * 2, 0.05)


def _migrate(conn: sqlite3.Connection) -> list[str]:
    """Apply the migrations not yet recorded, all in one write transaction.

    Several `ao` processes may open a new index at once (parallel `ao search`, hooks).
    The applied set is read again under the write lock (BEGIN IMMEDIATE): reading it
    before the lock let a second process re-run migrations the first had just applied.
    Its `INSERT INTO _migrations` then failed (UNIQUE), `open_index` took that for a
    corrupt file and deleted the index under the other processes, and a re-run
    `knowledge_004` dropped `kn_commits` after another process had filled it (DDL runs in
    autocommit under Python's implicit transactions, so the drop was not even undone).
    """
    pending = _pending(conn, _done(conn))
    if not pending:  # the common case: no write lock taken
        return []
    conn.execute("BEGIN IMMEDIATE")
    try:
        conn.execute(
            "CREATE TABLE IF NOT EXISTS _migrations (name TEXT PRIMARY KEY, applied_at REAL NOT NULL)"
        )
        pending = _pending(conn, _done(conn))
        for name, script in pending:
            for statement in _statements(script):
                conn.execute(statement)
            conn.execute(
                "INSERT INTO _migrations(name, applied_at) VALUES (?, ?)", (name, time.time())
            )
        conn.commit()
    except BaseException:
        conn.rollback()
        raise
    return [name for name, _ in pending]


def _done(conn: sqlite3.Connection) -> set[str]:
    try:
        return {row[0] for row in conn.execute("SELECT name FROM _migrations")}
    except sqlite3.OperationalError as exc:
        if "no such table" not in str(exc):
            raise
        return set()


def _pending(conn: sqlite3.Connection, done: set[str]) -> list[tuple[str, str]]:
    return [(name, script) for module in schema_modules()
            for name, script in getattr(module, "MIGRATIONS", []) if name not in done]


def _statements(script: str) -> list[str]:
    """Split a script into complete statements (sqlite3.complete_statement aware)."""
    out: list[str] = []
    buf = ""
    for line in script.splitlines(keepends=True):
        buf += line
        if sqlite3.complete_statement(buf):
            if buf.strip().strip(";").strip():
                out.append(buf.strip())
            buf = ""
    if buf.strip():
        out.append(buf.strip())
    return out


def _healthy(conn: sqlite3.Connection) -> bool:
    """Cheap: the header and schema are readable. `PRAGMA quick_check` reads every page
    (seconds on a large index) and ran on every command, so it is not used here; a
    damaged page still surfaces as sqlite3.DatabaseError and `ao reindex` rebuilds."""
    try:
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        return True
    except sqlite3.DatabaseError:
        return False


def _remove(path: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        with contextlib.suppress(FileNotFoundError):
            Path(str(path) + suffix).unlink()


def open_index(root: Path, *, rebuild_missing: bool = True) -> Index:
    """The repo's index, created and migrated; rebuilt from plain text if missing/corrupt."""
    directory = index_dir(root)
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / INDEX_FILE
    fresh = not path.exists()
    try:
        conn = _connect(path)
        if not fresh and not _healthy(conn):
            raise sqlite3.DatabaseError("quick_check failed")
        _migrate(conn)
    except sqlite3.DatabaseError as exc:
        with contextlib.suppress(Exception):
            conn.close()
        if not_damage(exc):
            # A lock timeout, a full disk, a read-only file: the file is fine, and deleting
            # it would pull it from under the other processes that have it open.
            raise FatalError(unusable_message(path, exc)) from None
        _remove(path)
        fresh = True
        conn = _connect(path)
        _migrate(conn)
    index = Index(root, conn, path)
    if fresh and rebuild_missing:
        _refill(index)
    return index


def busy(exc: BaseException) -> bool:
    """A lock timeout, not a damaged file: never a reason to rebuild the index."""
    return isinstance(exc, sqlite3.OperationalError) and ("locked" in str(exc) or "busy" in str(exc))


# SQLite results that say nothing about the file's content. Only the others (a corrupt
# page, not a database, a schema missing its tables) make the index worth rebuilding.
_NOT_DAMAGE = ("SQLITE_BUSY", "SQLITE_LOCKED", "SQLITE_PROTOCOL", "SQLITE_IOERR", "SQLITE_FULL",
               "SQLITE_READONLY", "SQLITE_CANTOPEN", "SQLITE_PERM", "SQLITE_INTERRUPT", "SQLITE_NOMEM")


def not_damage(exc: BaseException) -> bool:
    """An error of the moment or the machine: the index must be left as it is."""
    name = getattr(exc, "sqlite_errorname", None) or ""
    return busy(exc) or name.startswith(_NOT_DAMAGE)


def unusable_message(path: Path, exc: BaseException) -> str:
    if busy(exc):
        return f"{path}: index is busy (locked by another ao process); try again"
    return f"{path}: index could not be used ({exc}); it was left as it is"


def rebuild_index(root: Path) -> Index:
    """Drop the index and rebuild every domain's tables from `.agents/` (`ao reindex`)."""
    path = index_dir(root) / INDEX_FILE
    _remove(path)
    return open_index(root)


def _refill(index: Index) -> None:
    for module in schema_modules():
        rebuild = getattr(module, "rebuild", None)
        if rebuild is None:
            continue
        try:
            rebuild(index)
        except FatalError:
            raise
        except sqlite3.DatabaseError as exc:  # pragma: no cover - defensive
            raise FatalError(f"{index.path}: rebuild of {module.__name__} failed: {exc}") from exc
