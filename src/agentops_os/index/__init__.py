"""The derived SQLite index under `.agents/.index/` (gitignored, always rebuildable)."""

from agentops_os.index.db import Index, open_index, rebuild_index

__all__ = ["Index", "open_index", "rebuild_index"]
