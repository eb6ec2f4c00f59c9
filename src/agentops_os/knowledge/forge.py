"""`ao forge`: collect candidate learnings from commits, transcripts and handoffs into
`.agents/pending/`, each with its score and provenance.

Re-running is safe: a candidate's id derives from its source and text, and a candidate
already pending, reviewed (accepted/rejected) or learned is not proposed again.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from agentops_os import git
from agentops_os.config import load_config
from agentops_os.hosts import CODEX
from agentops_os.knowledge import extract, learnings
from agentops_os.knowledge.extract import Candidate
from agentops_os.knowledge.indexer import parse_time
from agentops_os.knowledge.model import Learning, make_id
from agentops_os.knowledge.similarity import jaccard, token_set
from agentops_os.store import Store
from agentops_os.transcripts import locate
from agentops_os.transcripts import model as m
from agentops_os.transcripts.jsonl import ReadStats
from agentops_os.transcripts.read import read_events


@dataclass
class ForgeReport:
    written: list[Learning] = field(default_factory=list)
    below_threshold: int = 0
    already_known: int = 0
    duplicates: int = 0
    scanned: dict[str, int] = field(default_factory=lambda: {"commits": 0, "transcripts": 0, "handoffs": 0})
    notes: list[str] = field(default_factory=list)
    dry_run: bool = False


def commit_candidates(root: Path, since: str | None) -> tuple[list[Candidate], int]:
    if git.head_sha(root) is None:
        return [], 0
    args = ["log", "--all", "--format=%x1e%H%x1f%cI%x1f%B"]
    if since:
        args.append(f"--since={since}")
    out = git.run(args, root)
    found: list[Candidate] = []
    count = 0
    for record in out.split("\x1e")[1:]:
        sha, date, message = (record.split("\x1f", 2) + ["", ""])[:3]
        count += 1
        found.extend(extract.from_commit(sha.strip(), message.strip(), date.strip()))
    return found, count


def transcript_files(root: Path, session: str | None) -> list[Path]:
    """This project's Claude Code sessions (and Codex rollouts), or just the one asked for."""
    files: list[Path] = []
    slug = locate.claude_project_slug(root.resolve())
    for directory in locate.claude_config_dirs():
        projects = directory / "projects"
        if not projects.is_dir():
            continue
        # Subdirectories and worktrees under the repository (`ao rpi` implements in
        # .agents/.index/worktrees/) are Claude Code projects of their own; their names
        # start with the repository's.
        for project in sorted(projects.iterdir()):
            if project.is_dir() and (project.name == slug or project.name.startswith(slug + "-")):
                files.extend(sorted(project.rglob("*.jsonl")))
    files.extend(locate.codex_transcripts())
    if session:
        files = [f for f in files if session in f.name or session == f.parent.name]
    return files


def transcript_candidates(root: Path, since_ts: int | None, session: str | None,
                          report: ForgeReport) -> list[Candidate]:
    found: list[Candidate] = []
    for path in transcript_files(root, session):
        stats = ReadStats()
        events = list(read_events(path, stats=stats))
        if locate.detect_agent(path) == CODEX:
            cwd = next((e.cwd for e in events if e.kind == m.SESSION_META and e.cwd), None)
            if cwd and Path(cwd).resolve() != root.resolve() and not session:
                continue
        report.scanned["transcripts"] += 1
        if since_ts is not None:
            events = [e for e in events if parse_time(e.timestamp, 0) >= since_ts]
        found.extend(extract.from_events(events))
        if stats.malformed:
            lines = ", ".join(str(n) for n in stats.malformed_at)
            report.notes.append(f"{path}: {stats.malformed} malformed lines skipped (lines {lines})")
    if session and not report.scanned["transcripts"]:
        report.notes.append(f"no transcript found for session {session!r}")
    return found


def handoff_candidates(store: Store, since_ts: int | None, report: ForgeReport) -> list[Candidate]:
    found: list[Candidate] = []
    errors: list[str] = []
    for doc in store.iter_documents("handoffs", errors):
        assert doc.path is not None
        created = doc.get("created") or doc.get("date")
        when = parse_time(created, doc.path.stat().st_mtime_ns)
        if since_ts is not None and when < since_ts:
            continue
        report.scanned["handoffs"] += 1
        rel = str(doc.path.relative_to(store.root))
        found.extend(extract.from_handoff(rel, doc.body, str(created) if created else None))
    report.notes.extend(errors)
    return found


def forge(root: Path, since: str | None = None, session: str | None = None,
          dry_run: bool = False) -> ForgeReport:
    config = load_config(root)
    store = Store.open(root)
    report = ForgeReport(dry_run=dry_run)
    since_ts = parse_time(since, 0) if since else None
    if since and not since_ts:
        from agentops_os.errors import FatalError

        raise FatalError(f"--since {since!r}: expected a date like 2026-01-31")
    candidates: list[Candidate] = []
    if session is None:
        found, count = commit_candidates(root, since)
        report.scanned["commits"] = count
        candidates += found
    candidates += transcript_candidates(root, since_ts, session, report)
    if session is None:
        candidates += handoff_candidates(store, since_ts, report)

    threshold = float(config.get("forge.min_score"))
    dup_threshold = float(config.get("learn.duplicate_threshold"))
    existing = learnings.load_all(store, learnings.KIND, errors=[])
    pending = learnings.load_all(store, learnings.PENDING, errors=[])
    known_ids = {p.id for p in pending} | {x.id for x in existing}
    known_sets = [token_set(x.text()) for x in existing] + [token_set(p.text()) for p in pending]
    keep: list[Learning] = []
    for cand in sorted(candidates, key=lambda c: -c.score):
        if cand.score < threshold:
            report.below_threshold += 1
            continue
        cid = make_id("c", str(cand.source.get("ref")), cand.title)
        if cid in known_ids or "l-" + cid[2:] in known_ids:
            report.already_known += 1
            continue
        words = token_set(f"{cand.title}\n{cand.body}")
        if any(jaccard(words, other) >= dup_threshold for other in known_sets):
            report.duplicates += 1
            continue
        known_ids.add(cid)
        known_sets.append(words)
        keep.append(Learning(id=cid, title=cand.title, body=cand.body, tags=cand.tags,
                             created=cand.created or Learning(id="", title="").created,
                             source=cand.source, confidence=cand.score, status="candidate",
                             score=cand.score, extra={"rule": cand.kind}))
    keep = keep[: int(config.get("forge.max_candidates"))]
    for item in keep:
        if not dry_run:
            learnings.save(store, item, learnings.PENDING)
        report.written.append(item)
    return report
