"""The numbers behind `ao report`, gathered from the index, the audit ledger and the store
as plain lists and dicts (no plotting here: testable, and the charts stay a view)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any


@dataclass
class ReportData:
    days: list[str] = field(default_factory=list)
    tokens_by_model: dict[str, list[int]] = field(default_factory=dict)  # model -> per day
    cost_by_day: list[float] = field(default_factory=list)
    utilisation: list[float] = field(default_factory=list)  # peak % of the window, per session
    weeks: list[str] = field(default_factory=list)
    success_rate: list[float] = field(default_factory=list)
    collapse_rate: list[float] = field(default_factory=list)
    tool_error_rate: list[float] = field(default_factory=list)
    guard: dict[tuple[str, str], int] = field(default_factory=dict)  # (rule, decision) -> count
    gate_weeks: list[str] = field(default_factory=list)
    gate_pass_rate: list[float] = field(default_factory=list)
    gate_cache_hits: list[float] = field(default_factory=list)  # share of checks answered from cache
    learning_weeks: list[str] = field(default_factory=list)
    learnings_created: list[int] = field(default_factory=list)
    learnings_by_status: dict[str, int] = field(default_factory=dict)
    learning_votes: dict[str, int] = field(default_factory=dict)  # helpful / harmful marks
    learnings_retrieved: list[int] = field(default_factory=list)  # per learning week: ids served
    retrievals_by: dict[str, int] = field(default_factory=dict)  # prime / search / mcp -> ids served
    top_learnings: list[dict[str, Any]] = field(default_factory=list)  # most retrieved first
    routing: dict[tuple[str, str], int] = field(default_factory=dict)  # (agent, outcome) -> count
    decisions: dict[str, int] = field(default_factory=dict)  # agent or ABSTAINED -> `ao route` answers
    decisions_by: dict[str, int] = field(default_factory=dict)  # route / mcp -> answers
    decision_confidence: list[float] = field(default_factory=list)  # top score of each answer
    phases: dict[str, dict[str, Any]] = field(default_factory=dict)
    sessions: int = 0
    notes: list[str] = field(default_factory=list)


ABSTAINED = "(abstained)"
TOP_LEARNINGS = 10


def _week(stamp: str | None) -> str | None:
    if not stamp:
        return None
    try:
        moment = datetime.fromisoformat(stamp.replace("Z", "+00:00")).astimezone(UTC)
    except ValueError:
        return None
    year, week, _ = moment.isocalendar()
    return f"{year}-W{week:02d}"


def gather(ledger: Any, *, since: Any = None, all_projects: bool = False) -> ReportData:
    from agentops_os.audit.ledger import iter_records
    from agentops_os.knowledge import learnings
    from agentops_os.sessions import tags, usage
    from agentops_os.sessions.ledger import load_marks, summaries
    from agentops_os.sessions.metrics import compute, gate_failures, phase_metrics
    from agentops_os.sessions.service import default_filter

    data = ReportData()
    flt = default_filter(ledger, since=since, all_projects=all_projects)
    buckets = usage.daily(ledger.index.conn, flt, ledger.pricing)
    data.days = [b.name for b in buckets]
    models = sorted({m for b in buckets for m in b.models})
    data.tokens_by_model = {m: [b.models[m].total if m in b.models else 0 for b in buckets] for m in models}
    data.cost_by_day = [round(b.cost, 6) for b in buckets]

    rows = summaries(ledger.index.conn, all_projects=all_projects)
    if since is not None:
        first = since.isoformat()
        rows = [s for s in rows if str(s.get("start") or "") >= first]
    data.sessions = len(rows)
    data.utilisation = [round(100 * float(s["peak_utilisation"]), 1) for s in rows
                        if isinstance(s.get("peak_utilisation"), int | float)]
    result = compute(rows, load_marks(ledger.store, []), gate_failures(ledger.store.dir),
                     budget_fraction=float(ledger.config.get("context.budget_fraction", 0.4)),
                     collapse_fraction=float(ledger.config.get("metrics.collapse_fraction", 0.8)))
    data.weeks = list(result.get("weeks") or [])
    trends = result.get("trends") or {}
    data.success_rate = [100 * v for v in trends.get("success_rate", [])]
    data.collapse_rate = [100 * v for v in trends.get("collapse_rate", [])]
    data.tool_error_rate = [100 * v for v in trends.get("tool_error_rate", [])]
    data.phases = phase_metrics(tags.load(ledger.store, []))

    errors: list[str] = []
    gates: dict[str, list[int]] = {}  # week -> [runs, passed, checks, cached]
    for record in iter_records(ledger.root, errors):
        kind = str(record.get("kind", ""))
        if kind.startswith("guard.") or kind == "budget.stop":
            key = (str(record.get("rule") or "?"), kind.split(".", 1)[-1])
            data.guard[key] = data.guard.get(key, 0) + 1
        elif kind == "gate.verdict":
            week = _week(record.get("at"))
            if week is None:
                continue
            slot = gates.setdefault(week, [0, 0, 0, 0])
            raw = record.get("checks")
            checks: dict[str, Any] = raw if isinstance(raw, dict) else {}
            slot[0] += 1
            slot[1] += 1 if record.get("passed") else 0
            slot[2] += len(checks)
            slot[3] += sum(1 for status in checks.values() if "(cached)" in str(status))
    data.notes.extend(errors)
    data.gate_weeks = sorted(gates)
    data.gate_pass_rate = [100 * gates[w][1] / gates[w][0] for w in data.gate_weeks]
    data.gate_cache_hits = [100 * gates[w][3] / gates[w][2] if gates[w][2] else 0.0 for w in data.gate_weeks]

    created: dict[str, int] = {}
    data.learning_votes = {"helpful": 0, "harmful": 0}
    known = learnings.load_all(ledger.store)
    for item in known:
        data.learnings_by_status[item.status] = data.learnings_by_status.get(item.status, 0) + 1
        for vote in ("helpful", "harmful"):
            count = item.extra.get(f"{vote}_count")
            data.learning_votes[vote] += count if isinstance(count, int) else 0
        week = _week(item.created)
        if week:
            created[week] = created.get(week, 0) + 1
    first = since.isoformat() if since is not None else None
    retrieved, per_learning = retrievals_per_week(ledger.root, data, first)
    data.learning_weeks = sorted(set(created) | set(retrieved))
    data.learnings_created = [created.get(w, 0) for w in data.learning_weeks]
    data.learnings_retrieved = [retrieved.get(w, 0) for w in data.learning_weeks]
    data.top_learnings = top_learnings(per_learning, known)
    data.routing = routing_outcomes(ledger.root, data.notes)
    route_decisions(ledger.root, data, first)
    return data


def retrievals_per_week(root: Any, data: ReportData, since: str | None
                        ) -> tuple[dict[str, int], dict[str, dict[str, int]]]:
    """Learnings served per week (one per id in each answer of `ao prime`, `ao search` and
    the MCP tools; knowledge/retrievals.py), and per learning id: {caller: count}."""
    from agentops_os.knowledge.retrievals import RETRIEVALS, load

    weeks: dict[str, int] = {}
    per_learning: dict[str, dict[str, int]] = {}
    for record in load(root, RETRIEVALS, data.notes, since):
        week = _week(record.get("at"))
        raw = record.get("ids")
        ids = [i for i in raw if isinstance(i, str)] if isinstance(raw, list) else []
        if week is None or not ids:
            continue
        by = str(record.get("by") or "?")
        weeks[week] = weeks.get(week, 0) + len(ids)
        data.retrievals_by[by] = data.retrievals_by.get(by, 0) + len(ids)
        for learning_id in ids:
            callers = per_learning.setdefault(learning_id, {})
            callers[by] = callers.get(by, 0) + 1
    return weeks, per_learning


def top_learnings(per_learning: dict[str, dict[str, int]], known: list[Any],
                  limit: int = TOP_LEARNINGS) -> list[dict[str, Any]]:
    """The most retrieved learnings with their helpful/harmful marks (ties by id)."""
    by_id = {item.id: item for item in known}
    ranked = sorted(per_learning.items(), key=lambda pair: (-sum(pair[1].values()), pair[0]))[:limit]
    out = []
    for learning_id, callers in ranked:
        item = by_id.get(learning_id)
        row: dict[str, Any] = {
            "id": learning_id, "title": item.title if item is not None else "(no longer in the store)",
            "status": item.status if item is not None else "gone",
            "retrieved": sum(callers.values()), "by": dict(sorted(callers.items()))}
        for vote in ("helpful", "harmful"):
            count = item.extra.get(f"{vote}_count") if item is not None else 0
            row[vote] = count if isinstance(count, int) else 0
        out.append(row)
    return out


def route_decisions(root: Any, data: ReportData, since: str | None) -> None:
    """Every `ao route` answer (knowledge/retrievals.py): per agent chosen, abstentions as
    ABSTAINED, per caller, and the top score of each."""
    from agentops_os.knowledge.retrievals import DECISIONS, load

    for record in load(root, DECISIONS, data.notes, since):
        agent = record.get("agent")
        label = ABSTAINED if record.get("abstained") or not isinstance(agent, str) else agent
        data.decisions[label] = data.decisions.get(label, 0) + 1
        by = str(record.get("by") or "?")
        data.decisions_by[by] = data.decisions_by.get(by, 0) + 1
        confidence = record.get("confidence")
        if isinstance(confidence, int | float):
            data.decision_confidence.append(float(confidence))


def routing_outcomes(root: Any, errors: list[str]) -> dict[tuple[str, str], int]:
    """Outcomes recorded for routed tasks (`ao route feedback`, rpi and swarm runs)."""
    from agentops_os.agents.routing import HISTORY_KIND, history_dir
    from agentops_os.store import Store

    directory = history_dir(root)
    out: dict[tuple[str, str], int] = {}
    if not directory.is_dir():
        return out
    store = Store(root)
    for path in sorted(directory.glob("*.jsonl")):
        for record in store.read_log(HISTORY_KIND, path.stem, errors):
            key = (str(record.get("agent") or "?"), str(record.get("outcome") or "?"))
            out[key] = out.get(key, 0) + 1
    return out
