"""Many writer processes at once; writers killed mid-write."""

from __future__ import annotations

import multiprocessing
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

from agentops_os.store import Store
from agentops_os.store.store import read_jsonl

WRITERS = 16
RECORDS = 1_000


def _append_many(root: str, writer: int) -> None:
    store = Store(Path(root))
    for i in range(RECORDS):
        store.append("sessions/events", "shared", {"writer": writer, "i": i})


def test_sixteen_processes_append_every_record_exactly_once(tmp_path: Path) -> None:
    ctx = multiprocessing.get_context("fork")
    procs = [ctx.Process(target=_append_many, args=(str(tmp_path), w)) for w in range(WRITERS)]
    for proc in procs:
        proc.start()
    for proc in procs:
        proc.join(120)
        assert proc.exitcode == 0
    errors: list[str] = []
    records = list(read_jsonl(tmp_path / ".agents" / "sessions" / "events" / "shared.jsonl", errors))
    assert errors == []
    seen = [(r["writer"], r["i"]) for r in records]
    assert len(seen) == WRITERS * RECORDS
    assert set(seen) == {(w, i) for w in range(WRITERS) for i in range(RECORDS)}
    assert all(r["schema_version"] == 1 for r in records)


WRITER = """
import sys
from pathlib import Path
from agentops_os.store.atomic import write_atomic
path = Path(sys.argv[1])
n = 0
sys.stdout.write("ready\\n"); sys.stdout.flush()
while True:
    n += 1
    write_atomic(path, (b"%d:" % n) + bytes([65 + n % 26]) * 2_000_000 + b":end")
"""


def _valid(data: bytes) -> bool:
    head, _, rest = data.partition(b":")
    if not head.isdigit() or not rest.endswith(b":end"):
        return False
    body = rest[:-4]
    return len(body) == 2_000_000 and body == bytes([65 + int(head) % 26]) * 2_000_000


def test_sigkill_mid_write_leaves_old_or_new_file_never_torn(tmp_path: Path) -> None:
    target = tmp_path / "big.bin"
    target.write_bytes(b"0:" + bytes([65]) * 2_000_000 + b":end")
    rng = random.Random(1234)
    for _ in range(12):
        proc = subprocess.Popen([sys.executable, "-c", WRITER, str(target)], stdout=subprocess.PIPE)
        assert proc.stdout is not None and proc.stdout.readline() == b"ready\n"
        time.sleep(rng.uniform(0.0, 0.25))
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        assert _valid(target.read_bytes()), "torn file after SIGKILL"
    # Temp files of killed writers may remain, but never under the target's name.
    assert all(p.name.startswith(".big.bin.") for p in tmp_path.iterdir() if p.is_file() and p != target)


def test_append_after_a_killed_writer_keeps_records_separate(tmp_path: Path) -> None:
    path = tmp_path / ".agents" / "sessions" / "log.jsonl"
    path.parent.mkdir(parents=True)
    path.write_bytes(b'{"a": 1}\n{"torn": ')  # a writer died mid-line
    Store(tmp_path).append("sessions", "log", {"b": 2})
    errors: list[str] = []
    records = list(read_jsonl(path, errors))
    assert [r.get("a", r.get("b")) for r in records] == [1, 2]
    assert len(errors) == 1 and "log.jsonl:2" in errors[0]
