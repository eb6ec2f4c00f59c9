"""Usage reports from the index: daily, monthly, per session, 5-hour blocks.

Every report sums deduplicated requests (`sessions_requests`) grouped by bucket, model,
pricing tier and whether the transcript carried its own cost, then prices each group:
cost is linear within a tier, so this equals pricing each request. `dedup="first"`
uses the first line seen of each Claude response (ccusage's rule) instead of its final
state; see docs/usage.md.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from agentops_os import hosts
from agentops_os.errors import FatalError
from agentops_os.sessions.pricing import Pricing

TOKENS = ("input", "output", "cache_write_5m", "cache_write_1h", "cache_read")
COST_MODES = ("auto", "calculate", "display")
DEDUP_MODES = ("final", "first")
BLOCK_SECONDS = 5 * 3600
_COLUMNS = {"final": ("input", "output", "cw5m", "cw1h", "cr", "cost", "ts"),
            "first": ("f_input", "f_output", "f_cw5m", "f_cw1h", "f_cr", "f_cost", "f_ts")}
AGENT_ALIASES = hosts.ALIASES


@dataclass
class UsageFilter:
    since: date | None = None
    until: date | None = None
    project: str | None = None
    model: str | None = None
    agent: str | None = None
    all_projects: bool = False
    dedup: str = "final"
    cost_mode: str = "auto"
    session_ids: tuple[str, ...] = ()  # only these sessions (e.g. the phases of one `ao rpi` run)

    def check(self) -> None:
        if self.cost_mode not in COST_MODES:
            raise FatalError(f"cost mode (--cost-mode or usage.cost_mode) must be one of "
                             f"{', '.join(COST_MODES)}, got {self.cost_mode!r}")
        if self.dedup not in DEDUP_MODES:
            raise FatalError(f"dedup rule (--dedup or usage.dedup) must be one of "
                             f"{', '.join(DEDUP_MODES)}, got {self.dedup!r}")
        if self.agent and self.agent not in AGENT_ALIASES:
            raise FatalError(f"--agent must be one of claude-code, codex; got {self.agent!r}")


def parse_day(text: str | None, option: str) -> date | None:
    """YYYYMMDD (as ccusage) or YYYY-MM-DD."""
    if not text:
        return None
    for fmt in ("%Y%m%d", "%Y-%m-%d"):
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise FatalError(f"{option}: expected a date as YYYYMMDD or YYYY-MM-DD, got {text!r}")


def local_midnight(day: date) -> float:
    return time.mktime((day.year, day.month, day.day, 0, 0, 0, 0, 0, -1))


def _where(flt: UsageFilter) -> tuple[str, list[Any]]:
    clauses: list[str] = []
    params: list[Any] = []
    ts = "r." + _COLUMNS[flt.dedup][6]
    if not flt.all_projects:
        clauses.append("l.in_repo = 1")
    if flt.since:
        clauses.append(f"{ts} >= ?")
        params.append(local_midnight(flt.since))
    if flt.until:
        clauses.append(f"{ts} < ?")
        params.append(local_midnight(flt.until + timedelta(days=1)))
    if flt.project:
        clauses.append("l.cwd LIKE ?")
        params.append(f"%{flt.project}%")
    if flt.model:
        clauses.append("r.model LIKE ?")
        params.append(f"%{flt.model}%")
    if flt.agent:
        clauses.append("l.agent = ?")
        params.append(AGENT_ALIASES[flt.agent])
    if flt.session_ids:
        clauses.append(f"l.session_id IN ({', '.join('?' * len(flt.session_ids))})")
        params.extend(flt.session_ids)
    return (" WHERE " + " AND ".join(clauses)) if clauses else "", params


@dataclass
class Bucket:
    """Token and cost totals of one report row, with a per-model breakdown."""

    name: str
    tokens: dict[str, int] = field(default_factory=lambda: dict.fromkeys(TOKENS, 0))
    cost: float = 0.0
    requests: int = 0
    models: dict[str, Bucket] = field(default_factory=dict)
    extra: dict[str, Any] = field(default_factory=dict)

    def add(self, tokens: dict[str, int], cost: float, requests: int) -> None:
        for name in TOKENS:
            self.tokens[name] += tokens[name]
        self.cost += cost
        self.requests += requests

    @property
    def total(self) -> int:
        return sum(self.tokens.values())

    def as_dict(self, breakdown: bool = True) -> dict[str, Any]:
        out: dict[str, Any] = {
            "input_tokens": self.tokens["input"], "output_tokens": self.tokens["output"],
            "cache_creation_tokens": self.tokens["cache_write_5m"] + self.tokens["cache_write_1h"],
            "cache_write_5m_tokens": self.tokens["cache_write_5m"],
            "cache_write_1h_tokens": self.tokens["cache_write_1h"],
            "cache_read_tokens": self.tokens["cache_read"], "total_tokens": self.total,
            "cost_usd": round(self.cost, 6), "requests": self.requests,
            "models": sorted(self.models),
            **self.extra,
        }
        if breakdown:
            models = sorted(self.models.items())
            out["breakdown"] = [{"model": name, **b.as_dict(False)} for name, b in models]
            for item in out["breakdown"]:
                item.pop("models", None)
        return out


def _group_cost(pricing: Pricing, mode: str, model: str | None, long_ctx: bool, has_cost: bool,
                tokens: dict[str, int], cost_sum: float | None) -> float:
    if mode == "display":
        return float(cost_sum or 0.0)
    if mode == "auto" and has_cost:
        return float(cost_sum or 0.0)
    return pricing.cost(model, tokens, long_ctx)


SLOT = 900  # seconds; every real time zone's offset is a whole number of slots


def refresh_rollup(conn: Any, keys: Iterable[str]) -> None:
    """Re-sum `sessions_usage` for these sessions from their deduplicated requests."""
    conn.execute("CREATE TEMP TABLE IF NOT EXISTS touched_sessions (key TEXT PRIMARY KEY)")
    conn.execute("DELETE FROM temp.touched_sessions")
    conn.executemany("INSERT OR IGNORE INTO temp.touched_sessions(key) VALUES (?)", [(k,) for k in keys])
    conn.execute("DELETE FROM sessions_usage WHERE session_key IN (SELECT key FROM temp.touched_sessions)")
    for mode, cols in _COLUMNS.items():
        conn.execute(
            f"INSERT INTO sessions_usage(session_key, mode, q, model, long_ctx, has_cost, n,"
            f" input, output, cw5m, cw1h, cr, cost)"
            f" SELECT session_key, ?, CAST({cols[6]} / {SLOT} AS INTEGER), model, long_ctx,"
            f" {cols[5]} IS NOT NULL, count(*), sum({cols[0]}), sum({cols[1]}), sum({cols[2]}),"
            f" sum({cols[3]}), sum({cols[4]}), sum({cols[5]})"
            f" FROM sessions_requests WHERE session_key IN (SELECT key FROM temp.touched_sessions)"
            f" GROUP BY session_key, 3, model, long_ctx, 6", (mode,))


def _rollup_where(flt: UsageFilter) -> tuple[str, list[Any]]:
    clauses = ["u.mode = ?"]
    params: list[Any] = [flt.dedup]
    if not flt.all_projects:
        clauses.append("l.in_repo = 1")
    if flt.since:
        clauses.append("u.q >= ?")
        params.append(int(local_midnight(flt.since) // SLOT))
    if flt.until:
        clauses.append("u.q < ?")
        params.append(int(local_midnight(flt.until + timedelta(days=1)) // SLOT))
    if flt.project:
        clauses.append("l.cwd LIKE ?")
        params.append(f"%{flt.project}%")
    if flt.model:
        clauses.append("u.model LIKE ?")
        params.append(f"%{flt.model}%")
    if flt.agent:
        clauses.append("l.agent = ?")
        params.append(AGENT_ALIASES[flt.agent])
    if flt.session_ids:
        clauses.append(f"l.session_id IN ({', '.join('?' * len(flt.session_ids))})")
        params.extend(flt.session_ids)
    return " WHERE " + " AND ".join(clauses), params


def grouped(conn: Any, flt: UsageFilter, pricing: Pricing,
            key: Callable[[int, str], str]) -> dict[str, Bucket]:
    """Buckets named by `key(slot, session_key)`, sorted by name, from `sessions_usage`."""
    where, params = _rollup_where(flt)
    sql = ("SELECT u.q, u.session_key, u.model, u.long_ctx, u.has_cost, u.n, u.input, u.output, u.cw5m,"
           " u.cw1h, u.cr, u.cost FROM sessions_usage u JOIN sessions_ledger l ON l.key = u.session_key"
           + where)
    buckets: dict[str, Bucket] = {}
    for row in conn.execute(sql, params):
        name = key(row[0], row[1])
        model = row[2] or "unknown"
        tokens = dict(zip(TOKENS, (int(v or 0) for v in row[6:11]), strict=True))
        cost = _group_cost(pricing, flt.cost_mode, row[2], bool(row[3]), bool(row[4]), tokens, row[11])
        bucket = buckets.get(name)
        if bucket is None:
            bucket = buckets[name] = Bucket(name)
        bucket.add(tokens, cost, row[5])
        sub = bucket.models.get(model)
        if sub is None:
            sub = bucket.models[model] = Bucket(model)
        sub.add(tokens, cost, row[5])
    return dict(sorted(buckets.items()))


def _slot_formatter(fmt: str) -> Callable[[int, str], str]:
    cache: dict[int, str] = {}

    def name(slot: int, _session: str) -> str:
        found = cache.get(slot)
        if found is None:
            found = cache[slot] = time.strftime(fmt, time.localtime(slot * SLOT))
        return found

    return name


def _labelled(buckets: dict[str, Bucket], label: str) -> list[Bucket]:
    for bucket in buckets.values():
        bucket.extra = {label: bucket.name}
    return list(buckets.values())


def daily(conn: Any, flt: UsageFilter, pricing: Pricing) -> list[Bucket]:
    """Per local calendar day (the process time zone, like ccusage)."""
    return _labelled(grouped(conn, flt, pricing, _slot_formatter("%Y-%m-%d")), "date")


def monthly(conn: Any, flt: UsageFilter, pricing: Pricing) -> list[Bucket]:
    return _labelled(grouped(conn, flt, pricing, _slot_formatter("%Y-%m")), "month")


def by_session(conn: Any, flt: UsageFilter, pricing: Pricing) -> list[Bucket]:
    buckets = grouped(conn, flt, pricing, lambda _slot, session: session)
    if not buckets:
        return []
    marks = ",".join("?" * len(buckets))
    for row in conn.execute(
            f"SELECT key, agent, session_id, cwd, start, end FROM sessions_ledger WHERE key IN ({marks})",
            list(buckets)):
        bucket = buckets[row["key"]]
        bucket.extra = {"session_key": row["key"], "agent": row["agent"], "session_id": row["session_id"],
                        "project": row["cwd"], "last_activity": _iso(row["end"])}
    return sorted(buckets.values(), key=lambda b: b.extra.get("last_activity") or "")


def totals(buckets: Iterable[Bucket]) -> Bucket:
    total = Bucket("total")
    for bucket in buckets:
        total.add(bucket.tokens, bucket.cost, bucket.requests)
        for name, sub in bucket.models.items():
            total.models.setdefault(name, Bucket(name)).add(sub.tokens, sub.cost, sub.requests)
    return total


def blocks(conn: Any, flt: UsageFilter, pricing: Pricing, now: float | None = None) -> list[Bucket]:
    """ccusage's 5-hour billing blocks: a block starts at the hour (UTC) of its first
    request and ends 5 hours later; a request more than 5 hours after the block start
    or after the previous request starts a new block. Gaps are not reported."""
    cols = _COLUMNS[flt.dedup]
    where, params = _where(flt)
    sql = (f"SELECT r.{cols[6]}, r.model, r.long_ctx, (r.{cols[5]} IS NOT NULL), r.{cols[0]}, r.{cols[1]},"
           f" r.{cols[2]}, r.{cols[3]}, r.{cols[4]}, r.{cols[5]}"
           f" FROM sessions_requests r JOIN sessions_ledger l ON l.key = r.session_key{where}"
           f" ORDER BY r.{cols[6]}")
    now = time.time() if now is None else now
    out: list[Bucket] = []
    groups: dict[tuple[Any, ...], list[Any]] = {}
    start = last = first = 0.0
    count = 0

    def close() -> None:
        bucket = Bucket(_iso(start) or "")
        for (model, long_ctx, has_cost), (n, tokens, cost_sum) in groups.items():
            cost = _group_cost(pricing, flt.cost_mode, model, long_ctx, has_cost, tokens, cost_sum)
            bucket.add(tokens, cost, n)
            bucket.models.setdefault(model or "unknown", Bucket(model or "unknown")).add(tokens, cost, n)
        end = start + BLOCK_SECONDS
        bucket.extra = {"start": _iso(start), "end": _iso(end), "first_request": _iso(first),
                        "last_request": _iso(last),
                        "active": now - last < BLOCK_SECONDS and now < end}
        out.append(bucket)

    for row in conn.execute(sql, params):
        ts = float(row[0])
        if count == 0 or ts - start > BLOCK_SECONDS or ts - last > BLOCK_SECONDS:
            if count:
                close()
            groups = {}
            start = ts - (ts % 3600)
            first = ts
        count += 1
        last = ts
        key = (row[1], bool(row[2]), bool(row[3]))
        entry = groups.get(key)
        if entry is None:
            entry = groups[key] = [0, dict.fromkeys(TOKENS, 0), None]
        entry[0] += 1
        tokens = entry[1]
        for i, name in enumerate(TOKENS):
            tokens[name] += int(row[4 + i] or 0)
        if row[9] is not None:
            entry[2] = (entry[2] or 0.0) + float(row[9])
    if count:
        close()
    return out


def _iso(epoch: float | None) -> str | None:
    if epoch is None:
        return None
    return datetime.fromtimestamp(epoch, tz=UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
