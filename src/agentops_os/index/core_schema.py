"""Core tables of the index. Each domain keeps its own `<domain>/index_schema.py`.

A schema module has `MIGRATIONS`: an ordered list of (name, SQL script); names are
global, so prefix them with the domain. Optional `rebuild(index)` refills the domain's
tables from the plain-text store after the database was recreated.
"""

from __future__ import annotations

MIGRATIONS: list[tuple[str, str]] = [
    (
        "core_001_meta",
        """
        CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
        """,
    ),
]
