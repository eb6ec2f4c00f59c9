"""What `ao watch` shows at one moment, as plain data (the Textual app only draws it).

Sessions are the ones whose transcript moved in the last `active_minutes`; their context
is the last request's (read from the transcript's end, as the UserPromptSubmit hook reads
it), not the session's peak, because a live view asks how full the window is now.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson

_TOOL = re.compile(rb'"type":\s*"(?:tool_use|function_call|custom_tool_call)"[^\n]*?"name":\s*"([^"]{1,80})"'
                   rb'|"name":\s*"([^"]{1,80})"[^\n]*?"type":\s*"(?:function_call|custom_tool_call)"')


@dataclass
class LiveSession:
    key: str
    session_id: str
    agent: str
    title: str
    context_tokens: int
    window: int
    tokens: int
    cost: float
    last_tool: str
    last_seen: float

    @property
    def utilisation(self) -> float:
        return self.context_tokens / self.window if self.window else 0.0


@dataclass
class LiveRun:
    id: str
    kind: str
    status: str
    detail: str


@dataclass
class Snapshot:
    taken: float
    sessions: list[LiveSession] = field(default_factory=list)
    runs: list[LiveRun] = field(default_factory=list)
    gate: str = "no gate run yet"


def last_tool(path: Path, tail_bytes: int = 65_536) -> str:
    """The name of the last tool called in the transcript's tail ("" if none)."""
    try:
        with open(path, "rb") as handle:
            handle.seek(max(0, path.stat().st_size - tail_bytes))
            tail = handle.read()
    except OSError:
        return ""
    found = ""
    for match in _TOOL.finditer(tail):
        found = (match.group(1) or match.group(2) or b"").decode("utf-8", "replace")
    return found


def take(ledger: Any, *, active_minutes: float = 15.0, now: float | None = None) -> Snapshot:
    from agentops_os.audit.ledger import iter_records
    from agentops_os.context.tail import last_usage
    from agentops_os.workflows.runs import iter_runs

    now = time.time() if now is None else now
    snap = Snapshot(taken=now)
    conn = ledger.index.conn
    newest: dict[str, tuple[float, Path]] = {}
    for path, key, mtime_ns in conn.execute("SELECT path, session_key, mtime_ns FROM sessions_files"):
        seen = (mtime_ns or 0) / 1e9
        if seen >= now - active_minutes * 60 and (key not in newest or seen > newest[key][0]):
            newest[key] = (seen, Path(path))
    for key, (seen, path) in sorted(newest.items(), key=lambda item: -item[1][0]):
        row = conn.execute("SELECT agent, summary FROM sessions_ledger WHERE key = ?", (key,)).fetchone()
        if row is None:
            continue
        summary = orjson.loads(row[1])
        found = last_usage(path)
        context, window = (found[0], found[2]) if found else (0, None)
        tokens = int((summary.get("tokens") or {}).get("total", 0))
        snap.sessions.append(LiveSession(
            key=key, session_id=str(summary.get("session_id") or key), agent=row[0],
            title=str(summary.get("title") or "")[:60], context_tokens=context,
            window=int(window or summary.get("context_window") or 200_000), tokens=tokens,
            cost=float(summary.get("cost_usd") or 0), last_tool=last_tool(path), last_seen=seen))
    for run in iter_runs(ledger.root):
        try:
            state = run.load()
        except Exception:  # noqa: BLE001 - a run being written or broken is shown, not fatal
            snap.runs.append(LiveRun(run.id, "?", "unreadable", ""))
            continue
        kind = str(state.get("kind") or "?")
        if kind == "swarm":
            counts: dict[str, int] = {}
            for progress in (state.get("progress") or {}).values():
                status = str((progress or {}).get("status") or "?")
                counts[status] = counts.get(status, 0) + 1
            detail = ", ".join(f"{n} {s}" for s, n in sorted(counts.items()))
        else:
            detail = f"phase {state.get('phase', '?')}: {str(state.get('goal') or '')[:50]}"
        snap.runs.append(LiveRun(run.id, kind, str(state.get("status") or "?"), detail))
    for record in iter_records(ledger.root, []):
        if record.get("kind") == "gate.verdict":
            snap.gate = f"{record.get('summary', 'gate')} at {record.get('at', '?')}"
    return snap


def bar(share: float, width: int = 20) -> str:
    """A context bar with the 40 % line visible: '█████████░|░░░░░░░░░░ 45%'."""
    share = max(0.0, min(share, 1.0))
    filled = round(share * width)
    cells = ["█" if i < filled else "░" for i in range(width)]
    cells.insert(round(0.4 * width), "|")
    return "".join(cells) + f" {share:4.0%}"


def lines(snap: Snapshot) -> list[str]:
    """The snapshot as text (`ao watch --once`)."""
    out = [f"sessions active in the last minutes: {len(snap.sessions)}"]
    for s in snap.sessions:
        out.append(f"  {s.agent:<11} {s.session_id[:8]}  {bar(s.utilisation)}  {s.tokens:,} tokens  "
                   f"${s.cost:.2f}  last tool {s.last_tool or '-'}")
    out.append(f"runs: {len(snap.runs)}")
    for r in snap.runs:
        out.append(f"  {r.kind:<5} {r.id}  {r.status}  {r.detail}")
    out.append(f"gate: {snap.gate}")
    return out
