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

import getpass
import hashlib
import os
import re
import socket
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import orjson

from agentops_os.repo import index_dir
from agentops_os.store.atomic import locked

GENESIS = "0" * 64
KIND = "audit"
_UNSAFE = re.compile(r"[^A-Za-z0-9._@+\-]")


def writer_id(configured: str = "") -> str:
    raw = configured or os.environ.get("AO_AUDIT_WRITER") or ""
    if not raw:
        try:
            user = getpass.getuser()
        except (KeyError, OSError):
            user = "unknown"
        raw = f"{user}@{socket.gethostname().split('.')[0]}"
    name = _UNSAFE.sub("-", raw).strip(".-") or "writer"
    return name[:120]


def digest(record: dict[str, Any]) -> str:
    body = {k: v for k, v in record.items() if k != "hash"}
    return hashlib.sha256(orjson.dumps(body, option=orjson.OPT_SORT_KEYS)).hexdigest()


def audit_dir(root: Path) -> Path:
    return Path(root) / ".agents" / KIND


def _tail(path: Path) -> tuple[str, int]:
    """(hash, seq) of the last complete record of a chain file."""
    if not path.exists():
        return GENESIS, 0
    with path.open("rb") as handle:
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
        try:
            record = orjson.loads(raw)
            return str(record["hash"]), int(record["seq"])
        except (orjson.JSONDecodeError, KeyError, TypeError, ValueError):
            continue
    return GENESIS, 0


def append(root: Path, kind: str, data: dict[str, Any], *, writer: str | None = None,
           store: Any = None) -> dict[str, Any]:
    """Append one record of `kind` to this writer's chain and return it (with its hash)."""
    from agentops_os.store import Store

    if store is None:
        store = Store.open(root)
    if writer is None:
        from agentops_os.config import load_config

        writer = writer_id(str(load_config(root).get("audit.writer", "")))
    path = audit_dir(root) / f"{writer}.jsonl"
    lock = index_dir(root) / "locks" / f"audit-{writer}.lock"
    with locked(lock):
        prev, seq = _tail(path)
        record: dict[str, Any] = {
            "schema_version": 1,
            "seq": seq + 1,
            "at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
            "kind": kind,
            "writer": writer,
            "prev": prev,
            **store.redactor.value(data),
        }
        record["hash"] = digest(record)
        store.append(KIND, writer, record)
        store.write_record(KIND, f"{writer}.head", {"seq": record["seq"], "hash": record["hash"]})
    return record


def chain_files(root: Path) -> list[Path]:
    directory = audit_dir(root)
    return sorted(directory.glob("*.jsonl")) if directory.is_dir() else []


def iter_records(root: Path, errors: list[str] | None = None) -> Iterator[dict[str, Any]]:
    """Every readable record of every writer, oldest first."""
    from agentops_os.store.store import read_jsonl

    records: list[dict[str, Any]] = []
    for path in chain_files(root):
        records.extend(read_jsonl(path, errors if errors is not None else []))
    records.sort(key=lambda r: (str(r.get("at", "")), str(r.get("writer", "")), int(r.get("seq", 0) or 0)))
    yield from records
