"""Atomic file replacement and locked appends.

A reader (or a crash) must only ever see the old file or the new one, never a torn
write: write a temp file in the same directory, fsync, then rename over the target.

The hook path appends session events through here, so this module imports only `os`
and `fcntl` up front (`tempfile` alone costs several milliseconds).
"""

from __future__ import annotations

import fcntl
import os

TYPE_CHECKING = False
if TYPE_CHECKING:
    from pathlib import Path


def write_atomic(path: Path, data: bytes) -> None:
    import tempfile

    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:  # noqa: SIM105 - contextlib is not imported on the hook path
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise


class locked:  # noqa: N801 - used like the function-style context manager it replaced
    """An exclusive advisory lock on `path` itself (created if missing), held for the block.

    `with locked(path) as fd:` yields the open descriptor (O_APPEND)."""

    def __init__(self, path: Path | str) -> None:
        self.path = os.fspath(path)
        self.fd = -1

    def __enter__(self) -> int:
        os.makedirs(os.path.dirname(self.path) or ".", exist_ok=True)
        self.fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_APPEND, 0o644)
        try:
            fcntl.flock(self.fd, fcntl.LOCK_EX)
        except BaseException:
            os.close(self.fd)
            raise
        return self.fd

    def __exit__(self, *exc: object) -> None:
        try:
            fcntl.flock(self.fd, fcntl.LOCK_UN)
        finally:
            os.close(self.fd)


def append_line(path: Path, line: bytes) -> None:
    """Append one newline-terminated record under an exclusive lock.

    If an earlier writer was killed mid-line, the file does not end in a newline; we
    terminate that fragment first so that our record is never glued onto it (the
    fragment then reads as one malformed line, which readers count and report).
    """
    append_line_str(os.fspath(path), line)


def append_line_str(path: str, line: bytes) -> None:
    """`append_line` for a plain string path (the hook path avoids pathlib)."""
    if not line.endswith(b"\n"):
        line += b"\n"
    with locked(path) as fd:
        size = os.fstat(fd).st_size
        if size:
            last = os.pread(fd, 1, size - 1)
            if last != b"\n":
                line = b"\n" + line
        view = memoryview(line)
        while view:
            written = os.write(fd, view)
            view = view[written:]
