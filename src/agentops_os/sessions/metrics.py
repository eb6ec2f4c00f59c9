"""Operational metrics over session summaries (Factor V): success, context health, time,
tokens and cost per commit, tool errors -- overall and grouped by model, agent and week.

Success of a session: the user's mark when there is one (`ao sessions mark`); otherwise
it produced at least one commit and no gate failed on any of those commits.
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from agentops_os.store.store import read_jsonl

SPARK = "▁▂▃▄▅▆▇█"
_FAIL_WORDS = {"fail", "failed", "failure", "error", "red", "blocked"}
_COMMIT_FIELDS = ("commit", "commit_sha", "sha", "head", "head_sha")


def gate_failures(agents_dir: Path) -> set[str]:
    """Commits some gate failed on, from verdicts recorded under `.agents/audit/`.

    The audit ledger is written by another feature; read it loosely (JSON Lines or JSON
    files, verdict under `verdict`/`status`/`result`, maybe nested in `data`/`payload`)
    and treat its absence as "no gate failed".
    """
    audit = agents_dir / "audit"
    failed: set[str] = set()
    if not audit.is_dir():
        return failed
    errors: list[str] = []  # a torn audit line must not break metrics
    for path in sorted(audit.rglob("*")):
        if path.suffix == ".jsonl":
            records: Iterable[dict[str, Any]] = read_jsonl(path, errors)
        elif path.suffix == ".json":
            records = read_jsonl_single(path)
        else:
            continue
        for record in records:
            for item in (record, record.get("data"), record.get("payload"), record.get("detail")):
                if isinstance(item, dict):
                    _collect_failure(item, record, failed)
    return failed


def read_jsonl_single(path: Path) -> list[dict[str, Any]]:
    import orjson

    try:
        value = orjson.loads(path.read_bytes())
    except (OSError, orjson.JSONDecodeError):
        return []
    return [value] if isinstance(value, dict) else []


def _collect_failure(item: dict[str, Any], record: dict[str, Any], failed: set[str]) -> None:
    kind = str(item.get("kind") or item.get("type") or record.get("kind") or record.get("type") or "")
    verdict = item.get("verdict", item.get("status", item.get("result")))
    if isinstance(verdict, dict):
        verdict = verdict.get("status") or verdict.get("verdict")
    passed = item.get("passed", item.get("ok"))
    is_fail = (isinstance(verdict, str) and verdict.lower() in _FAIL_WORDS) or passed is False
    if not is_fail or ("gate" not in kind.lower() and "gate" not in item and "gate_set" not in item):
        return
    for name in _COMMIT_FIELDS:
        value = item.get(name) or record.get(name)
        if isinstance(value, str) and len(value) >= 7:
            failed.add(value)


def succeeded(summary: dict[str, Any], mark: str | None, failed_commits: set[str]) -> bool:
    if mark:
        return mark == "success"
    commits = summary.get("commits") or []
    if not commits:
        return False
    return not any(sha in failed_commits or any(f.startswith(sha) or sha.startswith(f)
                                                for f in failed_commits) for sha in commits)


def primary_model(summary: dict[str, Any]) -> str:
    by_model = summary.get("by_model") or {}
    if not by_model:
        return "unknown"
    return max(by_model.items(), key=lambda kv: sum(v for k, v in kv[1].items()
                                                    if k not in ("cost_usd", "requests")))[0]


def week_of(summary: dict[str, Any]) -> str:
    start = summary.get("start")
    if not start:
        return "unknown"
    moment = datetime.fromisoformat(start.replace("Z", "+00:00")).astimezone(UTC)
    year, week, _ = moment.isocalendar()
    return f"{year}-W{week:02d}"


def compute(summaries: list[dict[str, Any]], marks: dict[str, dict[str, Any]], failed_commits: set[str],
            *, budget_fraction: float = 0.40, collapse_fraction: float = 0.80) -> dict[str, Any]:
    rows = []
    for summary in summaries:
        mark = (marks.get(summary.get("key", "")) or {}).get("mark")
        rows.append((summary, mark))
    overall = _aggregate(rows, failed_commits, budget_fraction, collapse_fraction)
    groups: dict[str, dict[str, Any]] = {}
    for name, keyfn in (("model", lambda s: primary_model(s)), ("agent", lambda s: s.get("agent", "?")),
                        ("week", week_of)):
        buckets: dict[str, list[tuple[dict[str, Any], str | None]]] = {}
        for summary, mark in rows:
            buckets.setdefault(keyfn(summary), []).append((summary, mark))
        groups[name] = {key: _aggregate(items, failed_commits, budget_fraction, collapse_fraction)
                        for key, items in sorted(buckets.items())}
    trends = {metric: [groups["week"][w][metric] for w in groups["week"]]
              for metric in ("success_rate", "collapse_rate", "under_budget_share", "cost_usd",
                             "tool_error_rate")}
    return {"overall": overall, "by": groups, "weeks": list(groups["week"]), "trends": trends,
            "budget_fraction": budget_fraction, "collapse_fraction": collapse_fraction}


def _aggregate(rows: list[tuple[dict[str, Any], str | None]], failed_commits: set[str],
               budget_fraction: float, collapse_fraction: float) -> dict[str, Any]:
    n = len(rows)
    if n == 0:
        return {"sessions": 0}
    successes = sum(1 for s, mark in rows if succeeded(s, mark, failed_commits))
    marked = sum(1 for _, mark in rows if mark)
    collapsed = sum(1 for s, _ in rows if (s.get("peak_utilisation") or 0) > collapse_fraction
                    or (s.get("compactions") or 0) > 0)
    under = sum(1 for s, _ in rows if (s.get("peak_utilisation") or 0) <= budget_fraction)
    durations = [float(s.get("duration_seconds") or 0) for s, _ in rows]
    active = [float(s.get("active_seconds") or 0) for s, _ in rows]
    commits = sum(len(s.get("commits") or []) for s, _ in rows)
    tokens = sum(int((s.get("tokens") or {}).get("total", 0)) for s, _ in rows)
    cost = sum(float(s.get("cost_usd") or 0) for s, _ in rows)
    results = sum(int(s.get("tool_results") or 0) for s, _ in rows)
    errors = sum(int(s.get("tool_errors") or 0) for s, _ in rows)
    return {
        "sessions": n, "marked": marked, "successes": successes,
        "success_rate": round(successes / n, 4),
        "collapse_rate": round(collapsed / n, 4),
        "under_budget_share": round(under / n, 4),
        "median_duration_seconds": round(statistics.median(durations), 1),
        "median_active_seconds": round(statistics.median(active), 1),
        "commits": commits, "tokens": tokens, "cost_usd": round(cost, 4),
        "tokens_per_commit": round(tokens / commits) if commits else None,
        "cost_per_commit": round(cost / commits, 4) if commits else None,
        "tool_calls": sum(int(s.get("tool_calls_total") or 0) for s, _ in rows),
        "tool_errors": errors,
        "tool_error_rate": round(errors / results, 4) if results else 0.0,
    }


def sparkline(values: list[float | None]) -> str:
    numbers = [v for v in values if v is not None]
    if not numbers:
        return ""
    low, high = min(numbers), max(numbers)
    span = high - low
    out = []
    for value in values:
        if value is None:
            out.append(" ")
        elif span == 0:
            out.append(SPARK[len(SPARK) // 2] if high else SPARK[0])
        else:
            out.append(SPARK[round((value - low) / span * (len(SPARK) - 1))])
    return "".join(out)


def phase_metrics(tags: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """Per workflow phase (from `sessions.tags`): agent calls, context peak (median, max)
    and the share of calls whose peak stayed under the limit they ran with (the 40 % rule)."""
    by_phase: dict[str, list[dict[str, Any]]] = {}
    for tag in tags.values():
        if tag.get("phase"):
            by_phase.setdefault(f"{tag.get('workflow', 'rpi')}:{tag['phase']}", []).append(tag)
    out: dict[str, dict[str, Any]] = {}
    for name, items in sorted(by_phase.items()):
        fractions = [int(t.get("context_peak") or 0) / int(t["context_window"])
                     for t in items if t.get("context_window")]
        under = [f <= float(t.get("limit") or 0.4) for f, t in zip(fractions, items, strict=False)]
        ordered = sorted(fractions)
        out[name] = {
            "calls": len(items),
            "median_peak_fraction": round(ordered[len(ordered) // 2], 4) if ordered else None,
            "max_peak_fraction": round(ordered[-1], 4) if ordered else None,
            "under_limit_share": round(sum(under) / len(under), 4) if under else None,
            "stopped_at_limit": sum(1 for t in items if t.get("status") == "budget"),
        }
    return out
