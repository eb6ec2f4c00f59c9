"""`ao prime`: a just-in-time context packet that never exceeds its token budget.

Sections, in priority order, each item naming its source: a digest of the
constitution, the best-fit agent's brief, the latest handoff of this branch, the most
relevant learnings and decisions, ready work from beads (`bd ready --json`) and 5-6
suggested next workflows (Law 5). Deterministic for the same inputs: every ranking
breaks ties by path.

Standard library only, reading learnings and handoffs from the index (kept fresh by
mtimes): the SessionStart hook calls this on every session start.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from agentops_os.context.lite import split
from agentops_os.context.prime_cache import which
from agentops_os.context.tokens import estimate_tokens

RESCAN_SECONDS = 300.0  # see `open_conn`; `context.index_rescan_seconds` overrides it
EXCERPT_CHARS = 1200  # of a handoff, before its empty sections are dropped

_WORD = re.compile(r"[A-Za-z0-9][A-Za-z0-9_\-]{2,}")
_STOP_TEXT = """the and for with that this from into what when where which while have has had are was
    were will would should could can not but all any our your you its it's how why who then
    than them they their there here about after before over under also just only some more
    most very much such each other use using used make made need needs add fix"""
_STOP = frozenset(_STOP_TEXT.split())

CONSTITUTION = ".agents/CONSTITUTION.md"


@dataclass
class Item:
    section: str
    title: str
    source: str
    text: str

    def render(self) -> str:
        body = self.text.strip()
        head = f"- **{self.title}** (source: {self.source})"
        return head + ("\n" + _indent(body) if body else "")


@dataclass
class Packet:
    task: str
    budget: int
    items: list[Item] = field(default_factory=list)
    dropped: list[str] = field(default_factory=list)
    text: str = ""
    tokens: int = 0

    def to_json(self) -> dict[str, Any]:
        return {
            "task": self.task,
            "budget": self.budget,
            "tokens": self.tokens,
            "items": [
                {"section": i.section, "title": i.title, "source": i.source, "text": i.text}
                for i in self.items
            ],
            "dropped": self.dropped,
            "text": self.text,
        }


def words(text: str) -> list[str]:
    return [w.lower() for w in _WORD.findall(text) if w.lower() not in _STOP]


def _indent(text: str) -> str:
    return "\n".join(("  " + line) if line.strip() else "" for line in text.splitlines())


# -- sources ---------------------------------------------------------------------------

def constitution_digest(root: Path, max_lines: int = 14) -> Item | None:
    """Headings and the first line of each rule: the laws without their commentary."""
    path = root / CONSTITUTION
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return None
    _, body = split(text)
    keep: list[str] = []
    for raw in body.splitlines():
        line = raw.rstrip()
        stripped = line.strip()
        if stripped.startswith("#") and stripped.lstrip("#").strip():
            if not stripped.startswith("# "):
                keep.append(stripped.lstrip("#").strip() + ":")
        elif re.match(r"^\s{0,3}([-*]|\d+[.)])\s+\S", line):
            keep.append("  " + stripped[:160])
        if len(keep) >= max_lines:
            break
    if not keep:
        return None
    return Item("constitution", "Constitution digest", CONSTITUTION, "\n".join(keep))


def _best_agent(root: Path, task: str) -> Item | None:
    """Best-fit agent brief from the router (`ao route`): its trained model over agent
    descriptions, `examples:` and routing history. None when it abstains: no brief is
    better than the wrong specialist's."""
    from agentops_os.agents.routing import route
    from agentops_os.errors import FatalError

    try:
        best = route(root, task, top=1).best
    except FatalError:  # no agents to route to, or a task of stopwords only
        return None
    if best is None or not best.path:
        return None
    path = root / best.path
    try:
        meta, body = split(path.read_text(encoding="utf-8", errors="replace"))
    except OSError:
        return None
    brief = meta.get("description") or " ".join(body.split())[:400]
    name = meta.get("name") or best.name
    return Item("agent", f"Agent: {name} (routed, score {best.score:.2f})",
                str(path.relative_to(root)), brief)


def _searched_learnings(index: Any, task: str, limit: int) -> list[Item]:
    """Most relevant learnings and handoffs, ranked by `ao search` (BM25 with field
    weights, freshness and utility; retired learnings never come back) over the one
    index of them, already refreshed by `open_conn`."""
    if index is None:
        return []
    from agentops_os.errors import FatalError
    from agentops_os.knowledge.search import search_report

    try:
        hits = search_report(index.root, task, types=("learning", "handoff"), limit=limit, refresh=False,
                             index=index).hits
    except FatalError:
        return []
    return [Item("learnings", f"{hit.type.title()}: {hit.title}", hit.cite(),
                 _first_lines(hit.snippet, 4, 300)) for hit in hits]


def improvement_items(root: Path, task: str, limit: int) -> list[Item]:
    """Open `ao improve` backlog items sharing words with the task (Law 2): what to fix
    while you are there. Read without YAML (`improve.mention`); no backlog, no cost."""
    if limit <= 0:
        return []
    from agentops_os.improve.mention import relevant

    return [Item("improve", f"Improvement {head['id']}: {head.get('title') or head['id']}", head["source"],
                 _first_lines(head.get("goal", ""), 3, 300))
            for head in relevant(str(root), set(words(task)), words, limit)]


def latest_handoff(index: Any, branch: str | None) -> Item | None:
    found = handoff_on(index, branch)
    if found is None:
        return None
    path, title, body = found
    lines = [line.rstrip() for line in body.splitlines() if line.strip()]
    return Item("handoff", f"Latest handoff on {branch}: {title}", path,
                _first_lines(_drop_empty_sections("\n".join(lines)[:EXCERPT_CHARS]), 24, 1500))


def handoff_on(index: Any, branch: str | None) -> tuple[str, str, str] | None:
    """(path, title, body) of the newest handoff written on `branch`, from the index."""
    if index is None or not branch:
        return None
    row = index.conn.execute(
        "SELECT m.path, d.title, d.body FROM kn_doc_meta AS m JOIN kn_docs AS d ON d.rowid = m.docid "
        "WHERE m.kind = 'handoff' AND m.branch = ? ORDER BY m.ts DESC, m.path DESC LIMIT 1",
        (branch,)).fetchone()
    return (str(row[0]), str(row[1]), str(row[2])) if row else None


def _drop_empty_sections(text: str) -> str:
    """Handoff excerpt without '(none recorded)' sections: budget is for facts."""
    lines = [ln for ln in text.splitlines() if ln.strip() not in ("(none recorded)", "(not recorded)")]
    kept = []
    for i, line in enumerate(lines):
        is_heading = line.startswith("#")
        next_is_heading = i + 1 >= len(lines) or lines[i + 1].startswith("#")
        if is_heading and next_is_heading:
            continue
        kept.append(line)
    return "\n".join(kept)


def ready_work(root: Path, limit: int = 5) -> Item | None:
    """`bd ready --json` when beads is installed; silently nothing otherwise."""
    if which("bd") is None:
        return None
    import json
    import subprocess

    try:
        proc = subprocess.run(["bd", "ready", "--json"], cwd=root, capture_output=True,
                              text=True, timeout=5)
        data = json.loads(proc.stdout) if proc.returncode == 0 else None
    except (OSError, ValueError, subprocess.TimeoutExpired):
        return None
    if isinstance(data, dict):
        data = data.get("issues") or data.get("ready") or []
    if not isinstance(data, list) or not data:
        return None
    lines = []
    for issue in data[:limit]:
        if isinstance(issue, dict):
            lines.append(f"{issue.get('id', '?')}: {str(issue.get('title', ''))[:120]}")
    return Item("ready", f"Ready work ({len(data)} issues)", "bd ready --json", "\n".join(lines))


# (workflow, why, trigger words) — Law 5: always end with where to go next.
WORKFLOWS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("ao search \"<topic>\"", "how was this solved before?",
     ("bug", "error", "fail", "broken", "again", "similar", "before", "how")),
    ("ao check diff --staged", "look for the failure patterns before the change grows",
     ("feature", "implement", "build", "design", "refactor", "migrate", "new")),
    ("ao bundle create <name> <notes...>", "compress research notes before the next phase",
     ("research", "investigate", "notes", "explore", "spike", "read")),
    ("ao context check <paths>", "check files fit the 40% budget before loading them",
     ("large", "files", "codebase", "load", "logs", "read")),
    ("ao gate run quick", "validate before you commit (Law 4)",
     ("test", "tests", "commit", "lint", "release", "ship", "fix")),
    ("ao handoff save", "hand off before the session passes 40% of its window",
     ("handoff", "resume", "continue", "long", "session", "later")),
    ("ao route \"<task>\"", "send the work to the best-fit specialist agent",
     ("review", "security", "docs", "deploy", "agent", "specialist")),
)


def suggested_workflows(task: str, count: int = 6) -> Item:
    wanted = set(words(task))
    ranked = sorted(
        enumerate(WORKFLOWS),
        key=lambda pair: (-sum(any(w.startswith(t) for w in wanted) for t in pair[1][2]), pair[0]),
    )
    lines = [f"`{cmd}`: {why}" for _, (cmd, why, _t) in ranked[:count]]
    return Item("workflows", "Suggested next workflows (Law 5)", "agentops_os.context.prime",
                "\n".join(lines))


def _first_lines(text: str, max_lines: int, max_chars: int) -> str:
    out: list[str] = []
    size = 0
    for line in text.splitlines():
        if not line.strip():
            continue
        if len(out) >= max_lines or size + len(line) > max_chars:
            break
        out.append(line)
        size += len(line) + 1
    while out and out[-1].startswith("#"):
        out.pop()  # a heading whose content was cut says nothing
    return "\n".join(out)


# -- assembly ----------------------------------------------------------------------------

def open_conn(root: Path, rescan_seconds: float | None = None) -> Any:
    """The knowledge index (the one index of learnings and handoffs) with its documents
    refreshed; None if unusable. A source directory whose mtimes did not change and that
    was scanned less than `rescan_seconds` ago is trusted without a stat per file
    (`indexer.refresh_docs`), so a warm start reads nothing."""
    try:
        from agentops_os.knowledge import indexer
        from agentops_os.knowledge.search import open_search_index

        index = open_search_index(root)
        indexer.refresh_docs(index, RESCAN_SECONDS if rescan_seconds is None else rescan_seconds)
        return index
    except Exception:  # noqa: BLE001 - prime degrades to fewer sections, never fails
        return None


def build(root: Path, task: str, budget: int, *, branch: str | None = None,
          max_chars: int | None = None, learnings: int = 5, conn: Any = None,
          with_ready: bool = True, rescan_seconds: float | None = None,
          with_agent: bool = True, improve_items: int = 3) -> Packet:
    """The packet for `task`. `with_agent=False` leaves out the routed agent brief: the
    SessionStart hook does, since it only guesses the task (handoff goal or branch) and
    the router's model and agent catalog cost more imports than its budget allows.
    Learnings are ranked the same way for both (`ao search` over the one index).
    `improve_items`: open backlog items to mention (0 = none)."""
    if conn is None:
        conn = open_conn(root, rescan_seconds)
    if branch is None:
        from agentops_os.base.gitmeta import current_branch

        branch = current_branch(str(root))
    candidates: list[Item | None] = [
        constitution_digest(root),
        _best_agent(root, task) if with_agent else None,
        latest_handoff(conn, branch),
        *_searched_learnings(conn, task, learnings + 1),
        *improvement_items(root, task, improve_items),
        ready_work(root) if with_ready else None,
        suggested_workflows(task),
    ]
    seen: set[str] = set()
    unique: list[Item] = []
    for item in candidates:
        if item is not None and (item.section == "workflows" or item.source not in seen):
            seen.add(item.source)
            unique.append(item)
    unique = _cap_learnings(unique, learnings)
    packet = Packet(task=task, budget=budget)
    header = f"# Context packet: {task}\n(budget {budget} tokens; every item names its source)"
    _assemble(packet, header, unique, max_chars)
    return packet


def _cap_learnings(items: list[Item], limit: int) -> list[Item]:
    out: list[Item] = []
    taken = 0
    for item in items:
        if item.section == "learnings":
            if taken >= limit:
                continue
            taken += 1
        out.append(item)
    return out


_SECTION_TITLES = {
    "constitution": "Constitution", "agent": "Best-fit agent", "handoff": "Where we left off",
    "learnings": "Relevant learnings and decisions", "improve": "Open improvements (ao improve)",
    "ready": "Ready work",
    "workflows": "Next",
}


def _render(header: str, items: list[Item]) -> str:
    parts = [header]
    section = None
    for item in items:
        if item.section != section:
            section = item.section
            parts.append(f"\n## {_SECTION_TITLES.get(section, section)}")
        parts.append(item.render())
    return "\n".join(parts) + "\n"


def _fits(text: str, budget: int, max_chars: int | None) -> bool:
    return (max_chars is None or len(text) <= max_chars) and estimate_tokens(text) <= budget


def _assemble(packet: Packet, header: str, candidates: list[Item], max_chars: int | None) -> None:
    """Greedy in priority order; an item that does not fit is shortened, else dropped,
    and the whole text is re-counted so that the budget holds for what is emitted."""
    chosen: list[Item] = []
    if not _fits(_render(header, []), packet.budget, max_chars):
        header = "# Context packet"
    for item in candidates:
        trial = _render(header, [*chosen, item])
        if _fits(trial, packet.budget, max_chars):
            chosen.append(item)
            continue
        lines = item.text.splitlines()
        while lines:
            lines.pop()
            shorter = Item(item.section, item.title, item.source, "\n".join(lines))
            if _fits(_render(header, [*chosen, shorter]), packet.budget, max_chars):
                chosen.append(shorter)
                break
        else:
            packet.dropped.append(item.source)
    text = _render(header, chosen)
    while chosen and not _fits(text, packet.budget, max_chars):
        packet.dropped.append(chosen.pop().source)
        text = _render(header, chosen)
    if not _fits(text, packet.budget, max_chars):
        text = ""
    packet.items = chosen
    packet.text = text
    packet.tokens = estimate_tokens(text)


def default_budget(config: Any, model: str | None = None) -> int:
    return int(config.window_for(model) * float(config.get("context.prime_fraction")))

