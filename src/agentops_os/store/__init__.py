"""The one storage interface every feature writes `.agents/` through.

Imports are lazy: the hook path uses `store.atomic` and must not pull in YAML.
"""

from __future__ import annotations

TYPE_CHECKING = False  # `typing` itself costs ~4 ms on the hook path
if TYPE_CHECKING:
    from typing import Any

    from agentops_os.store.documents import Document, DocumentError
    from agentops_os.store.store import SCHEMA_VERSION, Store

__all__ = ["Document", "DocumentError", "SCHEMA_VERSION", "Store"]


def __getattr__(name: str) -> Any:
    if name in ("Document", "DocumentError"):
        from agentops_os.store import documents

        return getattr(documents, name)
    if name in ("Store", "SCHEMA_VERSION"):
        from agentops_os.store import store

        return getattr(store, name)
    raise AttributeError(name)
