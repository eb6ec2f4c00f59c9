"""Install the pinned real clients from the npm registry into a cache folder that later
runs reuse (keyed by the pinned versions), one installer at a time across test workers.

A client that cannot be installed fails the tier with npm's own words: the end-to-end
tier never skips silently, because a skipped tier proves nothing about the real clients.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import shutil
import subprocess
from pathlib import Path

HERE = Path(__file__).resolve().parent
PINS = json.loads((HERE / "clients.json").read_text())["npm"]
# Resolved at import, before the hermetic fixtures point HOME and XDG_CACHE_HOME at a temp dir.
CACHE_ROOT = Path(
    os.environ.get("AO_E2E_CACHE")
    or Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "agentops-e2e"
)


class ClientsMissing(RuntimeError):
    pass


def install() -> Path:
    """The `node_modules/.bin` folder holding claude, codex and ccusage at their pins."""
    key = hashlib.sha256(json.dumps(PINS, sort_keys=True).encode()).hexdigest()[:16]
    prefix = CACHE_ROOT / key
    bin_dir = prefix / "node_modules" / ".bin"
    wanted = ("claude", "codex", "ccusage")
    prefix.mkdir(parents=True, exist_ok=True)
    with open(prefix / ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if (prefix / ".complete").exists() and all((bin_dir / name).exists() for name in wanted):
            return bin_dir
        npm = shutil.which("npm")
        if npm is None:
            raise ClientsMissing("npm is not on PATH: install node and npm to run the end-to-end tier")
        specs = [f"{name}@{version}" for name, version in PINS.items()]
        proc = subprocess.run(
            [npm, "install", "--no-audit", "--no-fund", "--no-save", "--prefix", str(prefix), *specs],
            capture_output=True,
            text=True,
            timeout=600,
        )
        missing = [name for name in wanted if not (bin_dir / name).exists()]
        if proc.returncode != 0 or missing:
            tail = (proc.stderr or proc.stdout).strip().splitlines()[-5:]
            raise ClientsMissing(
                f"npm install {' '.join(specs)} failed (exit {proc.returncode}, missing {missing}): "
                + " | ".join(tail)
            )
        (prefix / ".complete").write_text(json.dumps(PINS))
        return bin_dir
