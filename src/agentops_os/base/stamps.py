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


def sha256():  # type: ignore[no-untyped-def]
    """CPython's built-in SHA-256 constructor (`_sha2` from 3.12, `_sha256` before):
    `import hashlib` loads OpenSSL, more than the hook path can afford for a digest of a few
    kilobytes. The module this interpreter has is tried first: a failed import searches every
    `sys.path` entry."""
    import sys

    name = "_sha2" if sys.version_info >= (3, 12) else "_sha256"
    try:
        return __import__(name).sha256
    except ImportError:  # pragma: no cover - other interpreters
        import hashlib

        return hashlib.sha256


def digest(data: bytes) -> str:
    """SHA-256 hex of `data`."""
    return str(sha256()(data).hexdigest())


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
