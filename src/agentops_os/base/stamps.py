"""Cheap facts about files: a stat stamp and a content digest, for cache keys."""

from __future__ import annotations

import os


def stamp(path: str) -> str:
    """size:mtime_ns:inode, or "-" when the file is missing or unreadable."""
    try:
        st = os.stat(path)
    except OSError:
        return "-"
    return f"{st.st_size}:{st.st_mtime_ns}:{st.st_ino}"


def digest(data: bytes) -> str:
    """SHA-256 hex of `data`, from the C module behind hashlib (hashlib's own imports
    are more than the hook path can afford)."""
    try:
        from _sha2 import sha256  # type: ignore[import-not-found]
    except ImportError:  # pragma: no cover - Python 3.11
        try:
            from _sha256 import sha256  # type: ignore[import-not-found,no-redef]
        except ImportError:
            from hashlib import sha256  # type: ignore[no-redef]
    return str(sha256(data).hexdigest())


def content_digest(path: str) -> str:
    """The digest of a file's bytes; "-" when it does not exist, "unreadable" when it
    exists but cannot be read (a directory in its place, no permission)."""
    try:
        with open(path, "rb") as handle:
            return digest(handle.read())
    except FileNotFoundError:
        return "-"
    except OSError:
        return "unreadable"
