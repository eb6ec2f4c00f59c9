"""Run state on disk: `.agents/runs/<id>/` (tracked) and a lock under `.agents/.index/runs/`.

    state.json                 the state machine's position, rewritten atomically
    events/000001-<kind>.json  one file per event (merge-friendly, never appended to)
    calls/001-<phase>/         one folder per agent call: prompt.md, output.md, result.json
    research.md, plan.md       phase outputs

Why a lock file apart from the state: it names the runner's pid and the agent's process
group, which only mean something on this machine; after `kill -9` of the runner the next
`resume` finds the dead pid, kills the orphaned agent group and carries on.
"""

from __future__ import annotations

import contextlib
import os
import re
import secrets
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson

from agentops_os.errors import FatalError
from agentops_os.repo import AGENTS_DIR, INDEX_DIR
from agentops_os.store import Store
from agentops_os.store.atomic import write_atomic

KIND = "runs"
SCHEMA_VERSION = 1
_ID = re.compile(r"^[a-z0-9][a-z0-9-]{2,63}$")


def new_id(prefix: str) -> str:
    return f"{prefix}-{time.strftime('%Y%m%d-%H%M%S', time.gmtime())}-{secrets.token_hex(2)}"


def now() -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())


@dataclass
class RunDir:
    root: Path
    id: str
    store: Store

    @classmethod
    def open(cls, root: Path, ident: str, store: Store | None = None) -> RunDir:
        if not _ID.match(ident):
            raise FatalError(f"{ident!r}: not a run id (see `ao rpi list`)")
        return cls(root, ident, store or Store.open(root))

    @property
    def path(self) -> Path:
        return self.root / AGENTS_DIR / KIND / self.id

    @property
    def rel(self) -> str:
        return f"{KIND}/{self.id}"

    def exists(self) -> bool:
        return (self.path / "state.json").is_file()

    # -- state ----------------------------------------------------------------------------
    def load(self) -> dict[str, Any]:
        path = self.path / "state.json"
        if not path.is_file():
            raise FatalError(f"run {self.id}: no such run (see `ao rpi list`)")
        return self.store.read_record(path)

    def save(self, state: dict[str, Any]) -> None:
        state["updated"] = now()
        self.store.write_record(self.rel, "state", state)

    # -- events and files -------------------------------------------------------------------
    def event(self, kind: str, **data: Any) -> None:
        directory = self.path / "events"
        number = 1 + sum(1 for _ in directory.glob("*.json")) if directory.is_dir() else 1
        safe = re.sub(r"[^a-z0-9.-]+", "-", kind.lower())
        self.store.write_record(f"{self.rel}/events", f"{number:06d}-{safe}",
                                {"kind": kind, "at": now(), **data})

    def events(self) -> list[dict[str, Any]]:
        directory = self.path / "events"
        if not directory.is_dir():
            return []
        return [self.store.read_record(p) for p in sorted(directory.glob("*.json"))]

    def write_text(self, rel: str, text: str) -> Path:
        return self.store.write_file(f"{self.rel}/{rel}", text)

    def read_text(self, rel: str) -> str:
        path = self.path / rel
        return path.read_text(encoding="utf-8") if path.is_file() else ""

    def write_json(self, rel: str, data: dict[str, Any]) -> Path:
        folder, _, name = rel.rpartition("/")
        return self.store.write_record(f"{self.rel}/{folder}" if folder else self.rel, name, data)

    # -- the machine-local lock -------------------------------------------------------------
    @property
    def lock_path(self) -> Path:
        return self.root / AGENTS_DIR / INDEX_DIR / KIND / f"{self.id}.json"

    def read_lock(self) -> dict[str, Any]:
        try:
            data = orjson.loads(self.lock_path.read_bytes())
        except (OSError, orjson.JSONDecodeError):
            return {}
        return data if isinstance(data, dict) else {}

    def write_lock(self, **data: Any) -> None:
        write_atomic(self.lock_path, orjson.dumps({**self.read_lock(), **data}))

    def clear_lock(self) -> None:
        with contextlib.suppress(FileNotFoundError):
            self.lock_path.unlink()


def iter_runs(root: Path, prefix: str = "") -> Iterator[RunDir]:
    store = Store.open(root)
    base = root / AGENTS_DIR / KIND
    if not base.is_dir():
        return
    for path in sorted(base.iterdir()):
        if path.is_dir() and (path / "state.json").is_file() and path.name.startswith(prefix):
            yield RunDir(root, path.name, store)


def find(root: Path, ident: str, prefix: str = "") -> RunDir:
    """A run by id or unique id prefix; the newest with `latest`/`last`."""
    runs = list(iter_runs(root, prefix))
    if ident in ("latest", "last"):
        if not runs:
            raise FatalError("no runs yet (start one with `ao rpi \"GOAL\"`)")
        return runs[-1]
    exact = [r for r in runs if r.id == ident]
    if exact:
        return exact[0]
    matches = [r for r in runs if r.id.startswith(ident) or r.id.endswith(ident)]
    if len(matches) == 1:
        return matches[0]
    if not matches:
        raise FatalError(f"run {ident!r}: no such run (see `ao rpi list`)")
    raise FatalError(f"run {ident!r} is ambiguous: {', '.join(r.id for r in matches[:5])}")


def pid_alive(pid: int) -> bool:
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    # A zombie (exited, not yet reaped by its parent) still answers signal 0.
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as handle:
            return handle.read().rsplit(")", 1)[-1].split()[0] != "Z"
    except OSError:
        return True
