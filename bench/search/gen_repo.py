"""Generate a git repository with many realistic commits through `git fast-import`.

Messages follow real shapes: conventional subjects, optional bodies with
Context/Solution/Learning/Impact paragraphs and trailers; each commit changes 1-3 files
of a ~2,000-file tree. Deterministic for a given seed. Nothing generated is committed.
"""

from __future__ import annotations

import random
import subprocess
from pathlib import Path

AREAS = ["orders", "billing", "auth", "search", "cache", "api", "worker", "cli", "db", "ui",
         "payments", "inventory", "shipping", "reports", "metrics", "gateway", "session", "email"]
VERBS = ["fix", "add", "remove", "refactor", "handle", "retry", "validate", "cache", "log",
         "document", "speed up", "simplify", "rename", "guard", "test", "bump", "migrate"]
OBJECTS = ["empty cart total", "token refresh race", "timeout on slow upstream", "null customer id",
           "duplicate webhook delivery", "pagination cursor", "unicode in names", "stale cache entry",
           "flaky integration test", "connection pool exhaustion", "rate limiter burst",
           "migration ordering", "date parsing in reports", "retry backoff jitter", "memory leak in worker",
           "permission check for admins", "csv export encoding", "idempotency key", "deadlock on update",
           "feature flag default", "health check endpoint", "config reload", "currency rounding",
           "batch size limit", "index on created_at", "lock contention", "dependency pin"]
KINDS = ["fix", "feat", "refactor", "perf", "test", "docs", "chore"]
LESSONS = ["always set an explicit timeout on outbound HTTP calls",
           "the ORM lazily loads relations inside loops; prefetch them",
           "retries without jitter synchronise clients and amplify outages",
           "mocking the clock hides timezone bugs; use fixed aware datetimes",
           "a unique index is the only reliable idempotency guard",
           "caches need explicit invalidation on writes from background jobs",
           "feature flags must default to off in production config",
           "float money values drift; store integer cents",
           "pool size must exceed worker concurrency or requests queue",
           "tests that share a database need transactional isolation"]
AUTHORS = [("Ada Lovelace", "ada@example.com"), ("Linus Field", "linus@example.com"),
           ("Grace Hopper", "grace@example.com"), ("Ken Thompson", "ken@example.com"),
           ("Barbara Liskov", "barbara@example.com"), ("Demo Bot", "bot@example.com")]
EXTS = [".py", ".py", ".py", ".ts", ".md", ".sql", ".yaml"]


def _paths(rng: random.Random, count: int) -> list[str]:
    paths = []
    for i in range(count):
        area = AREAS[i % len(AREAS)]
        sub = ["", "models/", "views/", "services/", "tests/"][i % 5]
        paths.append(f"src/{area}/{sub}{rng.choice(['core', 'util', 'handlers', 'schema', 'io'])}_{i}"
                     f"{rng.choice(EXTS)}")
    return paths


def message(rng: random.Random) -> str:
    area, verb, obj = rng.choice(AREAS), rng.choice(VERBS), rng.choice(OBJECTS)
    subject = f"{rng.choice(KINDS)}({area}): {verb} {obj}"
    roll = rng.random()
    if roll < 0.4:
        return subject + "\n"
    if roll < 0.8:
        return (f"{subject}\n\n{verb.capitalize()} {obj} in the {area} module; "
                f"seen in production under load.\n")
    lesson = rng.choice(LESSONS)
    return (f"{subject}\n\nContext: {obj} in {area} broke after the last deploy.\n"
            f"Solution: {verb} {obj} and add a regression test.\n"
            f"Learning: {lesson}.\nImpact: fewer pages for the {area} on-call.\n\n"
            f"Refs: #{rng.randint(1, 9999)}\n")


def fast_import_stream(count: int, seed: int = 7, start: int = 0, parent: str | None = None,
                       branch: str = "refs/heads/main", files: int = 2000) -> bytes:
    rng = random.Random(seed + start)
    paths = _paths(random.Random(seed), files)
    out: list[bytes] = []
    when = 1_500_000_000 + start * 600
    for i in range(start, start + count):
        name, email = rng.choice(AUTHORS)
        msg = message(rng).encode()
        when += rng.randint(60, 1200)
        out.append(f"commit {branch}\nmark :{i + 1}\n"
                   f"author {name} <{email}> {when} +0000\n"
                   f"committer {name} <{email}> {when} +0000\n"
                   f"data {len(msg)}\n".encode() + msg + b"\n")
        if i == start and parent:
            out.append(f"from {parent}\n".encode())
        for path in rng.sample(paths, rng.randint(1, 3)):
            blob = f"# {path} revision {i}\n".encode()
            out.append(f"M 100644 inline {path}\ndata {len(blob)}\n".encode() + blob + b"\n")
        out.append(b"\n")
    return b"".join(out)


def generate(repo: Path, count: int, seed: int = 7) -> None:
    repo.mkdir(parents=True, exist_ok=True)
    subprocess.run(["git", "init", "-q", "-b", "main", str(repo)], check=True)
    append(repo, count, start=0, seed=seed)


def append(repo: Path, count: int, start: int, seed: int = 7) -> None:
    """Add `count` commits on top of main (a fresh history when `start` is 0)."""
    parent = None
    if start:
        parent = subprocess.run(["git", "rev-parse", "refs/heads/main"], cwd=repo, check=True,
                                capture_output=True, text=True).stdout.strip()
    proc = subprocess.Popen(["git", "fast-import", "--quiet", "--done"], cwd=repo, stdin=subprocess.PIPE)
    assert proc.stdin is not None
    chunk = 20_000
    for offset in range(start, start + count, chunk):
        n = min(chunk, start + count - offset)
        proc.stdin.write(fast_import_stream(n, seed, offset, parent if offset == start else None))
        parent = None
    proc.stdin.write(b"done\n")
    proc.stdin.close()
    if proc.wait() != 0:
        raise RuntimeError("git fast-import failed")
