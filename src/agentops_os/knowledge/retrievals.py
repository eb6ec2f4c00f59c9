"""What ao served: the learnings `ao prime`, `ao search` and the MCP tools handed out, and
the agent each `ao route` chose (or that it abstained). Append-only; read by `ao report`.

Where, and why there:
- `.agents/runs/retrievals/<writer>-<YYYY-MM>.jsonl`: one line per answer that served
  learnings: `{"at", "by", "ids"}`.
- `.agents/runs/route-decisions/<writer>-<YYYY-MM>.jsonl`: one line per `ao route`
  answer: `{"at", "by", "agent" (null when it abstained), "abstained", "best",
  "confidence", "runner_up", "margin", "task_digest"}`.

They are facts about use, not derived data, so they are tracked plain text (reviewable in
a PR, kept by clones) rather than rows in the rebuildable `.index/`, which `ao reindex` or
a cleanup may delete. `runs/` is the tracked directory for what commands and workflows did
(it already keeps the routing outcomes); the workflow-run listing only takes directories
that hold a `state.json`. Not inside `runs/routing/`: every file there is the router's
training data and part of its model key, so a decision logged there would rebuild the
model on every `ao route`. One file per writer (user@host, as the audit ledger names it)
and month: two people on two branches never append to the same file (DESIGN §3.1), and a
month's file stays small to read. Written through `Store.append` (redacted, with
`schema_version`, safe with concurrent writers). Only ids, the caller and the time are
kept, never the query or task text: a task may quote anything, and counting needs none of
it; a decision keeps a 12-hex digest of its task so it can be matched with the outcome
`ao route feedback` records for the same text.

`by` is the command (`prime`, `search`, `route`), or `mcp` when `ao mcp serve` ran it (the
server sets `AO_CALLER=mcp` in the environment of the commands it runs).

Not recorded: the SessionStart hook's packet. It is cached (`context.prime_cache`) and
served again without a search, on a hook budget of a few milliseconds, so counting it
would cost every session start and count one cached packet many times. Nor `fetch` of the
MCP server, which reads an item that a `search` already counted.

Nothing is recorded in a repository whose `.agents/` holds nothing tracked (no `ao init`):
`ao route` there does not start a tracked directory. A record that cannot be written (a
read-only checkout) is a warning on stderr; the command that served still succeeds.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from agentops_os.knowledge.model import now_iso

RETRIEVALS = "runs/retrievals"
DECISIONS = "runs/route-decisions"
CALLER_ENV = "AO_CALLER"
CALLERS = ("prime", "search", "route", "mcp")
_LEARNINGS_PREFIX = ".agents/learnings/"


def _caller(default: str) -> str:
    value = os.environ.get(CALLER_ENV, "")
    return value if value in CALLERS else default


def _append(root: Path, kind: str, record: dict[str, Any]) -> Path | None:
    from agentops_os.audit.ledger import writer_id
    from agentops_os.errors import FatalError
    from agentops_os.store import Store

    at = record["at"]
    name = f"{writer_id()}-{at[:7]}"  # per writer and month (YYYY-MM of the UTC time)
    try:
        store = Store.open(Path(root))
        if not _keeps_records(store.dir):
            return None
        return store.append(kind, name, record)
    except (OSError, FatalError) as exc:
        sys.stderr.write(f"ao: warning: not recorded in .agents/{kind}/: {exc}\n")
        return None


def _keeps_records(directory: Path) -> bool:
    """`.agents/` holds something besides the derived `.index/` (which `ao route` makes for
    its model cache): a repository without `ao init` gets no tracked files from us."""
    try:
        with os.scandir(directory) as entries:
            return any(entry.name != ".index" for entry in entries)
    except OSError:
        return False


def record_learnings(root: Path, ids: Iterable[str], by: str) -> Path | None:
    """One line naming the learnings just served (nothing when there are none)."""
    unique = list(dict.fromkeys(i for i in ids if isinstance(i, str) and i))
    if not unique:
        return None
    return _append(root, RETRIEVALS, {"at": now_iso(), "by": _caller(by), "ids": unique})


def record_hits(root: Path, hits: Iterable[Any], by: str = "search") -> Path | None:
    """`ao search`: the learning hits it printed (`knowledge.search.Hit`)."""
    return record_learnings(root, (h.id for h in hits if getattr(h, "type", None) == "learning"), by)


def record_packet(root: Path, packet: Any, by: str = "prime") -> Path | None:
    """`ao prime`: the learnings inside the packet (not those dropped for the budget).
    Items name their source file, `.agents/learnings/<id>.md`."""
    ids = []
    for item in getattr(packet, "items", []):
        source = str(getattr(item, "source", ""))
        if item.section == "learnings" and source.startswith(_LEARNINGS_PREFIX) and source.endswith(".md"):
            ids.append(source[len(_LEARNINGS_PREFIX):-3])
    return record_learnings(root, ids, by)


def record_route(root: Path, result: Any, by: str = "route") -> Path | None:
    """`ao route`: the decision (`agents.routing.RouteResult`): the agent, or an abstention
    with the best guess and its score."""
    import hashlib

    top = result.matches[0] if result.matches else None
    return _append(root, DECISIONS, {
        "at": now_iso(), "by": _caller(by),
        "agent": None if result.abstained or top is None else top.name,
        "abstained": bool(result.abstained),
        "best": top.name if top is not None else None,
        "confidence": round(float(top.score), 4) if top is not None else 0.0,
        "runner_up": result.runner_up.name if result.runner_up else None,
        "margin": round(float(result.margin), 4),
        "task_digest": hashlib.sha256(result.task.encode("utf-8")).hexdigest()[:12],
    })


def load(root: Path, kind: str, errors: list[str] | None = None,
         since: str | None = None) -> Iterator[dict[str, Any]]:
    """Every record of `kind` (RETRIEVALS or DECISIONS), file by file; `since` an ISO day
    or time: only records at or after it. Malformed lines go to `errors`."""
    from agentops_os.store.store import Store, read_jsonl

    directory = Store(Path(root)).dir / kind  # inside an `ao rpi`/`ao swarm` worktree: the repo's
    if not directory.is_dir():
        return
    for path in sorted(directory.glob("*.jsonl")):
        for record in read_jsonl(path, errors):
            at = record.get("at")
            if not isinstance(at, str):
                if errors is not None:
                    errors.append(f"{path}: a record without `at` skipped")
                continue
            if since is None or at >= since:
                yield record
