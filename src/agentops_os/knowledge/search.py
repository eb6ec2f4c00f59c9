"""`search(root, query)`: one ranked list over `.agents/` and the whole git history.

Ranking = BM25 (FTS5, per-field weights) x freshness x utility x type weight.
Freshness decays with a configurable half-life down to a floor, so an old but very
relevant answer still surfaces. For commits only the `search.max_candidates` most recent
matches are scored: on a huge history a common word would otherwise make every query
score hundreds of thousands of rows.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from agentops_os.base.layout import AGENTS_DIR
from agentops_os.config import Config, load_config
from agentops_os.errors import FatalError
from agentops_os.knowledge import githistory, indexer, query
from agentops_os.repo import index_dir

TYPES = ("learning", "commit", "handoff", "bundle", "session", "plan", "candidate")
_HIDDEN_STATUS = ("retired", "rejected")


@dataclass
class Hit:
    type: str
    id: str  # learning id, commit SHA, or document id
    title: str
    snippet: str
    score: float
    path: str | None = None  # file under the repo, for documents
    sha: str | None = None  # commit SHA, for commits
    date: str | None = None
    utility: float | None = None
    status: str | None = None

    def cite(self) -> str:
        return self.sha[:12] if self.sha else (self.path or self.id)

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class SearchReport:
    hits: list[Hit] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # broken files, shallow/corrupt git...
    indexed_commits: int = 0
    new_commits: int = 0
    seconds: float = 0.0


def search(root: Path, query_text: str, types: list[str] | tuple[str, ...] | None = None,
           limit: int = 10, since: int | None = None, rescan_seconds: float | None = None) -> list[Hit]:
    """The core entry point (`ao search`, `ao prime`): ranked hits, best first.
    `rescan_seconds`: see `indexer.refresh_docs` (None: stat every document)."""
    return search_report(root, query_text, types=types, limit=limit, since=since,
                         rescan_seconds=rescan_seconds).hits


def open_search_index(root: Path) -> Any:
    """The repo's own index; for a repo without `.agents/`, a cache file (never write into it).

    An existing index is opened without `PRAGMA quick_check`: that reads every page
    (~4 s for a million commits), more than the search itself. A corrupt file still
    raises sqlite3.DatabaseError on use, and `search_report` rebuilds it then.
    """
    import sqlite3

    from agentops_os.index import db

    if (root / AGENTS_DIR).is_dir():
        path = index_dir(root) / db.INDEX_FILE
        if path.exists():
            conn = None
            try:
                conn = db._connect(path)
                db._migrate(conn)
                return db.Index(root, conn, path)
            except sqlite3.DatabaseError as exc:
                if conn is not None:
                    conn.close()
                if db.not_damage(exc):
                    raise FatalError(db.unusable_message(path, exc)) from None
                # damaged: open_index below detects it and rebuilds
        return db.open_index(root)
    cache = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "agentops" / "search"
    cache.mkdir(parents=True, exist_ok=True)
    key = hashlib.sha1(str(root.resolve()).encode()).hexdigest()[:16]
    path = cache / f"{key}.sqlite3"
    conn = db._connect(path)
    db._migrate(conn)
    return db.Index(root, conn, path)


def update(index: Any, config: Config, report: SearchReport,
           notify: Callable[[str], None] | None = None, with_history: bool = True,
           rescan_seconds: float | None = None) -> None:
    docs = indexer.refresh_docs(index, rescan_seconds)
    report.notes.extend(docs.errors)
    if not with_history:  # a search for documents only (e.g. `ao prime`) need not read git
        return
    history = githistory.index_history(index, index.root, notify=notify,
                                       paths=bool(config.get("search.index_paths", True)),
                                       workers=githistory.history_workers(config))
    report.notes.extend(history.notes)
    report.indexed_commits = history.total_commits
    report.new_commits = history.new_commits


def search_report(root: Path, query_text: str, types: list[str] | tuple[str, ...] | None = None,
                  limit: int = 10, since: int | None = None, refresh: bool = True,
                  index: Any = None, config: Config | None = None,
                  notify: Callable[[str], None] | None = None,
                  rescan_seconds: float | None = None) -> SearchReport:
    started = time.perf_counter()
    for kind in types or ():
        if kind not in TYPES:
            raise FatalError(f"unknown type {kind!r}; expected one of {', '.join(TYPES)}")
    config = config or load_config(root)
    own = index is None
    index = index or open_search_index(root)
    report = SearchReport()
    try:
        try:
            _run(index, config, report, query_text, types, limit, since, refresh, notify, rescan_seconds)
        except sqlite3.DatabaseError as exc:
            from agentops_os.index.db import not_damage, unusable_message

            if not_damage(exc):  # a lock timeout is not corruption: never delete the index then
                raise FatalError(unusable_message(index.path, exc)) from None
            if not own:
                raise
            # A corrupt index is derived data: rebuild it from .agents/ and git, once.
            from agentops_os.index import rebuild_index

            index.close()
            index = rebuild_index(root)
            report = SearchReport(notes=[f"{index.path}: index was corrupt and has been rebuilt"])
            _run(index, config, report, query_text, types, limit, since, refresh, notify, rescan_seconds)
    finally:
        if own:
            index.close()
    report.seconds = time.perf_counter() - started
    return report


def _run(index: Any, config: Config, report: SearchReport, query_text: str, types: Any, limit: int,
         since: int | None, refresh: bool, notify: Callable[[str], None] | None,
         rescan_seconds: float | None = None) -> None:
    if refresh:
        update(index, config, report, notify, with_history=not types or "commit" in types,
               rescan_seconds=rescan_seconds)
    words = query.terms(query_text)
    if words and limit > 0:
        report.hits = _ranked(index, config, words, types, limit, since)


def _ranked(index: Any, config: Config, words: list[str], types: Any, limit: int,
            since: int | None) -> list[Hit]:
    """Hits with every word first-class; if they are fewer than `limit`, hits with only
    some words join at half weight (coordination: on small corpora BM25's IDF clamps to
    ~0 for common words, so "has all the words" must count on its own)."""
    want = set(types or [t for t in TYPES if t != "candidate"])
    found: dict[tuple[str, str], Hit] = {}
    rowids: dict[str, int] = {}
    passes = [(query.match_all(words), 1.0)]
    if len(words) > 1:
        informative = _informative(index, words) if want - {"commit"} else words
        if len(informative) < len(words):
            passes.append((query.match_any(informative), 0.5))
        passes.append((query.match_any(words), 0.5))
    for match, factor in passes:
        hits: list[Hit] = []
        if want - {"commit"}:
            hits += _docs(index, config, match, want - {"commit"}, since, words, limit)
        if "commit" in want:
            hits += _commits(index, config, match, since, rowids, limit)
        for hit in hits:
            key = (hit.type, hit.id)
            if key not in found:
                hit.score *= factor
                found[key] = hit
        if len(found) >= limit:
            break
    top = sorted(found.values(), key=lambda h: (-h.score, h.id))[:limit]
    for hit in top:
        hit.score = round(hit.score, 6)
        if hit.sha and not hit.snippet:
            _fill_commit(index, hit, rowids[hit.sha], words)
    return top


BIG_STORE = 2000  # documents; below this every partial match is scored anyway


def _informative(index: Any, words: list[str]) -> list[str]:
    """The words found in fewer than half of the documents.

    FTS5 clamps BM25's IDF to ~0 for a word in half of the documents or more, so such a
    word adds nothing to any score; in a partial ("any word") match it only makes every
    document a candidate to score. On a big store the partial pass first runs without
    those words; documents that match only them come in the last pass, if still needed.
    """
    total = index.conn.execute("SELECT count(*) FROM kn_doc_meta").fetchone()[0]
    if total < BIG_STORE:
        return words
    half = (total + 1) // 2
    sql = "SELECT count(*) FROM (SELECT 1 FROM kn_docs WHERE kn_docs MATCH ? LIMIT ?)"
    return [word for word in words
            if index.conn.execute(sql, (query.match_any([word]), half)).fetchone()[0] < half]


def _weights(config: Config) -> dict[str, float]:
    weights = config.get("search.field_weights")
    return {k: float(weights.get(k, 1.0)) for k in ("title", "body", "tags", "paths", "author")}


class _Decay:
    """Freshness factor, with the config read once per query (it runs per candidate row)."""

    def __init__(self, config: Config) -> None:
        self.half_life = max(float(config.get("search.half_life_days")), 0.001) * 86400.0
        self.floor = min(max(float(config.get("search.freshness_floor")), 0.0), 1.0)
        self.now = time.time()

    def __call__(self, ts: float) -> float:
        age = max(self.now - ts, 0.0)
        return self.floor + (1.0 - self.floor) * 0.5 ** (age / self.half_life)


def _type_weight(config: Config, kind: str) -> float:
    return float(config.get("search.type_weights").get(kind, 1.0))


def _docs(index: Any, config: Config, match: str, kinds: set[str], since: int | None,
          words: list[str], limit: int) -> list[Hit]:
    """Every matching document is scored (in SQL: a Python loop over ten thousand
    matches cost more than the query), but only the final `limit` have their title and
    body read (that loads the whole document)."""
    w = _weights(config)
    decay = _Decay(config)
    kinds_sql = ", ".join("?" * len(kinds))
    weight_sql = " ".join(f"WHEN {_sql_text(kind)} THEN {_type_weight(config, kind)!r}"
                          for kind in sorted(kinds))
    sql = (
        "SELECT m.docid, m.kind, m.ref, m.path, m.ts, m.utility, m.status, "
        f"-bm25(kn_docs, 0, {w['title']}, {w['body']}, {w['tags']}, {w['paths']}, {w['author']}) "
        f"* ({decay.floor!r} + {1.0 - decay.floor!r} * pow(0.5, max(? - m.ts, 0) / {decay.half_life!r})) "
        f"* (0.5 + m.utility) * (CASE m.kind {weight_sql} ELSE 1.0 END) AS score "
        "FROM kn_docs AS f JOIN kn_doc_meta AS m ON m.docid = f.rowid "
        f"WHERE kn_docs MATCH ? AND m.kind IN ({kinds_sql}) "
        f"AND m.status NOT IN ({', '.join(_sql_text(s) for s in _HIDDEN_STATUS)}) "
        "AND m.ts >= ? ORDER BY score DESC, m.ref LIMIT ?"
    )
    _ensure_pow(index.conn)
    rows = index.conn.execute(sql, (decay.now, match, *sorted(kinds),
                                    since if since is not None else -(1 << 62), limit)).fetchall()
    out = []
    for docid, kind, ref, path, ts, utility, status, score in rows:
        row = index.conn.execute("SELECT title, body FROM kn_docs WHERE rowid = ?", (docid,)).fetchone()
        out.append(Hit(type=kind, id=ref, title=row["title"], path=path, score=score,
                       snippet=snippet(row["body"] or row["title"], words), date=_iso(float(ts)),
                       utility=float(utility), status=status))
    return out


def _sql_text(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def _ensure_pow(conn: sqlite3.Connection) -> None:
    """SQLite's math functions are a compile-time option; register `pow` where missing."""
    try:
        conn.execute("SELECT pow(0.5, 1.0)")
    except sqlite3.OperationalError:
        import math

        conn.create_function("pow", 2, math.pow, deterministic=True)


def _commits(index: Any, config: Config, match: str, since: int | None,
             rowids: dict[str, int], limit: int) -> list[Hit]:
    """The best `limit` of the most recent `search.max_candidates` matching commits.

    bm25() costs a docsize lookup and position lists per row (~10-40 us on a million
    commits), so only a bounded, most-recent-first slice is scored, and Hit objects are
    made for the few that can still make the final list.
    """
    w = _weights(config)
    cap = int(config.get("search.max_candidates"))
    sql = (
        f"SELECT rowid, sha, ts, bm25(kn_commits, {w['title']}, {w['body']}, {w['paths']}, {w['author']}) "
        "AS bm FROM kn_commits WHERE kn_commits MATCH ? ORDER BY rowid LIMIT ?"
    )
    decay = _Decay(config)
    weight = _type_weight(config, "commit")
    scored = []
    for rowid, sha, ts, bm in index.conn.execute(sql, (match, cap)):
        ts = float(ts or 0)
        if since is not None and ts < since:
            continue
        scored.append((-bm * decay(ts) * weight, rowid, sha, ts))
    scored.sort(key=lambda item: (-item[0], item[2]))
    out = []
    for score, rowid, sha, ts in scored[:limit]:
        rowids[sha] = rowid
        # Title, snippet and date are filled in for the final hits only (_fill_commit).
        out.append(Hit(type="commit", id=sha, sha=sha, title="", snippet="", score=score, date=str(ts)))
    return out


def _fill_commit(index: Any, hit: Hit, rowid: int, words: list[str]) -> None:
    row = index.conn.execute("SELECT title, body, paths, author FROM kn_commits WHERE rowid = ?",
                             (rowid,)).fetchone()
    hit.title = row["title"]
    hit.date = _iso(float(hit.date or 0))
    hit.snippet = snippet(f"{row['body']}\n{row['paths']}" if row["body"] or row["paths"] else row["title"],
                          words) or row["title"]


def snippet(text: str, words: list[str], width: int = 160) -> str:
    """The first line mentioning a query word, trimmed around it; else the first line."""
    lowered = [w.lower() for w in words]
    lines = [line.strip() for line in text.splitlines() if line.strip() and line.strip() != "---"]
    for line in lines:
        low = line.lower()
        positions = [low.find(w) for w in lowered if low.find(w) >= 0]
        if positions:
            start = max(min(positions) - width // 3, 0)
            piece = line[start:start + width]
            return ("…" if start else "") + piece + ("…" if start + width < len(line) else "")
    return lines[0][:width] if lines else ""


def _iso(ts: float) -> str | None:
    if not ts:
        return None
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(ts))
