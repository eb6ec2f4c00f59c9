"""Learnings on disk, review and feedback, through the core functions."""

from __future__ import annotations

from pathlib import Path

import pytest

from agentops_os.errors import FatalError
from agentops_os.knowledge import feedback, forge, learnings, review
from agentops_os.knowledge.samples import DEMO_SESSION, DEMO_TURNS, write_claude_session
from agentops_os.store import Store
from conftest import git


def test_add_detects_near_duplicates_and_merges(repo: Path) -> None:
    store = Store(repo)
    first = learnings.new_learning("Always set a timeout on outbound HTTP requests", "It waits forever.")
    learnings.save(store, first)
    dups = learnings.find_duplicates(store, "Set a timeout on all outbound HTTP requests", "", 0.6)
    assert dups and dups[0].learning.id == first.id
    assert learnings.find_duplicates(store, "Store money as integer cents", "", 0.6) == []
    merged = learnings.merge_into(dups[0].learning, "x", "Use (3, 10) seconds.", ["http"])
    learnings.save(store, merged)
    again = learnings.get(store, first.id)
    assert "Use (3, 10) seconds." in again.body and again.tags == ["http"]


def test_retire_keeps_file_and_records_supersedes(repo: Path) -> None:
    store = Store(repo)
    old = learnings.new_learning("Use a 60 s gateway timeout")
    new = learnings.new_learning("Use a 10 s gateway timeout")
    learnings.save(store, old)
    learnings.save(store, new)
    learnings.retire(store, old.id, superseded_by=new.id)
    assert learnings.get(store, old.id).status == "retired"
    assert learnings.get(store, new.id).supersedes == [old.id]


def test_feedback_moves_utility_in_the_file(repo: Path) -> None:
    store = Store(repo)
    item = learnings.new_learning("Prefetch relations before loops")
    path = learnings.save(store, item)
    updated, before = feedback.apply(store, item.id, "helpful")
    assert before == 0.5 and updated.utility == pytest.approx(0.6)
    assert "utility: 0.6" in path.read_text() and "helpful_count: 1" in path.read_text()
    updated, _ = feedback.apply(store, item.id, "harmful")
    assert updated.utility == pytest.approx(0.48)
    with pytest.raises(FatalError):
        feedback.apply(store, "l-missing", "helpful")


def test_forge_review_roundtrip(repo: Path, hermetic_env: Path) -> None:
    (repo / "a.txt").write_text("x")
    git(repo, "add", "a.txt")
    git(repo, "commit", "-q", "-m", "fix: retries\n\nLearning: retries without jitter amplify outages\n")
    write_claude_session(hermetic_env, repo, DEMO_SESSION, DEMO_TURNS)
    store = Store(repo)
    store.write_document("handoffs", "h1", {"title": "h"}, "## Decisions\n- Keep total() signature stable.\n")
    report = forge.forge(repo)
    kinds = {c.source["type"] for c in report.written}
    assert kinds == {"commit", "session", "handoff"}
    assert report.scanned == {"commits": 2, "transcripts": 1, "handoffs": 1}
    session_sources = [c.source for c in report.written if c.source["type"] == "session"]
    assert all(s["session"] == DEMO_SESSION and s["message"] for s in session_sources)
    # A re-run proposes nothing new: ids derive from source and text.
    assert forge.forge(repo).written == []
    first, second = review.pending(store)[:2]
    learned = review.accept(store, first.id)
    review.reject(store, second.id)
    assert learnings.get(store, learned.id).source == first.source
    assert {c.id for c in review.pending(store)}.isdisjoint({first.id, second.id})
    with pytest.raises(FatalError, match="already accepted"):
        review.accept(store, first.id)
    assert forge.forge(repo).written == []  # rejected ones are not proposed again


def test_forge_since_and_session_filters(repo: Path, hermetic_env: Path) -> None:
    write_claude_session(hermetic_env, repo, DEMO_SESSION, DEMO_TURNS)
    assert forge.forge(repo, session="nope", dry_run=True).written == []
    only = forge.forge(repo, session=DEMO_SESSION, dry_run=True)
    assert only.written and {c.source["type"] for c in only.written} == {"session"}
    assert forge.forge(repo, since="2099-01-01", dry_run=True).written == []
