"""Small helpers shared by the `sessions`, `usage` and `metrics` commands (no click here)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from agentops_os import render
from agentops_os.errors import FatalError
from agentops_os.repo import require_root
from agentops_os.sessions.ingest import IngestReport
from agentops_os.sessions.service import Ledger, ingest, open_ledger


def open_and_ingest(*, all_projects: bool = False, paths: list[Path] | None = None, skip: bool = False,
                    verbose: bool = False, quiet: bool = True) -> tuple[Ledger, IngestReport | None, int]:
    """Open this repo's ledger and bring it up to date (a no-op on an unchanged corpus)."""
    root = require_root()
    ledger = open_ledger(root)
    if skip:
        return ledger, None, 0
    report, written = ingest(ledger, all_projects=all_projects, paths=paths,
                             wrap=lambda items, total: render.progress(items, total, "ingest"))
    report_problems(report, verbose=verbose, quiet=quiet)
    return ledger, report, written


def report_problems(report: IngestReport, *, verbose: bool, quiet: bool) -> None:
    """Skipped input is never silent: counts always, file:line with --verbose."""
    if report.malformed:
        hint = "" if verbose else " (--verbose names them)"
        render.info(f"ao: skipped {report.malformed} malformed transcript line(s){hint}")
        if verbose:
            for where in report.malformed_at:
                render.info(f"  {where}: not a JSON object")
            if report.malformed > len(report.malformed_at):
                render.info(f"  ... and {report.malformed - len(report.malformed_at)} more")
    if report.unknown_records and not quiet:
        hint = "" if verbose else " (--verbose counts them by type)"
        render.info(f"ao: ignored {report.unknown_records} record(s) of unknown type{hint}")
        if verbose:
            for name, count in sorted(report.unknown_by_type.items(), key=lambda item: (-item[1], item[0])):
                render.info(f"  {name}: {count}")


def resolve_session(conn: Any, ident: str) -> dict[str, Any]:
    """A session by key, id, or unique prefix of either."""
    import orjson

    rows = conn.execute(
        "SELECT key, summary FROM sessions_ledger WHERE key = ? OR session_id = ?"
        " OR key LIKE ? OR session_id LIKE ? ORDER BY key",
        (ident, ident, ident + "%", ident + "%")).fetchall()
    exact = [r for r in rows if r[0] == ident or orjson.loads(r[1]).get("session_id") == ident]
    rows = exact or rows
    if not rows:
        raise FatalError(f"no session matches {ident!r} (see `ao sessions list`)")
    if len(rows) > 1:
        names = ", ".join(r[0] for r in rows[:5])
        raise FatalError(f"{ident!r} matches {len(rows)} sessions ({names}...); give more of the id")
    summary: dict[str, Any] = orjson.loads(rows[0][1])
    return summary


def fmt_int(value: Any) -> str:
    return f"{int(value or 0):,}"


def fmt_cost(value: Any) -> str:
    return f"${float(value or 0):,.2f}"


def fmt_duration(seconds: Any) -> str:
    total = int(float(seconds or 0))
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{hours}h{minutes:02d}m"
    if minutes:
        return f"{minutes}m{secs:02d}s"
    return f"{secs}s"


def fmt_pct(value: Any) -> str:
    return f"{float(value or 0) * 100:.0f}%"


def usage_row(name: str, bucket: Any, models: str) -> list[str]:
    tokens = bucket.tokens
    return [name, models, fmt_int(tokens["input"]), fmt_int(tokens["output"]),
            fmt_int(tokens["cache_write_5m"] + tokens["cache_write_1h"]), fmt_int(tokens["cache_read"]),
            fmt_int(bucket.total), fmt_cost(bucket.cost)]


def list_row(r: dict[str, Any]) -> list[Any]:
    models = ",".join(m.split("-2")[0] for m in r.get("models", []))
    return [r["session_id"][:8], r["agent"], (r.get("start") or "")[:16].replace("T", " "),
            fmt_duration(r.get("duration_seconds")), models, fmt_int(r["tokens"]["total"]),
            fmt_cost(r.get("cost_usd")), fmt_pct(r.get("peak_utilisation")), len(r.get("commits") or []),
            r.get("mark") or "", (r.get("title") or "")[:40]]


def show_lines(s: dict[str, Any]) -> list[tuple[str, str]]:
    tokens = s["tokens"]
    tools = ", ".join(f"{k} {v}" for k, v in s.get("tool_calls", {}).items())
    above = "/".join(str(v) for v in s["turns_above"].values())
    peak = (f"{fmt_int(s.get('peak_context_tokens'))} tokens = {fmt_pct(s.get('peak_utilisation'))} of "
            f"{fmt_int(s.get('context_window'))}; turns above 40/60/80%: {above}")
    return [
        ("session", s["key"]), ("title", s.get("title") or ""),
        ("agent", f"{s['agent']} {s.get('agent_version') or ''}".strip()),
        ("branch", s.get("branch") or ""), ("cwd", s.get("cwd") or ""),
        ("time", f"{s.get('start')} .. {s.get('end')} ({fmt_duration(s.get('duration_seconds'))}, "
                 f"active {fmt_duration(s.get('active_seconds'))})"),
        ("models", ", ".join(s.get("models") or [])),
        ("turns", f"{s['user_turns']} user, {s['assistant_messages']} assistant"),
        ("tools", f"{tools} ({s.get('tool_errors', 0)} errors)"),
        ("tokens", f"input {fmt_int(tokens['input'])}, output {fmt_int(tokens['output'])}, cache write "
                   f"{fmt_int(tokens['cache_write_5m'])} (5m) + {fmt_int(tokens['cache_write_1h'])} (1h), "
                   f"cache read {fmt_int(tokens['cache_read'])}"),
        ("cost", fmt_cost(s.get("cost_usd"))),
        ("peak context", peak),
        ("compactions", str(s.get("compactions", 0))), ("subagents", str(s.get("subagents", 0))),
        ("files touched", ", ".join(s.get("files_touched") or []) or "-"),
        ("commits", ", ".join(c[:10] for c in s.get("commits") or []) or "-"),
        ("mark", s.get("mark") or "-"),
    ]
