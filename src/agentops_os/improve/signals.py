"""Mine the friction `ao` already records into one `Signal` per distinct cause.

Sources, all read as they are stored (nothing here writes):
- the audit ledger (`.agents/audit/*.jsonl`): failing gate checks (`gate.verdict`), guard
  denials (`guard.deny`) and budget stops (`budget.stop`);
- session summaries (`.agents/sessions/*.json`): collapsed context (peak above
  `metrics.collapse_fraction` or a compaction, as `ao metrics` counts it) and sessions with
  at least `improve.tool_error_threshold` tool errors;
- learnings voted harmful with `ao feedback`;
- `Learning:` trailers of commits whose lesson is not yet a learning or a candidate.

The cause key decides what counts as "the same friction": a gate check by name (whichever
gate set ran it), a guard rule by id, one key for collapses and one for tool errors,
a learning by id, a trailer by its normalised text. Every occurrence has a ref that is
unique within its cause, so re-reading the same records yields the same signal.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from agentops_os.improve.model import Occurrence
from agentops_os.improve.settings import Settings

_SPACE = re.compile(r"\s+")


@dataclass
class Signal:
    cause: str
    kind: str
    title: str
    goal: str  # what a task to fix it asks for (the `ao rpi` goal)
    occurrences: list[Occurrence] = field(default_factory=list)

    @property
    def score(self) -> float:
        return sum(o.cost for o in self.occurrences)


@dataclass
class Mined:
    signals: list[Signal] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)  # unreadable records: counted, reported
    sources: dict[str, int] = field(default_factory=dict)  # records read per source


def mine(root: Path, config: Any, store: Any) -> Mined:
    """Every signal of the repo, strongest first (score, then cause)."""
    costs = Settings.of(config)
    mined = Mined()
    by_cause: dict[str, Signal] = {}

    def add(signal_key: str, make: Any, occurrence: Occurrence) -> None:
        signal = by_cause.get(signal_key)
        if signal is None:
            signal = by_cause[signal_key] = make()
        signal.occurrences.append(occurrence)

    _audit(root, costs, add, mined)
    _sessions(store, costs, add, mined)
    _learnings(store, costs, add, mined)
    _trailers(root, store, costs, add, mined)
    for signal in by_cause.values():
        retitle(signal)
        signal.occurrences.sort(key=lambda o: (o.at or "", o.ref))
    mined.signals = sorted(by_cause.values(), key=lambda s: (-s.score, s.cause))
    return mined


# -- the audit ledger ------------------------------------------------------------------------

def _audit(root: Path, costs: Settings, add: Any, mined: Mined) -> None:
    from agentops_os.audit.ledger import iter_records

    count = 0
    for record in iter_records(root, mined.errors):
        count += 1
        kind = record.get("kind")
        ref = f"audit:{record.get('writer', '?')}#{record.get('seq', '?')}"
        at = _iso(record.get("at"))
        if kind == "gate.verdict" and record.get("passed") is False:
            checks = record.get("checks")
            checks = checks if isinstance(checks, dict) else {}
            gate = str(record.get("gate") or "?")
            commit = str(record.get("commit") or "")
            for check, status in sorted(checks.items()):
                if not str(status).startswith("fail"):
                    continue
                add(f"gate:{check}", lambda check=check: Signal(
                    f"gate:{check}", "gate", "", GOALS["gate"].format(name=check)),
                    Occurrence(ref=f"{ref}:{check}", cost=costs.cost("gate"), at=at,
                               detail=f"gate {gate}: check {check} {status}"
                                      + (f" on {commit[:12]}" if commit else ""),
                               link=commit or None))
        elif kind in ("guard.deny", "budget.stop"):
            rule = str(record.get("rule") or "unknown")
            prefix = "budget" if kind == "budget.stop" else "guard"
            reason = str(record.get("reason") or "")
            subject = str(record.get("subject") or "")
            session = str(record.get("session") or "")
            add(f"{prefix}:{rule}", lambda rule=rule, prefix=prefix, reason=reason: Signal(
                f"{prefix}:{rule}", prefix, "", GOALS[prefix].format(name=rule, reason=reason)),
                Occurrence(ref=ref, cost=costs.cost(prefix), at=at,
                           detail=f"{record.get('tool', '?')} {subject[:120]}".strip()
                                  + (f" (session {session})" if session else "")))
    mined.sources["audit"] = count


# -- session summaries ------------------------------------------------------------------------

def _sessions(store: Any, costs: Settings, add: Any, mined: Mined) -> None:
    collapse = costs.collapse_fraction
    threshold = costs.tool_error_threshold
    per_point = costs.tokens_per_point
    count = 0
    for path, summary in store.iter_records("sessions", mined.errors):
        count += 1
        session = str(summary.get("session_id") or path.stem)
        link = f".agents/sessions/{path.name}"
        at = _iso(summary.get("end") or summary.get("start"))
        tokens = summary.get("tokens") if isinstance(summary.get("tokens"), dict) else {}
        # Cache reads cost a tenth of fresh input: they would swamp every other signal.
        extra = max(_int(tokens.get("total")) - _int(tokens.get("cache_read")), 0) / per_point
        peak = _float(summary.get("peak_utilisation"))
        compactions = _int(summary.get("compactions"))
        if peak > collapse or compactions > 0:
            add("context:collapse", lambda: Signal("context:collapse", "context", "", GOALS["context"]),
                Occurrence(ref=f"session:{session}", cost=costs.cost("collapse") + extra, at=at,
                           detail=f"peak context {peak:.0%}, {compactions} compaction(s): "
                                  f"{str(summary.get('title') or '')[:80]}",
                           link=link))
        errors = _int(summary.get("tool_errors"))
        if threshold > 0 and errors >= threshold:
            add("tools:errors", lambda: Signal("tools:errors", "tools", "",
                                               GOALS["tools"].format(threshold=threshold)),
                Occurrence(ref=f"session:{session}", cost=errors * costs.cost("tool_error") + extra,
                           at=at, detail=f"{errors} tool errors in {_int(summary.get('tool_results'))} "
                                         f"results: {str(summary.get('title') or '')[:80]}",
                           link=link))
    mined.sources["sessions"] = count


# -- learnings voted harmful -------------------------------------------------------------------

def _learnings(store: Any, costs: Settings, add: Any, mined: Mined) -> None:
    from agentops_os.knowledge import learnings

    items = learnings.load_all(store, errors=mined.errors)
    mined.sources["learnings"] = len(items)
    for item in items:
        harmful = _int(item.extra.get("harmful_count"))
        if item.status != "active" or harmful <= 0:
            continue
        helpful = _int(item.extra.get("helpful_count"))
        for n in range(1, harmful + 1):
            add(f"learning:{item.id}", lambda item=item: Signal(
                f"learning:{item.id}", "learning", "", GOALS["learning"].format(
                    name=item.id, title=item.title[:100])),
                Occurrence(ref=f"learning:{item.id}#harmful-{n}", cost=costs.cost("harmful"),
                           detail=f"voted harmful ({harmful} harmful, {helpful} helpful; "
                                  f"utility {item.utility:.2f})",
                           link=f".agents/learnings/{item.id}.md"))


# -- `Learning:` trailers ----------------------------------------------------------------------

def _trailers(root: Path, store: Any, costs: Settings, add: Any, mined: Mined) -> None:
    from agentops_os import git
    from agentops_os.knowledge import learnings

    if not (root / ".git").exists():
        return
    try:
        out = git.run(["log", "--all", "-E", "-i", "--grep=^learning:",
                       "--format=%H%x1f%ct%x1f%(trailers:key=Learning,valueonly,separator=%x1d)%x1e"],
                      root, check=True)
    except git.GitError:
        return  # no commits yet, or a broken repo: `ao search` reports those
    captured = " ".join(_norm(f"{item.title} {item.body}")
                        for kind in ("learnings", "pending")
                        for item in learnings.load_all(store, kind, errors=[]))
    count = 0
    for record in out.split("\x1e"):
        parts = record.strip("\n").split("\x1f")
        if len(parts) != 3:
            continue
        sha, ts, values = parts
        count += 1
        for raw in values.split("\x1d"):
            text = _SPACE.sub(" ", raw).strip()
            norm = _norm(text)
            if len(norm) < 8 or norm in captured or _placeholder(norm):
                continue
            cause = "trailer:" + hashlib.sha1(norm.encode("utf-8")).hexdigest()[:10]
            add(cause, lambda cause=cause, text=text: Signal(
                cause, "trailer", "", GOALS["trailer"].format(text=text[:200])),
                Occurrence(ref=f"commit:{sha}", cost=costs.cost("trailer"), at=_iso_ts(ts),
                           detail=text[:200], link=sha))
    mined.sources["commits"] = count


# -- wording -----------------------------------------------------------------------------------

GOALS = {
    "gate": ("Make gate check '{name}' pass reliably: find why it keeps failing (the code, "
             "the check itself, or its `files` globs) and fix the cause."),
    "guard": ("Agents keep hitting guard rule '{name}' ({reason}). Give them a safe way to do "
              "what they were trying to do (a script, an allowed command, a note in the "
              "agent brief) so the call is not attempted again."),
    "budget": ("Sessions keep stopping at budget '{name}' ({reason}). Find what spends it and "
               "make that work cheaper, or resize the budget on purpose."),
    "context": ("Sessions exhaust their context window. Find what fills it (large files, long "
                "logs, repeated reads) and load less: bundles, `ao context check`, handoffs "
                "before 40%."),
    "tools": ("Sessions have many failing tool calls (at least {threshold} each). Find the "
              "calls that fail most and fix the cause (a missing tool, a wrong path, a flaky "
              "command, an unclear instruction)."),
    "learning": ("Learning {name} ('{title}') was voted harmful. Correct it, narrow it, or "
                 "retire it (`ao learn retire {name}`)."),
    "trailer": ("A commit recorded this learning: \"{text}\". Make it stick: a learning, a "
                "check, or a change that removes the need to know it."),
}


def retitle(signal: Signal) -> None:
    n = len(signal.occurrences)
    name = signal.cause.split(":", 1)[1]
    titles = {
        "gate": f"Gate check '{name}' failed {n} time(s)",
        "guard": f"Guard rule '{name}' denied {n} tool call(s)",
        "budget": f"Budget '{name}' stopped {n} session(s)",
        "context": f"{n} session(s) collapsed their context",
        "tools": f"{n} session(s) with many tool errors",
        "learning": f"Learning {name} voted harmful {n} time(s)",
        "trailer": f"Unrecorded learning from {n} commit(s): "
                   f"{signal.occurrences[0].detail[:60] if signal.occurrences else ''}",
    }
    signal.title = titles.get(signal.kind, signal.cause)


_PLACEHOLDERS = frozenset({"none", "n a", "na", "nothing", "nothing new", "tbd", "todo", "see above",
                           "see the run", "see the pr", "see the issue"})


def _placeholder(norm: str) -> bool:
    """A trailer that points elsewhere or says nothing ("see .agents/runs/X/ for ...",
    "n/a") is no lesson to record."""
    return norm in _PLACEHOLDERS or norm.startswith(("see ", "refer to ", "refs "))


def _norm(text: str) -> str:
    return _SPACE.sub(" ", re.sub(r"[^\w\s]", " ", text.lower())).strip()


def _iso(value: Any) -> str | None:
    if not value:
        return None
    text = str(value)
    try:
        when = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return text
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    return when.astimezone(dt.UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def _iso_ts(ts: str) -> str | None:
    try:
        return dt.datetime.fromtimestamp(int(ts), dt.UTC).isoformat().replace("+00:00", "Z")
    except (ValueError, OverflowError, OSError):
        return None


def _int(value: Any) -> int:
    try:
        return int(value or 0)
    except (TypeError, ValueError):
        return 0


def _float(value: Any) -> float:
    try:
        return float(value or 0.0)
    except (TypeError, ValueError):
        return 0.0
