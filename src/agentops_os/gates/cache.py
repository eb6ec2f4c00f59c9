"""Verdict cache: a check whose definition and covered file contents are unchanged is not
run again. Entries live in `.agents/.index/gates/` (derived, gitignored, safe to delete).

Only real verdicts are cached (the command ran and exited); a timeout or a missing
command depends on the machine, not the code, and is always retried.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from agentops_os.gates.config import Check
from agentops_os.repo import index_dir
from agentops_os.store.atomic import write_atomic


def cache_key(check: Check, files: dict[str, str]) -> str:
    body = json.dumps({"check": check.fingerprint(), "files": sorted(files.items())}, sort_keys=True)
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


KEEP = 20  # verdicts kept per check: switching branches back and forth still hits


def _dir(root: Path, check: Check) -> Path:
    safe = "".join(c if c.isalnum() or c in "-_." else "_" for c in check.name)
    return index_dir(root) / "gates" / safe


def lookup(root: Path, check: Check, key: str) -> dict[str, Any] | None:
    try:
        entry = json.loads((_dir(root, check) / f"{key[:40]}.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return entry if isinstance(entry, dict) and entry.get("key") == key else None


def store(root: Path, check: Check, key: str, result: dict[str, Any]) -> None:
    directory = _dir(root, check)
    try:
        directory.mkdir(parents=True, exist_ok=True)
        from agentops_os.store.redact import redact_value  # a check's output can print tokens

        write_atomic(directory / f"{key[:40]}.json",
                     json.dumps({"key": key, **redact_value(result)}, sort_keys=True).encode("utf-8"))
        entries = sorted(directory.glob("*.json"), key=lambda p: p.stat().st_mtime_ns)
        for old in entries[:-KEEP]:
            old.unlink()
    except OSError:
        pass  # a read-only checkout simply runs every time


def last_seconds(root: Path, check: Check) -> float:
    """How long the check took the last time it really ran (0 if never): the runner starts
    the slowest checks first so that one long check does not start last."""
    directory = _dir(root, check)
    try:
        newest = max(directory.glob("*.json"), key=lambda p: p.stat().st_mtime_ns)
        return float(json.loads(newest.read_text(encoding="utf-8")).get("seconds", 0.0))
    except (OSError, ValueError):
        return 0.0
