"""Per-session summaries: built from the index after an ingest, written as one small
JSON file per session under `.agents/sessions/<agent>-<session>.json` (sessions of this
repo only: metrics, no content, repo-relative paths, redacted by the Store) and kept in
the `sessions_ledger` table. `refill_ledger` rebuilds that table from the files.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import orjson

from agentops_os import git
from agentops_os.sessions.discovery import inside
from agentops_os.sessions.ingest import iter_sessions_of
from agentops_os.sessions.pricing import Pricing
from agentops_os.sessions.usage import TOKENS, UsageFilter, _group_cost

THRESHOLDS = (40, 60, 80)
SUMMARY_KIND = "sessions"
MARKS_KIND = "sessions/marks"
MARKS = ("success", "fail", "abandoned")


def iso(epoch: float | None) -> str | None:
    if epoch is None:
        return None
    return datetime.fromtimestamp(epoch, tz=UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def from_iso(text: str | None) -> float | None:
    if not text:
        return None
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp()
    except ValueError:
        return None


class CommitFinder:
    """Commits on a branch inside a time window; one `git log` per branch per run."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.cache: dict[str, list[tuple[int, str]]] = {}
        self.is_repo = (root / ".git").exists()

    def between(self, branch: str | None, start: float | None, end: float | None) -> list[str]:
        if not self.is_repo or not branch or start is None or end is None:
            return []
        if branch not in self.cache:
            self.cache[branch] = git.commit_times(self.root, f"refs/heads/{branch}")
        pairs = self.cache[branch]
        lo = bisect.bisect_left(pairs, (int(start), ""))
        hi = bisect.bisect_right(pairs, (int(end), "\uffff"))
        return [sha for _, sha in pairs[lo:hi]]


def merge_facts(files: list[dict[str, Any]]) -> dict[str, Any]:
    """One session's facts from its transcript files (main first, then subagents)."""
    main = [f for f in files if not f.get("subagent")] or files
    head = main[0]
    out: dict[str, Any] = {
        "agent": head["agent"], "session_id": head["session_id"], "cwd": head["cwd"],
        "branch": head["branch"], "version": head["version"], "title": head["title"],
        "start": min((f["start"] for f in files if f["start"] is not None), default=None),
        "end": max((f["end"] for f in files if f["end"] is not None), default=None),
        "active": sum(f["active"] for f in main),
        "user_turns": sum(f["user_turns"] for f in main),
        "tools": {}, "tool_results": 0, "tool_errors": 0,
        "compactions": sum(f["compactions"] for f in main),
        "files": sorted({p for f in files for p in f["files"]}),
        "files_outside": sum(f["files_outside"] for f in files),
        "subagents": sum(1 for f in files if f.get("subagent")),
        "transcripts": len(files),
        "malformed": sum(f.get("malformed", 0) for f in files),
        "unknown": sum(f["unknown"] for f in files),
    }
    for f in files:
        out["tool_results"] += f["tool_results"]
        out["tool_errors"] += f["tool_errors"]
        for name, count in f["tools"].items():
            out["tools"][name] = out["tools"].get(name, 0) + count
        if out["cwd"] is None and f["cwd"]:
            out["cwd"] = f["cwd"]
    return out


def build_summary(conn: Any, key: str, files: list[dict[str, Any]], *, root: Path, config: Any,
                  pricing: Pricing, commits: CommitFinder, cost_mode: str, dedup: str) -> dict[str, Any]:
    facts = merge_facts(files)
    cols = ("input", "output", "cw5m", "cw1h", "cr", "cost") if dedup == "final" else \
        ("f_input", "f_output", "f_cw5m", "f_cw1h", "f_cr", "f_cost")
    tokens = dict.fromkeys(TOKENS, 0)
    by_model: dict[str, dict[str, Any]] = {}
    cost_total = 0.0
    requests = 0
    for row in conn.execute(
            f"SELECT model, long_ctx, ({cols[5]} IS NOT NULL), count(*), sum({cols[0]}), sum({cols[1]}),"
            f" sum({cols[2]}), sum({cols[3]}), sum({cols[4]}), sum({cols[5]})"
            f" FROM sessions_requests WHERE session_key = ? GROUP BY 1, 2, 3", (key,)):
        group = dict(zip(TOKENS, (int(v or 0) for v in row[4:9]), strict=True))
        cost = _group_cost(pricing, cost_mode, row[0], bool(row[1]), bool(row[2]), group, row[9])
        model = row[0] or "unknown"
        entry = by_model.setdefault(model, {**dict.fromkeys(TOKENS, 0), "cost_usd": 0.0, "requests": 0})
        for name in TOKENS:
            tokens[name] += group[name]
            entry[name] += group[name]
        entry["cost_usd"] += cost
        entry["requests"] += row[3]
        cost_total += cost
        requests += row[3]
    peak, peak_util, peak_window = 0, 0.0, None
    above = dict.fromkeys(THRESHOLDS, 0)
    # Per model: the peak is its largest context, and the turns above each threshold are
    # counted in SQL with the same float arithmetic as `ctx / window * 100 > threshold`.
    counts_sql = ("SELECT " + ", ".join("sum((ctx * 1.0 / ?) * 100 > ?)" for _ in THRESHOLDS)
                  + " FROM sessions_requests WHERE session_key = ? AND sidechain = 0 AND model IS ?")
    for model, top in conn.execute(
            "SELECT model, max(ctx) FROM sessions_requests WHERE session_key = ? AND sidechain = 0"
            " GROUP BY model", (key,)).fetchall():
        window = config.window_for(model)
        util = top / window if window else 0.0
        if util > peak_util or (util == peak_util and top > peak):
            peak, peak_util, peak_window = top, util, window
        if window:
            params: list[Any] = [v for t in THRESHOLDS for v in (window, t)]
            counts = conn.execute(counts_sql, (*params, key, model)).fetchone()
            for threshold, count in zip(THRESHOLDS, counts, strict=True):
                above[threshold] += int(count or 0)
    in_repo = inside(facts["cwd"], root)
    start, end = facts["start"], facts["end"]
    grace = float(config.get("sessions.commit_grace_seconds", 120))
    shas = commits.between(facts["branch"], start, (end + grace) if end is not None else None) \
        if in_repo else []
    cwd = facts["cwd"]
    if in_repo and cwd:
        cwd = str(Path(cwd).relative_to(root)) if cwd != str(root) else "."
    title_chars = int(config.get("sessions.title_chars", 80))
    title = facts["title"]
    if title and len(title) > title_chars:
        title = title[: title_chars - 1].rstrip() + "…"
    for entry in by_model.values():
        entry["cost_usd"] = round(entry["cost_usd"], 6)
    return {
        "key": key, "agent": facts["agent"], "agent_version": facts["version"],
        "session_id": facts["session_id"], "branch": facts["branch"], "cwd": cwd, "in_repo": in_repo,
        "title": title, "start": iso(start), "end": iso(end),
        "duration_seconds": round(end - start, 3) if start is not None and end is not None else 0,
        "active_seconds": round(facts["active"], 3),
        "models": sorted(m for m in by_model if m != "unknown"),
        "user_turns": facts["user_turns"], "assistant_messages": requests,
        "tool_calls": dict(sorted(facts["tools"].items())),
        "tool_calls_total": sum(facts["tools"].values()),
        "tool_results": facts["tool_results"], "tool_errors": facts["tool_errors"],
        "tokens": {**tokens, "total": sum(tokens.values())},
        "cost_usd": round(cost_total, 6), "cost_mode": cost_mode, "dedup": dedup,
        "by_model": by_model,
        "peak_context_tokens": peak, "context_window": peak_window,
        "peak_utilisation": round(peak_util, 4),
        "turns_above": {str(t): above[t] for t in THRESHOLDS},
        "compactions": facts["compactions"], "subagents": facts["subagents"],
        "files_touched": facts["files"], "files_outside_repo": facts["files_outside"],
        "commits": shas, "transcripts": facts["transcripts"],
        "malformed_lines": facts["malformed"], "unknown_records": facts["unknown"],
    }


def update_sessions(index: Any, store: Any, keys: Iterable[str], *, root: Path, config: Any,
                    pricing: Pricing, flt: UsageFilter) -> int:
    """Recompute and store the summaries of `keys`; return how many JSON files were written."""
    built = build_summaries(index.conn, keys, root=root, config=config, pricing=pricing, flt=flt)
    return store_summaries(index, store, built)


Built = list[tuple[str, dict[str, Any] | None, str | None]]  # key, summary (None: gone), abs cwd


def build_summaries(conn: Any, keys: Iterable[str], *, root: Path, config: Any, pricing: Pricing,
                    flt: UsageFilter) -> Built:
    """The summaries of `keys`, read from the index without writing to it (so this can run
    while another connection writes, e.g. the usage rollup of the same ingest)."""
    commits = CommitFinder(root)
    built: Built = []
    for key, files in iter_sessions_of(conn, keys):
        if not files:
            built.append((key, None, None))
            continue
        summary = build_summary(conn, key, files, root=root, config=config, pricing=pricing,
                                commits=commits, cost_mode=flt.cost_mode, dedup=flt.dedup)
        built.append((key, summary, files[0]["cwd"]))
    return built


def store_summaries(index: Any, store: Any, built: Built) -> int:
    """Write this repo's summaries as JSON files and every one into the ledger table."""
    conn = index.conn
    written = 0
    with index.transaction():
        for key, summary, abs_cwd in built:
            if summary is None:
                conn.execute("DELETE FROM sessions_ledger WHERE key = ?", (key,))
                continue
            if summary["in_repo"]:
                path = store.write_record(SUMMARY_KIND, key, summary)
                summary = store.read_record(path)  # what is stored is what is indexed (redacted)
                written += 1
            else:
                summary = store.redactor.value(summary)  # the index gets the same one step
            _upsert(conn, summary, abs_cwd)
        conn.executemany("DELETE FROM sessions_pending WHERE key = ?", [(key,) for key, _, _ in built])
    return written


def _upsert(conn: Any, summary: dict[str, Any], abs_cwd: str | None) -> None:
    conn.execute(
        "INSERT OR REPLACE INTO sessions_ledger(key, agent, session_id, cwd, in_repo, start, end, summary)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (summary["key"], summary["agent"], summary["session_id"], abs_cwd or summary.get("cwd"),
         int(bool(summary.get("in_repo"))), from_iso(summary.get("start")), from_iso(summary.get("end")),
         orjson.dumps(summary).decode()))


def refill_ledger(index: Any) -> None:
    from agentops_os.store import Store

    store = Store(index.root)
    errors: list[str] = []
    with index.transaction():
        for _path, summary in store.iter_records(SUMMARY_KIND, errors):
            if "key" not in summary or "agent" not in summary:
                continue
            _upsert(index.conn, summary, str(index.root / summary["cwd"]) if summary.get("cwd") else None)


def load_marks(store: Any, errors: list[str] | None = None) -> dict[str, dict[str, Any]]:
    return {data.get("key", path.stem): data for path, data in store.iter_records(MARKS_KIND, errors)}


def summaries(conn: Any, *, all_projects: bool = False) -> list[dict[str, Any]]:
    where = "" if all_projects else " WHERE in_repo = 1"
    return [orjson.loads(row[0]) for row in conn.execute(
        f"SELECT summary FROM sessions_ledger{where} ORDER BY start")]
