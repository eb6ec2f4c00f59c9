# ruff: noqa: F811  (pytest fixtures imported from sessions_support are redefined as parameters)
"""Incremental ingest, dedup properties, rebuild, commits, blocks, pricing, sample corpus."""

from __future__ import annotations

import json
import os
import subprocess
from datetime import UTC, datetime, timedelta
from pathlib import Path

import orjson
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sessions_support import home, utc  # noqa: F401 - pytest fixtures

from agentops_os.index import rebuild_index
from agentops_os.sessions import usage
from agentops_os.sessions.ledger import load_marks, summaries
from agentops_os.sessions.metrics import compute, gate_failures, sparkline
from agentops_os.sessions.pricing import Pricing
from agentops_os.sessions.sample import write_sample_corpus
from agentops_os.sessions.service import default_filter, ingest, open_ledger
from agentops_os.store import Store
from agentops_os.transcripts.locate import claude_project_slug

SONNET = "claude-sonnet-4-5-20250929"


def _line(repo: Path, mid: str, rid: str, out: int, ts: str, *, inp: int = 5, cw: int = 100,
          cr: int = 1000) -> dict:
    return {"type": "assistant", "sessionId": "s-1", "cwd": str(repo), "version": "2.0.1",
            "timestamp": ts, "requestId": rid, "uuid": f"{mid}-{out}",
            "message": {"id": mid, "model": SONNET, "role": "assistant",
                        "content": [{"type": "text", "text": "x"}],
                        "usage": {"input_tokens": inp, "output_tokens": out,
                                  "cache_creation_input_tokens": cw, "cache_read_input_tokens": cr}}}


def _project(home: Path, repo: Path) -> Path:
    path = home / ".claude" / "projects" / claude_project_slug(str(repo))
    path.mkdir(parents=True, exist_ok=True)
    return path


def _write(path: Path, lines: list[dict], mode: str = "w") -> None:
    with path.open(mode) as handle:
        for line in lines:
            handle.write(json.dumps(line, separators=(",", ":")) + "\n")


def _total(ledger) -> dict[str, int]:
    return usage.totals(usage.daily(ledger.index.conn, default_filter(ledger), ledger.pricing)).tokens


# A streamed response: every line repeats input/cache usage, output grows to its final value.
responses = st.lists(st.tuples(st.integers(1, 6), st.integers(1, 5000)), min_size=1, max_size=4)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(responses, st.randoms(use_true_random=False), st.integers(0, 30))
def test_dedup_any_order_and_repetition_gives_final_totals(tmp_path_factory, responses, rnd, cut):
    base = tmp_path_factory.mktemp("dedup")
    repo, home = base / "repo", base / "home"
    repo.mkdir()
    subprocess.run(["git", "init", "-q"], cwd=repo, check=True)
    lines = []
    expected_output = 0
    for number, (count, final) in enumerate(responses):
        outputs = sorted({max(1, final * k // count) for k in range(1, count + 1)} | {final})
        expected_output += final
        for out in outputs:
            for _ in range(rnd.randint(1, 3)):  # repetition
                lines.append(_line(repo, f"msg_{number}", f"req_{number}", out,
                                   f"2026-11-0{1 + number % 3}T10:00:00.000Z"))
    rnd.shuffle(lines)
    cut = min(cut, len(lines))
    path = _project(home, repo) / "s-1.jsonl"
    old_home = os.environ["HOME"]
    os.environ["HOME"] = str(home)
    try:
        _write(path, lines[:cut])
        ledger = open_ledger(repo)
        ingest(ledger)
        _write(path, lines[cut:], "a")  # the rest arrives later: merged across two reads
        ingest(ledger)
        totals = _total(ledger)
        ledger.close()
    finally:
        os.environ["HOME"] = old_home
    n = len(responses)
    assert totals == {"input": 5 * n, "output": expected_output, "cache_write_5m": 100 * n,
                      "cache_write_1h": 0, "cache_read": 1000 * n}


def test_resumed_session_copies_are_counted_once(repo: Path, home: Path) -> None:
    project = _project(home, repo)
    first = [_line(repo, "msg_1", "req_1", 10, "2026-11-01T10:00:00.000Z"),
             _line(repo, "msg_1", "req_1", 80, "2026-11-01T10:00:00.000Z")]
    _write(project / "a.jsonl", first)
    # `claude --resume` writes a new file that starts with a copy of the old lines
    copied = [{**line, "sessionId": "s-2"} for line in first]
    _write(project / "b.jsonl", [*copied, _line(repo, "msg_2", "req_2", 7, "2026-11-01T11:00:00.000Z")])
    ledger = open_ledger(repo)
    ingest(ledger)
    assert _total(ledger)["output"] == 87


def test_a_crash_after_the_ingest_commit_is_repaired_by_the_next_ingest(
        repo: Path, home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Requests are committed before the rollup and summaries are refreshed; if ao dies in
    between, the sessions stay pending and the next ingest (nothing new to read) finishes."""
    from agentops_os.sessions import service

    _write(_project(home, repo) / "s-1.jsonl",
           [_line(repo, "msg_1", "req_1", 10, "2026-11-01T10:00:00.000Z")])
    ledger = open_ledger(repo)

    def crash(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise KeyboardInterrupt

    monkeypatch.setattr(service, "build_summaries", crash)
    with pytest.raises(KeyboardInterrupt):
        ingest(ledger)
    monkeypatch.undo()
    assert summaries(ledger.index.conn) == []
    report, written = ingest(ledger)
    assert report.files_read == 0 and report.sessions_updated == ["claude-code-s-1"] and written == 1
    assert _total(ledger)["output"] == 10
    assert ledger.index.conn.execute("SELECT count(*) FROM sessions_pending").fetchone()[0] == 0
    report, written = ingest(ledger)
    assert report.sessions_updated == [] and written == 0


def test_unchanged_appended_rewritten_and_truncated_files(repo: Path, home: Path) -> None:
    path = _project(home, repo) / "s-1.jsonl"
    _write(path, [_line(repo, "msg_1", "req_1", 10, "2026-11-01T10:00:00.000Z")])
    ledger = open_ledger(repo)
    report, _ = ingest(ledger)
    assert report.files_read == 1 and _total(ledger)["output"] == 10
    report, _ = ingest(ledger)
    assert report.files_read == 0 and report.files_unchanged == 1
    _write(path, [_line(repo, "msg_2", "req_2", 20, "2026-11-01T10:01:00.000Z")], "a")
    report, _ = ingest(ledger)
    assert report.files_read == 1 and report.files_reread == 0
    assert report.bytes_read < path.stat().st_size and _total(ledger)["output"] == 30
    # rewritten in place with different content (same size or not): read again from 0
    _write(path, [_line(repo, "msg_9", "req_9", 5, "2026-11-01T10:00:00.000Z")])
    report, _ = ingest(ledger)
    assert report.files_reread == 1 and _total(ledger)["output"] == 5
    path.write_text("")  # truncated
    report, _ = ingest(ledger)
    assert report.files_reread == 1 and _total(ledger)["output"] == 0


def test_lost_index_is_rebuilt_and_marks_survive(repo: Path, home: Path) -> None:
    write_sample_corpus(home, repo, sessions=2)
    ledger = open_ledger(repo)
    ingest(ledger)
    before = summaries(ledger.index.conn)
    key = before[0]["key"]
    ledger.store.write_record("sessions/marks", key, {"key": key, "mark": "success"})
    ledger.close()
    index = rebuild_index(repo)  # what `ao reindex` does: refilled from .agents/sessions/*.json
    assert [s["key"] for s in summaries(index.conn)] == [s["key"] for s in before]
    assert index.conn.execute("SELECT count(*) FROM sessions_requests").fetchone()[0] == 0
    index.close()
    ledger = open_ledger(repo)
    report, _ = ingest(ledger)  # ingest state was derived too: everything is read again
    assert report.files_read == report.files_seen
    assert summaries(ledger.index.conn) == before
    assert load_marks(Store(repo))[key]["mark"] == "success"


def test_scope_default_is_this_repo(repo: Path, home: Path, tmp_path: Path) -> None:
    other = tmp_path / "other"
    other.mkdir()
    write_sample_corpus(home, other, sessions=1, codex=True, seed=3)
    write_sample_corpus(home, repo, sessions=1, codex=True, seed=4)
    ledger = open_ledger(repo)
    report, written = ingest(ledger)
    assert written == 2 and report.out_of_scope == 1  # the other repo's Codex rollout
    assert all(s["in_repo"] for s in summaries(ledger.index.conn))
    report, written = ingest(ledger, all_projects=True)
    assert written == 0  # other projects are indexed, never written into this repo
    assert len(summaries(ledger.index.conn, all_projects=True)) == 4


def _git(repo: Path, *args: str, when: str | None = None) -> None:
    env = dict(os.environ)
    if when:
        env.update(GIT_COMMITTER_DATE=when, GIT_AUTHOR_DATE=when)
    subprocess.run(["git", *args], cwd=repo, env=env, check=True, capture_output=True)


def test_commits_on_the_branch_during_the_session(repo: Path, home: Path) -> None:
    start = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
    write_sample_corpus(home, repo, sessions=1, codex=False, start=start)
    (repo / "x.txt").write_text("x")
    _git(repo, "add", "x.txt")
    _git(repo, "commit", "-qm", "during", when="2026-11-02T09:02:00Z")
    (repo / "y.txt").write_text("y")
    _git(repo, "add", "y.txt")
    _git(repo, "commit", "-qm", "next day", when="2026-11-03T09:02:00Z")
    ledger = open_ledger(repo)
    ingest(ledger)
    (summary,) = summaries(ledger.index.conn)
    head = subprocess.run(["git", "rev-parse", "HEAD~1"], cwd=repo, capture_output=True, text=True).stdout
    assert summary["commits"] == [head.strip()]
    result = compute([summary], {}, set())
    assert result["overall"]["success_rate"] == 1.0 and result["overall"]["commits"] == 1
    assert compute([summary], {}, {head.strip()})["overall"]["success_rate"] == 0.0  # a gate failed
    assert compute([summary], {summary["key"]: {"mark": "fail"}}, set())["overall"]["success_rate"] == 0.0


def test_gate_failures_tolerate_absence_and_odd_records(tmp_path: Path) -> None:
    agents = tmp_path / ".agents"
    assert gate_failures(agents) == set()
    audit = agents / "audit"
    audit.mkdir(parents=True)
    (audit / "ledger-a.jsonl").write_text(
        '{"kind": "gate_verdict", "verdict": "fail", "commit": "abcdef1234"}\n'
        '{"kind": "gate_verdict", "verdict": "pass", "commit": "1111111111"}\n'
        'not json\n'
        '{"kind": "approval", "data": {"gate": "lint", "status": "failed", "head": "2222222222"}}\n'
        '{"kind": "guard_denial", "verdict": "fail", "commit": "3333333333"}\n')
    assert gate_failures(agents) == {"abcdef1234", "2222222222"}


def test_blocks_follow_the_five_hour_rule(repo: Path, home: Path) -> None:
    stamps = ["2026-11-01T10:20:00.000Z", "2026-11-01T14:59:00.000Z",  # same block (starts 10:00)
              "2026-11-01T15:01:00.000Z",  # > 5 h after the block start: new block at 15:00
              "2026-11-01T21:00:00.000Z"]  # > 5 h gap: new block at 21:00
    _write(_project(home, repo) / "s.jsonl",
           [_line(repo, f"m{i}", f"r{i}", 10, ts) for i, ts in enumerate(stamps)])
    ledger = open_ledger(repo)
    ingest(ledger)
    found = usage.blocks(ledger.index.conn, default_filter(ledger), ledger.pricing,
                         now=datetime(2026, 11, 2, 0, 0, tzinfo=UTC).timestamp())
    assert [(b.extra["start"], b.requests) for b in found] == [
        ("2026-11-01T10:00:00Z", 2), ("2026-11-01T15:00:00Z", 1), ("2026-11-01T21:00:00Z", 1)]
    assert [b.extra["active"] for b in found] == [False, False, True]


def test_pricing_prefixes_tiers_and_overrides() -> None:
    pricing = Pricing()
    tokens = {"input": 1_000_000, "output": 0, "cache_write_5m": 0, "cache_write_1h": 0, "cache_read": 0}
    assert pricing.cost("claude-sonnet-4-5-20250929", tokens) == pytest.approx(3.0)
    assert pricing.cost("claude-sonnet-4-5-20250929", tokens, long_context=True) == pytest.approx(6.0)
    assert pricing.cost("claude-opus-4-1-20250805", tokens) == pytest.approx(15.0)
    assert pricing.cost("gpt-5-codex", {**tokens, "cache_read": 1_000_000}) == pytest.approx(1.375)
    assert pricing.cost("mystery-model", tokens) == 0.0 and pricing.unknown == {"mystery-model"}
    custom = Pricing({"mystery-model": {"input": 2.0, "output": 4.0}})
    assert custom.cost("mystery-model", {**tokens, "cache_write_5m": 1_000_000}) == pytest.approx(2.0 + 2.5)


def test_sparkline() -> None:
    assert sparkline([0, 0.5, 1.0]) == "▁▅█"
    assert sparkline([]) == "" and sparkline([None, 1]) == " ▅"


def test_sample_corpus_is_deterministic_and_realistic(tmp_path: Path) -> None:
    a = write_sample_corpus(tmp_path / "h1", tmp_path / "repo", sessions=3, seed=7)
    b = write_sample_corpus(tmp_path / "h2", tmp_path / "repo", sessions=3, seed=7)
    assert [p.read_bytes() for p in a] == [p.read_bytes() for p in b]
    names = [str(p.relative_to(tmp_path / "h1")) for p in a]
    assert any("/subagents/agent-" in n for n in names) and any("rollout-" in n for n in names)
    claude_files = [p for p in a if "rollout" not in p.name]
    records = [orjson.loads(line) for p in claude_files for line in p.read_bytes().splitlines()]
    assert any(r.get("subtype") == "compact_boundary" for r in records)
    ids = [(r["message"]["id"], r["requestId"]) for r in records if r["type"] == "assistant"]
    assert len(ids) > len(set(ids))  # streaming repeats
    tools = {c["name"] for r in records if r["type"] == "assistant" for c in r["message"]["content"]
             if c["type"] == "tool_use"}
    assert {"Bash", "Edit", "Write", "TodoWrite"} <= tools
    assert all(r["cwd"] == str((tmp_path / "repo").resolve()) for r in records if "cwd" in r)


def test_sample_start_spacing(tmp_path: Path) -> None:
    start = datetime(2026, 1, 1, tzinfo=UTC)
    paths = write_sample_corpus(tmp_path / "h", tmp_path / "r", sessions=2, codex=False, start=start,
                                spacing=timedelta(minutes=30))
    first = orjson.loads(paths[0].read_bytes().splitlines()[1])
    assert first["timestamp"].startswith("2026-01-01T00:0")


def test_codex_patch_files_from_custom_tool_and_shell_heredoc(tmp_path: Path) -> None:
    from agentops_os.sessions.accumulate import Accumulator as _Accumulator
    from agentops_os.sessions.accumulate import new_facts

    root = tmp_path / "repo"
    acc = _Accumulator(tmp_path / "rollout-x.jsonl", {**new_facts("codex", tmp_path / "x"), "cwd": str(root)},
                       300.0, root)
    acc.tool_use("apply_patch", "*** Begin Patch\n*** Add File: docs/a.md\n+x\n*** End Patch\n")
    heredoc = ("apply_patch <<'EOF'\n*** Begin Patch\n*** Update File: src/b.py\n@@\n-a\n+b\n"
               "*** End Patch\nEOF")
    acc.tool_use("shell", {"command": ["bash", "-lc", heredoc]})
    acc.tool_use("shell", {"command": ["bash", "-lc", "pytest -q"]})
    acc.tool_use("Edit", {"file_path": str(root / "c.py")})
    acc.tool_use("Write", {"file_path": "/etc/hosts"})
    assert sorted(acc.files) == ["c.py", "docs/a.md", "src/b.py"] and acc.facts["files_outside"] == 1
    assert acc.tools == {"apply_patch": 1, "shell": 2, "Edit": 1, "Write": 1}
