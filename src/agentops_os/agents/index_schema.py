"""Index tables of the agents domain: the catalog, for other features to query by name.

Derived from the agent files themselves (`.claude/`, `~/.claude`, `~/.codex`), never the
only copy: `rebuild` rescans them. The routing model cache is a separate pickle file in
`.agents/.index/` keyed by content hash (see `agents.routing`).
"""

from __future__ import annotations

from typing import Any

MIGRATIONS: list[tuple[str, str]] = [
    (
        "agents_001_catalog",
        """
        CREATE TABLE IF NOT EXISTS agent_catalog (
            kind TEXT NOT NULL,
            name TEXT NOT NULL,
            scope TEXT NOT NULL,
            path TEXT NOT NULL PRIMARY KEY,
            description TEXT NOT NULL,
            tools TEXT,
            model TEXT,
            shadowed INTEGER NOT NULL DEFAULT 0,
            sha256 TEXT NOT NULL
        );
        CREATE INDEX IF NOT EXISTS agent_catalog_name ON agent_catalog(name);
        """,
    ),
]


def sync(index: Any, catalog: Any) -> int:
    """Replace the catalog rows with `catalog`'s entries; returns the row count."""
    from agentops_os.store.redact import redact_text  # the index gets the one redaction step too

    rows = [(e.kind, e.name, e.scope, str(e.path), redact_text(e.description or "") or e.description,
             ",".join(e.tools) if e.tools is not None else None, e.model, int(e.shadowed), e.sha256)
            for e in catalog.entries]
    with index.transaction() as conn:
        conn.execute("DELETE FROM agent_catalog")
        conn.executemany("INSERT OR REPLACE INTO agent_catalog VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
    return len(rows)


def rebuild(index: Any) -> None:
    from agentops_os.agents.catalog import load_catalog
    from agentops_os.config import load_config

    config = load_config(index.root)
    sync(index, load_catalog(index.root, include_user=bool(config.get("agents.include_user"))))
