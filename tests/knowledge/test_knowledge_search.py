"""search() over .agents/ and git history, with a real repo and a real index."""

from __future__ import annotations

import subprocess
from pathlib import Path

from agentops_os.knowledge import learnings
from agentops_os.knowledge.search import search, search_report
from agentops_os.store import Store
from conftest import git


def _commit(repo: Path, name: str, message: str, date: str | None = None) -> str:
    (repo / name).parent.mkdir(parents=True, exist_ok=True)
    (repo / name).write_text(message)
    git(repo, "add", name)
    env_args = ["-c", "user.name=T"]
    if date:
        subprocess.run(["git", *env_args, "commit", "-q", "-m", message, "--date", date], cwd=repo,
                       check=True, env={**__import__("os").environ, "GIT_COMMITTER_DATE": date})
    else:
        git(repo, "commit", "-q", "-m", message)
    return git(repo, "rev-parse", "HEAD").strip()


def test_commits_indexed_incrementally_with_paths_and_trailers(repo: Path) -> None:
    sha = _commit(repo, "pay/webhooks.py",
                  "fix(payments): dedupe webhooks\n\nRefs: #812\nLearning: use a unique index\n")
    (repo / ".agents").mkdir()
    first = search_report(repo, "webhooks")
    assert [h.sha for h in first.hits] == [sha] and first.indexed_commits == 2
    assert search(repo, "812")[0].sha == sha  # trailers are searchable
    assert search(repo, "pay/webhooks.py")[0].sha == sha  # and changed paths
    assert search(repo, "Test Dev")  # and authors
    again = search_report(repo, "webhooks")
    assert again.new_commits == 0  # nothing new: tips unchanged
    newer = _commit(repo, "b.txt", "feat: webhook retries")
    third = search_report(repo, "webhook")
    assert third.new_commits == 1 and third.indexed_commits == 3
    assert newer in {h.sha for h in search(repo, "retries")}


def test_learnings_rank_and_cite_paths(repo: Path) -> None:
    store = Store(repo)
    item = learnings.new_learning("Retries need jitter", "Synchronised retries amplified outages.", ["ops"])
    learnings.save(store, item)
    _commit(repo, "r.py", "fix: add retries")
    hits = search(repo, "retries jitter")
    assert hits[0].id == item.id and hits[0].path == f".agents/learnings/{item.id}.md"
    assert "jitter" in hits[0].snippet.lower() or "jitter" in hits[0].title.lower()
    assert [h.type for h in search(repo, "retries", types=["commit"])] == ["commit"]
    learnings.retire(store, item.id)
    assert all(h.id != item.id for h in search(repo, "jitter"))


def test_feedback_utility_changes_rank(repo: Path) -> None:
    store = Store(repo)
    a = learnings.new_learning("Cache invalidation on import", "clear the cache after import")
    b = learnings.new_learning("Cache warmup on deploy", "warm the cache after deploy")
    for item, utility in ((a, 0.1), (b, 0.9)):
        item.utility = utility
        learnings.save(store, item)
    assert search(repo, "cache")[0].id == b.id
    a.utility, b.utility = 0.9, 0.1
    learnings.save(store, a)
    learnings.save(store, b)
    assert search(repo, "cache")[0].id == a.id


def test_broken_frontmatter_reported_by_path_others_indexed(repo: Path) -> None:
    store = Store(repo)
    good = learnings.new_learning("Pin docker base images by digest")
    learnings.save(store, good)
    bad = repo / ".agents" / "learnings" / "broken.md"
    bad.write_text("---\ntitle: [unclosed\n---\nPin docker images\n")
    report = search_report(repo, "docker")
    assert [h.id for h in report.hits if h.type == "learning"] == [good.id]
    assert any("broken.md" in note and ":" in note for note in report.notes)
    assert any("broken.md" in note for note in search_report(repo, "docker").notes)  # still reported


def test_since_filter(repo: Path) -> None:
    _commit(repo, "old.txt", "fix: legacy parser", date="2015-01-01T00:00:00")
    _commit(repo, "new.txt", "fix: modern parser")
    import time

    recent = search(repo, "parser", since=int(time.time()) - 86400)
    assert [h.title for h in recent] == ["fix: modern parser"]


def test_shallow_clone_says_so(repo: Path, tmp_path: Path) -> None:
    for i in range(3):
        _commit(repo, f"f{i}.txt", f"feat: step {i}")
    clone = tmp_path / "shallow"
    subprocess.run(["git", "clone", "-q", "--depth", "1", f"file://{repo}", str(clone)], check=True)
    report = search_report(clone, "step")
    assert report.indexed_commits == 1
    assert any("shallow clone" in note and "1 commits" in note for note in report.notes)


def test_corrupt_repo_reports_and_keeps_agents_docs(repo: Path) -> None:
    store = Store(repo)
    item = learnings.new_learning("Objects can go missing")
    learnings.save(store, item)
    _commit(repo, "x.txt", "feat: x")
    objects = repo / ".git" / "objects"
    for path in objects.glob("??/*"):
        path.unlink()  # every loose object gone: git log cannot read history
    report = search_report(repo, "objects missing")
    assert [h.id for h in report.hits] == [item.id]
    assert any("git history could not be read" in note for note in report.notes)


def test_other_repo_without_agents_uses_cache(repo: Path, tmp_path: Path, hermetic_env: Path) -> None:
    other = tmp_path / "other"
    other.mkdir()
    git(other, "init", "-q")
    _commit(other, "z.txt", "feat: zebra crossing")
    assert search(other, "zebra")[0].title == "feat: zebra crossing"
    assert not (other / ".agents").exists()
    assert list((hermetic_env / ".cache" / "agentops" / "search").glob("*.sqlite3"))


def test_rebuild_refills_from_plain_text(repo: Path) -> None:
    from agentops_os.index import rebuild_index

    store = Store(repo)
    item = learnings.new_learning("Rebuild keeps learnings")
    learnings.save(store, item)
    search(repo, "rebuild")
    with rebuild_index(repo) as index:
        assert index.conn.execute("SELECT count(*) FROM kn_docs").fetchone()[0] == 1
        assert index.conn.execute("SELECT count(*) FROM kn_commits").fetchone()[0] == 1


def test_concurrent_searches_index_each_commit_once(repo: Path) -> None:
    import sys

    for i in range(5):
        _commit(repo, f"c{i}.txt", f"feat: parallel {i}")
    (repo / ".agents").mkdir()
    procs = [subprocess.Popen([sys.executable, "-m", "agentops_os", "search", "parallel"], cwd=repo,
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE) for _ in range(3)]
    outcomes = [(p.wait(timeout=120), p.stderr.read().decode() if p.stderr else "") for p in procs]
    assert [code for code, _ in outcomes] == [0, 0, 0], outcomes
    from agentops_os.index import open_index

    with open_index(repo) as index:
        assert index.conn.execute("SELECT count(*) FROM kn_commits").fetchone()[0] == 6


def test_corrupt_index_file_is_rebuilt(repo: Path) -> None:
    _commit(repo, "k.txt", "feat: kiwi")
    (repo / ".agents").mkdir()
    assert search(repo, "kiwi")
    index_file = repo / ".agents" / ".index" / "index.sqlite3"
    for suffix in ("-wal", "-shm"):
        Path(str(index_file) + suffix).unlink(missing_ok=True)
    index_file.write_bytes(b"this is not a database" * 100)
    assert search(repo, "kiwi")[0].title == "feat: kiwi"


def _learning_file(repo: Path, name: str, title: str, body: str) -> Path:
    path = repo / ".agents" / "learnings" / f"{name}.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"---\nid: {name}\ntitle: {title}\ncreated: 2026-01-0{len(name) % 9 + 1}\n---\n{body}\n")
    return path


def test_prime_trusts_unchanged_directories_for_the_rescan_window(repo: Path) -> None:
    """`rescan_seconds` skips the per-file stats of a directory whose mtime is unchanged:
    a Store write (a rename) is seen at once, an in-place edit only by a full scan."""
    import os

    path = _learning_file(repo, "L1", "Sizing", "size the pool to the cores")
    assert [h.id for h in search(repo, "pool", rescan_seconds=300)] == ["L1"]
    directory = path.parent
    before = os.stat(directory).st_mtime_ns
    path.write_text(path.read_text().replace("pool", "queue"))  # in place: dir mtime unchanged
    os.utime(directory, ns=(before, before))
    assert [h.id for h in search(repo, "pool", rescan_seconds=300)] == ["L1"]  # trusted, stale
    assert search(repo, "queue", rescan_seconds=0) and not search(repo, "pool", rescan_seconds=0)
    Store(repo).write_document("learnings", "L2", {"id": "L2", "title": "Queue depth"}, "watch queue depth")
    assert {h.id for h in search(repo, "queue", rescan_seconds=300)} == {"L1", "L2"}  # rename seen
    assert {h.id for h in search(repo, "queue")} == {"L1", "L2"}  # `ao search` always scans


def test_informative_words_pass_ranks_like_the_full_partial_match(repo: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """On big stores the partial pass first leaves out words found in half of the
    documents or more (their BM25 weight is ~0); the ranking must not change."""
    from agentops_os.knowledge import search as search_module

    topics = ["redis", "coupon", "checkout", "deploy", "billing", "kafka", "oauth", "cron"]
    for i in range(40):
        a, b = topics[i % 8], topics[(i * 3 + 1) % 8]
        body = f"Fix: isolate {b}. Add a test. {a} " * (1 + i % 3)
        _learning_file(repo, f"L{i:02d}", f"When {a} fails check {b}", body)
    query = "fix the flaky checkout coupon test when redis is stale"
    monkeypatch.setattr(search_module, "BIG_STORE", 10**9)
    full = [(h.id, h.score) for h in search(repo, query, types=["learning"], limit=8)]
    monkeypatch.setattr(search_module, "BIG_STORE", 1)
    index = search_module.open_search_index(repo)
    try:
        words = ["fix", "test", "redis", "checkout"]
        assert search_module._informative(index, words) == ["redis", "checkout"]
    finally:
        index.close()
    again = [(h.id, h.score) for h in search(repo, query, types=["learning"], limit=8)]
    assert [i for i, _ in again] == [i for i, _ in full]  # scores differ by the clock (freshness)
    assert all(abs(a - b) < 1e-4 * b for (_, a), (_, b) in zip(again, full, strict=True))


def test_a_migration_applied_by_another_process_is_not_run_again(repo: Path) -> None:
    """The race behind `test_concurrent_searches_index_each_commit_once`, in a fixed order:
    connection B has seen no migrations applied, then A applies them all and indexes a
    commit before B gets the write lock. B must re-read under the lock and apply nothing
    (it used to fail on the UNIQUE name, or re-run `DROP TABLE kn_commits`)."""
    import threading
    import time

    from agentops_os.index import db

    (repo / ".agents" / ".index").mkdir(parents=True)
    path = repo / ".agents" / ".index" / db.INDEX_FILE
    first = db._connect(path)
    first.execute("CREATE TABLE _migrations (name TEXT PRIMARY KEY, applied_at REAL NOT NULL)")
    first.execute("BEGIN IMMEDIATE")
    asked = threading.Event()
    traced: list[str] = []

    def trace(sql: str) -> None:
        # B's next statement after reading the applied set: its read is over by then.
        if traced and traced[-1].startswith("SELECT name FROM _migrations"):
            asked.set()
        traced.append(sql)
    errors: list[BaseException] = []
    counts: list[int] = []

    def migrate_second() -> None:
        second = db._connect(path)  # sqlite3 connections stay in the thread that made them
        second.set_trace_callback(trace)
        try:
            db._migrate(second)
            counts.append(second.execute("SELECT count(*) FROM kn_commits").fetchone()[0])
        except BaseException as exc:  # noqa: BLE001 - reported by the assertion below
            errors.append(exc)
        finally:
            second.close()

    thread = threading.Thread(target=migrate_second)
    thread.start()
    assert asked.wait(timeout=30)  # B has read the applied set and now waits for the lock
    for name, script in db._pending(first, set()):
        for statement in db._statements(script):
            first.execute(statement)
        first.execute("INSERT INTO _migrations(name, applied_at) VALUES (?, ?)", (name, time.time()))
    first.execute("INSERT INTO kn_commits(title, body, paths, author, sha, ts) "
                  "VALUES ('t', '', '', 'a', 'abc', 1)")
    first.commit()
    thread.join(timeout=60)
    first.close()
    assert not errors
    assert counts == [1]
