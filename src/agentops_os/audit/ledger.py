"""The audit ledger: append-only, hash-chained JSON Lines, one chain per writer.

Every record names the hash of the record before it (`prev`) and carries its own `hash`
(sha256 of its canonical JSON without `hash`), so editing, deleting or reordering any
record breaks the chain at that point. Cutting records off the end leaves a valid but
shorter chain; two anchors catch that: a per-writer head file (`<writer>.head.json`,
rewritten with each append) and, when the chain is committed, git itself (the committed
chain must be a prefix of the working copy).

One file per writer (user@host by default) keeps branches merge-friendly: two people
never append to the same file (DESIGN §3.1).
"""

from __future__ import annotations

import os
import time

from agentops_os.base.layout import agents_path, index_path
from agentops_os.jsonscan import canonical as _canonical_text
from agentops_os.jsonscan import loads_or_none
from agentops_os.store.atomic import append_line_str, locked

# Guard denials are recorded from the PreToolUse hook, so appending imports only `os`,
# `time`, `hashlib` and our own small modules: no pathlib, typing, re or json (together
# more than a bare interpreter start).
TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path
    from typing import Any

GENESIS = "0" * 64
KIND = "audit"
_SAFE = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._@+-")


def writer_id(configured: str = "") -> str:
    raw = configured or os.environ.get("AO_AUDIT_WRITER") or ""
    if not raw:
        # os.environ/os.uname rather than getpass/socket: this runs on the hook path.
        user = os.environ.get("USER") or os.environ.get("LOGNAME") or os.environ.get("USERNAME") or ""
        if not user:
            try:
                import pwd

                user = pwd.getpwuid(os.getuid()).pw_name
            except (ImportError, KeyError):
                user = "unknown"
        raw = f"{user}@{os.uname().nodename.split('.')[0]}"
    name = "".join(c if c in _SAFE else "-" for c in raw).strip(".-") or "writer"
    return name[:120]


def canonical(value: Any) -> bytes:
    """The one byte form a record is hashed and written in: sorted keys, no spaces, UTF-8
    (`json.dumps(..., sort_keys=True, separators=(",", ":"), ensure_ascii=False)`)."""
    return _canonical_text(value).encode("utf-8")


def digest(record: dict[str, Any]) -> str:
    from agentops_os.base.stamps import sha256

    return str(sha256()(canonical({k: v for k, v in record.items() if k != "hash"})).hexdigest())


def audit_dir(root: Path | str) -> Path:
    from pathlib import Path

    return Path(agents_path(root, KIND))


def _tail(path: str) -> tuple[str, int]:
    """(hash, seq) of the last complete record of a chain file."""
    try:
        handle = open(path, "rb")  # noqa: SIM115 - closed below; no contextlib on this path
    except FileNotFoundError:
        return GENESIS, 0
    with handle:
        size = handle.seek(0, os.SEEK_END)
        chunk = 1 << 16
        while True:
            start = max(0, size - chunk)
            handle.seek(start)
            data = handle.read(size - start)
            lines = [line for line in data.split(b"\n") if line.strip()]
            if start == 0 or len(lines) > 1:
                break
            chunk *= 4
    for raw in reversed(lines):
        record = loads_or_none(raw.decode("utf-8", "replace"))
        if isinstance(record, dict) and isinstance(record.get("hash"), str) \
                and isinstance(record.get("seq"), int):
            return record["hash"], record["seq"]
    return GENESIS, 0


def append(root: Path | str, kind: str, data: dict[str, Any], *, writer: str | None = None,
           redactor: Any = None) -> dict[str, Any]:
    """Append one record of `kind` to this writer's chain and return it (with its hash).

    Written exactly as `Store.append` writes (redacted, `schema_version`, locked append to
    a per-writer file) but through `store.atomic` directly, because guard denials are
    recorded from the hook path and `Store` pulls in the document (YAML) layer.
    """
    root = os.fspath(root)
    if redactor is None or writer is None:
        from pathlib import Path

        from agentops_os.config import load_config
        from agentops_os.store.redact import Redactor

        config = load_config(Path(root))
        redactor = redactor or Redactor(config.get("redaction.extra_patterns"))
        writer = writer or writer_id(str(config.get("audit.writer", "")))
    writer = writer_id(writer)
    directory = agents_path(root, KIND)
    path = os.path.join(directory, f"{writer}.jsonl")
    # the lock lives in the derived, gitignored index dir (repo.index_dir), like Store's
    lock = index_path(root, "locks", f"audit-{writer}.lock")
    with locked(lock):
        prev, seq = _tail(path)
        record: dict[str, Any] = {
            "schema_version": 1,
            "seq": seq + 1,
            "at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
            "kind": kind,
            "writer": writer,
            "prev": prev,
            **redactor.value(data),
        }
        record["hash"] = digest(record)
        append_line_str(path, canonical(record))
        head = f'{{\n  "hash": "{record["hash"]}",\n  "schema_version": 1,\n  "seq": {record["seq"]}\n}}\n'
        _replace(os.path.join(directory, f"{writer}.head.json"), head.encode())
    return record


def _replace(path: str, data: bytes) -> None:
    """Atomic rename without fsync: `store.atomic.write_atomic` fsyncs, which costs tens of
    milliseconds on the hook path. After a power cut the head can lag the chain; `ao audit
    verify` then reports the mismatch rather than accepting it silently."""
    tmp = os.path.join(os.path.dirname(path), f".{os.path.basename(path)}.{os.getpid()}.tmp")
    with open(tmp, "wb") as handle:
        handle.write(data)
    os.replace(tmp, path)


def chain_files(root: Path | str) -> list[Path]:
    directory = audit_dir(root)
    return sorted(directory.glob("*.jsonl")) if directory.is_dir() else []


def iter_records(root: Path | str, errors: list[str] | None = None) -> Iterator[dict[str, Any]]:
    """Every readable record of every writer, oldest first."""
    from agentops_os.store.store import read_jsonl

    records: list[dict[str, Any]] = []
    for path in chain_files(root):
        records.extend(read_jsonl(path, errors if errors is not None else []))
    records.sort(key=lambda r: (str(r.get("at", "")), str(r.get("writer", "")), int(r.get("seq", 0) or 0)))
    yield from records
