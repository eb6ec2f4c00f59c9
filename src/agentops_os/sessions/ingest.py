"""Incremental ingest of Claude Code and Codex transcripts into the index.

Per file the index remembers its identity (device + inode, size, mtime, a hash of its
first bytes) and the byte offset and line number read so far, plus the facts gathered
so far (counters, first prompt, timestamps, Codex reader state). Next time:
- same identity, size and mtime: the file is not even opened;
- same identity and head, grown: only the appended complete lines are read;
- anything else (rewritten, truncated, replaced): the file is read again from byte 0
  and its earlier requests are dropped first.

Requests are deduplicated in `sessions_requests` by key (see `usage.md`): Claude
`message.id`+`requestId` (per-field maximum = final state; and the first line seen, kept
separately for ccusage-compatible totals); Codex one row per `token_count` delta.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson

from agentops_os.hosts import CODEX
from agentops_os.parallel import worker_count
from agentops_os.sessions.accumulate import Accumulator, head_hash, new_facts
from agentops_os.sessions.discovery import inside
from agentops_os.sessions.parse import Parsed, Plan, parse_file, parse_job, request_rows, session_key
from agentops_os.store.redact import redact_value
from agentops_os.transcripts.codex import CodexReader
from agentops_os.transcripts.jsonl import read_records
from agentops_os.transcripts.locate import detect_agent

HEAD_BYTES = 4096
MAX_MALFORMED_REPORTED = 50

Wrap = Callable[[Iterable[Any], int], Iterable[Any]]  # a progress bar around an iterable

PARALLEL_MIN_BYTES = 64 << 20  # below this a pool costs more than it saves
POOL_MAX_FILE = 256 << 20  # bigger files are parsed in the main process, spilling as they go
MAX_WORKERS = 4


def pool_size(setting: int) -> int:
    """Worker processes for a big ingest: `sessions.ingest_workers`, 0 = one per usable CPU.

    On two cores two workers parse while this process writes the index: the writer mostly
    waits for parsed files, and parsing is two thirds of a cold ingest's CPU.
    """
    return worker_count(setting, MAX_WORKERS)


@dataclass
class IngestReport:
    files_seen: int = 0
    files_unchanged: int = 0
    files_read: int = 0
    files_reread: int = 0  # rewritten / truncated / replaced: read again from the start
    bytes_read: int = 0
    lines: int = 0
    malformed: int = 0
    malformed_at: list[str] = field(default_factory=list)  # "file:line", first few
    unknown_records: int = 0
    unknown_by_type: dict[str, int] = field(default_factory=dict)  # record type -> count
    requests: int = 0
    sessions_updated: list[str] = field(default_factory=list)
    out_of_scope: int = 0

    def as_dict(self) -> dict[str, Any]:
        return {
            "files_seen": self.files_seen, "files_unchanged": self.files_unchanged,
            "files_read": self.files_read, "files_reread": self.files_reread,
            "bytes_read": self.bytes_read, "lines": self.lines, "malformed": self.malformed,
            "malformed_at": self.malformed_at, "unknown_records": self.unknown_records,
            "unknown_by_type": dict(sorted(self.unknown_by_type.items())),
            "requests": self.requests, "sessions_updated": len(self.sessions_updated),
            "out_of_scope": self.out_of_scope,
        }


# -- the ingest ---------------------------------------------------------------------------------

class Ingestor:
    def __init__(self, index: Any, root: Path, *, idle_gap: float = 300.0, all_projects: bool = False,
                 verbose: bool = False, workers: int = 0) -> None:
        self.index = index
        self.conn = index.conn
        self.root = Path(root).resolve()
        self.idle_gap = idle_gap
        self.all_projects = all_projects
        self.verbose = verbose
        self.workers = workers
        self.report = IngestReport()
        self.touched: set[str] = set()
        self.dropped: list[int] = []  # files read again from the start: their requests go first

    def run(self, files: list[Path], wrap: Wrap | None = None) -> IngestReport:
        rows = {row["path"]: row for row in self.conn.execute(
            "SELECT id, path, dev, ino, size, mtime_ns, head_len, head_hash, offset, line"
            " FROM sessions_files")}
        self.report.files_seen = len(files)
        # A bigger page cache for this connection: a cold ingest upserts hundreds of
        # thousands of rows, and SQLite's 2 MB default made it re-read index pages.
        self.conn.execute("PRAGMA cache_size = -65536")
        # The index is derivable (a crash at worst costs a rebuild), so an ingest does not
        # wait for the disk: fsyncs of a few hundred MB of WAL dominated cold-ingest wall time.
        self.conn.execute("PRAGMA synchronous = OFF")
        with self.index.transaction():
            plans: list[Plan] = []
            for path in files:
                try:
                    st = path.stat()
                except OSError:
                    continue
                row = rows.get(str(path))
                if (row is not None and row["ino"] == st.st_ino and row["dev"] == st.st_dev
                        and row["size"] == st.st_size and row["mtime_ns"] == st.st_mtime_ns):
                    self.report.files_unchanged += 1
                    continue
                plan = self._plan(path, st, row)
                if plan is not None:
                    plans.append(plan)
            self._drop_requests()
            for plan, parsed in self._parse_all(plans, wrap):
                if parsed is not None:
                    self._apply(plan, parsed)
            # Left over by an earlier run that stopped before its summaries were stored.
            self.touched.update(row[0] for row in self.conn.execute("SELECT key FROM sessions_pending"))
            self.conn.executemany("INSERT OR IGNORE INTO sessions_pending(key) VALUES (?)",
                                  [(key,) for key in self.touched])
        self.report.sessions_updated = sorted(self.touched)
        return self.report

    def _parse_all(self, plans: list[Plan], wrap: Wrap | None) -> Iterator[tuple[Plan, Parsed | None]]:
        """Parse changed files, in worker processes when there is a lot to read.

        Workers read, count and prepare rows; every index write stays in this process, in
        the order of `plans` (so the result never depends on which worker was faster). Files
        too big to hold one's requests in memory are parsed here, spilling as they go.
        """
        todo = sum(p.st.st_size - p.offset for p in plans)
        workers = min(pool_size(self.workers), len(plans))
        pooled = [p for p in plans if p.st.st_size <= POOL_MAX_FILE] \
            if workers >= 2 and todo >= PARALLEL_MIN_BYTES else []
        local = [p for p in plans if p.st.st_size > POOL_MAX_FILE] if pooled else plans
        progress = wrap(iter(range(len(plans))), len(plans)) if wrap else None
        tick = iter(progress) if progress is not None else None
        if pooled:
            import multiprocessing

            method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
            context = multiprocessing.get_context(method)
            args = [(str(p.path), p.agent, p.offset, p.first_line, p.facts, self.idle_gap, str(self.root),
                     p.file_id) for p in pooled]
            with context.Pool(workers) as pool:
                for plan, parsed in zip(pooled, pool.imap(parse_job, args, chunksize=2), strict=True):
                    if tick is not None:
                        next(tick, None)
                    yield plan, parsed
        for plan in local:
            if tick is not None:
                next(tick, None)

            def spill(acc: Accumulator, plan: Plan = plan) -> None:
                self._spill(plan, acc)

            yield plan, parse_file(plan.path, plan.agent, plan.offset, plan.first_line, plan.facts,
                                   self.idle_gap, self.root, spill=spill)
        if tick is not None:
            for _ in tick:
                pass

    def _plan(self, path: Path, st: os.stat_result, row: Any) -> Plan | None:
        agent = detect_agent(path)
        resume = False
        if row is not None and row["ino"] == st.st_ino and row["dev"] == st.st_dev \
                and st.st_size >= row["offset"] and row["head_hash"]:
            try:
                resume = head_hash(path, row["head_len"]) == row["head_hash"]
            except OSError:
                return None
        saved = None
        if resume:
            saved = self.conn.execute("SELECT facts FROM sessions_files WHERE id = ?",
                                      (row["id"],)).fetchone()
            resume = bool(saved and saved[0])
        if resume and saved:
            facts = orjson.loads(saved[0])
            offset, first_line = row["offset"], row["line"]
        else:
            if agent == CODEX and not self.all_projects and not self._codex_in_scope(path):
                self.report.out_of_scope += 1
                return None
            if row is not None:
                self.report.files_reread += 1
                old = self.conn.execute("SELECT session_key FROM sessions_files WHERE id = ?",
                                        (row["id"],)).fetchone()
                if old and old[0]:
                    self.touched.add(old[0])
                self.dropped.append(row["id"])
            facts = new_facts(agent, path)
            offset, first_line = 0, 1
        if row is not None:
            file_id = row["id"]
        else:
            self.conn.execute("INSERT OR IGNORE INTO sessions_files(path) VALUES (?)", (str(path),))
            file_id = self.conn.execute("SELECT id FROM sessions_files WHERE path = ?",
                                        (str(path),)).fetchone()[0]
        return Plan(path, st, agent, offset, first_line, facts, file_id)

    def _drop_requests(self) -> None:
        """Delete the requests of files read again, in one pass (`file` has no index: it
        would cost every insert of a cold ingest to save a rare rewrite a table scan)."""
        if not self.dropped:
            return
        self.conn.execute("CREATE TEMP TABLE IF NOT EXISTS dropped_files (id INTEGER PRIMARY KEY)")
        self.conn.execute("DELETE FROM temp.dropped_files")
        self.conn.executemany("INSERT OR IGNORE INTO temp.dropped_files(id) VALUES (?)",
                              [(i,) for i in self.dropped])
        self.conn.execute("DELETE FROM sessions_requests WHERE file IN (SELECT id FROM temp.dropped_files)")
        self.dropped = []

    def _spill(self, plan: Plan, acc: Accumulator) -> None:
        self._write_rows(request_rows(acc.requests, session_key(acc.facts, plan.path), plan.file_id))
        acc.requests = {}

    def _apply(self, plan: Plan, parsed: Parsed) -> None:
        path, st, agent = plan.path, plan.st, plan.agent
        facts, stats = parsed.facts, parsed.stats
        unknown_before = plan.facts["unknown"]
        types_before: dict[str, int] = plan.facts.get("unknown_types") or {}
        key = session_key(facts, path)
        rows = parsed.rows if parsed.rows is not None else request_rows(parsed.requests, key, plan.file_id)
        self._write_rows(rows)
        head_len = min(st.st_size, HEAD_BYTES)
        self.conn.execute(
            "INSERT INTO sessions_files(path, dev, ino, size, mtime_ns, head_len, head_hash, offset, line,"
            " agent, session_key, cwd, lines, malformed, unknown, facts)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
            " ON CONFLICT(path) DO UPDATE SET dev=excluded.dev, ino=excluded.ino, size=excluded.size,"
            " mtime_ns=excluded.mtime_ns, head_len=excluded.head_len, head_hash=excluded.head_hash,"
            " offset=excluded.offset, line=excluded.line, agent=excluded.agent,"
            " session_key=excluded.session_key, cwd=excluded.cwd,"
            " lines=excluded.lines,"
            " malformed=excluded.malformed, unknown=excluded.unknown, facts=excluded.facts",
            (str(path), st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns, head_len,
             head_hash(path, head_len), stats.end_offset, stats.end_line, agent, key, facts["cwd"],
             facts["lines"], facts["malformed"], facts["unknown"], orjson.dumps(redact_value(facts))))
        self.touched.add(key)
        report = self.report
        report.files_read += 1
        report.bytes_read += stats.end_offset - plan.offset
        report.lines += stats.lines
        report.malformed += stats.malformed
        report.unknown_records += facts["unknown"] - unknown_before
        for name, count in facts["unknown_types"].items():
            added = count - types_before.get(name, 0)
            if added > 0:
                report.unknown_by_type[name] = report.unknown_by_type.get(name, 0) + added
        for number in stats.malformed_at:
            if len(report.malformed_at) < MAX_MALFORMED_REPORTED:
                report.malformed_at.append(f"{path}:{number}")

    def _codex_in_scope(self, path: Path) -> bool:
        reader = CodexReader()
        try:
            for line, record in read_records(path):
                reader.events(record, line)
                if reader.cwd:
                    return inside(reader.cwd, self.root)
                if line > 5:
                    break
        except OSError:
            return False
        return False

    def _write_rows(self, rows: list[tuple[Any, ...]]) -> None:
        if rows:
            self.conn.executemany(_UPSERT, rows)
            self.report.requests += len(rows)


_NEW = "(excluded.input + excluded.output + excluded.cw5m + excluded.cw1h + excluded.cr, excluded.output," \
    " excluded.input, excluded.cw5m, excluded.cw1h, excluded.cr)"
_OLD = "(input + output + cw5m + cw1h + cr, output, input, cw5m, cw1h, cr)"
_WINS = f"{_NEW} > {_OLD}"
# A response split across two reads (or repeated in a resumed session's file) merges
# here: the first-seen columns stay, the final columns take the higher-ranked line.
# SQLite evaluates every right-hand side against the old row, so _WINS is stable.
_UPSERT = (
    "INSERT INTO sessions_requests(key, session_key, file, ts, f_ts, model, sidechain, long_ctx, ctx,"
    " f_input, f_output, f_cw5m, f_cw1h, f_cr, f_cost, input, output, cw5m, cw1h, cr, cost)"
    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
    " ON CONFLICT(key) DO UPDATE SET "
    + ", ".join(f"{col} = CASE WHEN {_WINS} THEN excluded.{col} ELSE {col} END"
                for col in ("input", "output", "cw5m", "cw1h", "cr", "cost", "ts", "ctx", "long_ctx"))
    + ", model = coalesce(model, excluded.model)"
)


def iter_sessions_of(conn: Any, keys: Iterable[str]) -> Iterator[tuple[str, list[dict[str, Any]]]]:
    """(session key, facts of each of its files) for the given keys."""
    for key in keys:
        facts = [orjson.loads(row[0]) for row in conn.execute(
            "SELECT facts FROM sessions_files WHERE session_key = ? ORDER BY path", (key,))]
        yield key, facts
