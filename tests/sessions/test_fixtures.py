# ruff: noqa: F811  (pytest fixtures imported from sessions_support are redefined as parameters)
"""Hand-computed totals for each transcript generation (see tests/fixtures/transcripts/README.md)."""

from __future__ import annotations

from pathlib import Path

import orjson
import pytest
from sessions_support import fixture_dir, home, put, utc  # noqa: F401 - pytest fixtures

from agentops_os.sessions import ingest as ingest_module
from agentops_os.sessions import parse as parse_module
from agentops_os.sessions import usage
from agentops_os.sessions.service import default_filter, ingest, open_ledger


def _tokens(bucket: usage.Bucket) -> tuple[int, int, int, int, int]:
    t = bucket.tokens
    return t["input"], t["output"], t["cache_write_5m"], t["cache_write_1h"], t["cache_read"]


def _summary(repo: Path, key: str) -> dict:
    return orjson.loads((repo / ".agents" / "sessions" / f"{key}.json").read_bytes())


def test_claude_1_0_flat_subagent_and_cost_usd(repo: Path, put) -> None:
    put("claude-1.0")
    ledger = open_ledger(repo)
    report, written = ingest(ledger)
    assert report.files_read == 2 and written == 1  # the flat agent file belongs to its parent
    conn = ledger.index.conn
    (day,) = usage.daily(conn, default_filter(ledger), ledger.pricing)
    assert day.name == "2025-07-01"
    # input 10 (msg_A) + 3 (msg_B) + 20 (msg_C); output 120 + 40 + 60 (final lines);
    # cache write 1000 + 500 (no breakdown: all 5m); cache read 1130.
    assert _tokens(day) == (33, 220, 1500, 0, 1130)
    # auto cost = costUSD of the kept lines: 0.02 + 0.005 + 0.004
    assert day.cost == pytest.approx(0.029)
    (first,) = usage.daily(conn, default_filter(ledger, dedup="first"), ledger.pricing)
    assert _tokens(first) == (33, 5 + 40 + 60, 1500, 0, 1130)
    assert first.cost == pytest.approx(0.01 + 0.005 + 0.004)
    (display,) = usage.daily(conn, default_filter(ledger, cost_mode="calculate"), ledger.pricing)
    # sonnet-4: (10+3)*3 + (120+40)*15 + 1000*3.75 + 1130*0.3 = 39 + 2400 + 3750 + 339 = 6528
    # haiku-3.5: 20*0.8 + 60*4 + 500*1.0 = 16 + 240 + 500 = 756  (per million)
    assert display.cost == pytest.approx((6528 + 756) / 1e6)
    s = _summary(repo, "claude-code-11111111-1111-4111-8111-111111111111")
    assert s["subagents"] == 1 and s["transcripts"] == 2
    assert s["files_touched"] == ["app.py"] and s["tool_calls"] == {"Edit": 1}
    assert s["user_turns"] == 1 and s["assistant_messages"] == 3
    assert s["peak_context_tokens"] == 1133  # msg_B: 3 + 0 + 1130 (subagent excluded)
    assert s["title"] == "Add a health check endpoint"
    assert s["cwd"] == "." and s["agent_version"] == "1.0.51"


def test_claude_2_0_subagents_compaction_cache_breakdown(repo: Path, put) -> None:
    put("claude-2.0")
    ledger = open_ledger(repo)
    ingest(ledger)
    conn = ledger.index.conn
    days = usage.daily(conn, default_filter(ledger), ledger.pricing)
    assert [d.name for d in days] == ["2025-11-03", "2025-11-04"]
    # 11-03: msg_D (4, 300, 500, 1500, 10000) + msg_E (6, 150, 100, 0, 150000)
    #        + msg_G subagent (12, 90, 4000, 0, 0)
    assert _tokens(days[0]) == (22, 540, 4600, 1500, 160000)
    assert _tokens(days[1]) == (8, 50, 3000, 0, 12000)  # msg_F after the compaction
    total = usage.totals(days)
    # sonnet-4.5 D: 12+4500+1875+9000+3000 = 18387; E: 18+2250+375+45000 = 47643;
    # F: 24+750+11250+3600 = 15624; haiku-4.5 G: 12+450+5000 = 5462   (per million)
    assert total.cost == pytest.approx((18387 + 47643 + 15624 + 5462) / 1e6)
    first = usage.totals(usage.daily(conn, default_filter(ledger, dedup="first"), ledger.pricing))
    assert first.tokens["output"] == 2 + 150 + 50 + 7  # first lines under-count output
    s = _summary(repo, "claude-code-22222222-2222-4222-8222-222222222222")
    assert s["compactions"] == 1 and s["subagents"] == 1
    assert s["peak_context_tokens"] == 150106 and s["peak_utilisation"] == pytest.approx(0.7505, abs=1e-4)
    assert s["turns_above"] == {"40": 1, "60": 1, "80": 0}
    assert s["tool_errors"] == 1 and s["tool_results"] == 4
    assert s["tool_calls"] == {"Bash": 1, "Grep": 1, "Task": 1, "Write": 1}
    assert s["files_touched"] == ["shop/totals.py"]
    assert s["user_turns"] == 1  # the compact summary is not a human prompt
    assert s["tokens"]["cache_write_1h"] == 1500 and s["tokens"]["cache_write_5m"] == 7600
    assert s["models"] == ["claude-haiku-4-5-20251001", "claude-sonnet-4-5-20250929"]
    assert s["duration_seconds"] == 14 * 60 + 2  # 23:50:00 .. 00:04:02


def test_claude_2_1_bad_input_and_partial_line(repo: Path, put, fixture_dir: Path) -> None:
    (path,) = put("claude-2.1")
    ledger = open_ledger(repo)
    report, _ = ingest(ledger)
    assert report.malformed == 1 and report.malformed_at == [f"{path}:5"]
    assert report.unknown_records == 1
    conn = ledger.index.conn
    (day,) = usage.daily(conn, default_filter(ledger), ledger.pricing)
    assert _tokens(day) == (10, 1000, 0, 0, 210000)  # msg_K still being written; synthetic ignored
    # >200k prompt: long-context rates 10*6 + 1000*22.5 + 210000*0.6 = 148560 per million
    assert day.cost == pytest.approx(148560 / 1e6)
    s = _summary(repo, "claude-code-33333333-3333-4333-8333-333333333333")
    assert s["peak_utilisation"] > 1.0 and s["turns_above"]["80"] == 1
    assert s["title"] == "Summarise the café spec" and s["user_turns"] == 2
    with path.open("ab") as handle:
        handle.write((fixture_dir / "claude-2.1" / "partial-rest.txt").read_bytes())
    report, _ = ingest(ledger)
    assert report.files_read == 1 and report.malformed == 0 and report.files_reread == 0
    (day,) = usage.daily(conn, default_filter(ledger), ledger.pricing)
    assert _tokens(day) == (15, 1025, 0, 0, 211000)
    assert day.cost == pytest.approx((148560 + 5 * 3 + 25 * 15 + 1000 * 0.3) / 1e6)


def test_codex_rollout_token_deltas_and_models(repo: Path, put) -> None:
    put("codex")
    ledger = open_ledger(repo)
    ingest(ledger)
    conn = ledger.index.conn
    (day,) = usage.daily(conn, default_filter(ledger), ledger.pricing)
    # three requests (the repeated token_count is skipped); input excludes cached input:
    # (1000-200) + (1500-1000) + (1500-800) = 2000; cached 200 + 1000 + 800; output 100 + 60 + 240
    assert _tokens(day) == (2000, 400, 0, 0, 2000)
    assert {m: _tokens(b) for m, b in day.models.items()} == {
        "gpt-5-codex": (1300, 160, 0, 0, 1200), "gpt-5": (700, 240, 0, 0, 800)}
    # gpt-5-codex: 1300*1.25 + 1200*0.125 + 160*10 = 3375; gpt-5: 700*1.25 + 800*0.125 + 2400 = 3375
    assert day.cost == pytest.approx(6750 / 1e6)
    s = _summary(repo, "codex-cccc3333-cccc-4ccc-8ccc-cccccccccccc")
    assert s["agent"] == "codex" and s["agent_version"] == "0.50.0" and s["branch"] == "main"
    assert s["user_turns"] == 2 and s["assistant_messages"] == 3
    assert s["tool_calls"] == {"apply_patch": 1, "shell": 1} and s["tool_errors"] == 1
    assert s["files_touched"] == ["app.py"] and s["compactions"] == 1
    assert s["peak_context_tokens"] == 1500 and s["context_window"] == 272000


def test_all_fixtures_together_match_sum_of_parts(repo: Path, put, monkeypatch) -> None:
    monkeypatch.setattr(parse_module, "FLUSH_EVERY", 1)  # a huge file's pending requests spill early
    for name in ("claude-1.0", "claude-2.0", "claude-2.1", "codex"):
        put(name)
    ledger = open_ledger(repo)
    report, written = ingest(ledger)
    assert written == 4
    total = usage.totals(usage.daily(ledger.index.conn, default_filter(ledger), ledger.pricing))
    assert _tokens(total) == (33 + 30 + 10 + 2000, 220 + 590 + 1000 + 400,
                              1500 + 7600, 1500, 1130 + 172000 + 210000 + 2000)
    again, written = ingest(ledger)
    assert again.files_read == 0 and again.files_unchanged == report.files_seen and written == 0


def test_parallel_parse_gives_the_same_totals(repo: Path, put, monkeypatch) -> None:
    """Large ingests parse files in worker processes; the result must not change."""
    import os

    for name in ("claude-1.0", "claude-2.0", "claude-2.1", "codex"):
        put(name)
    monkeypatch.setattr(ingest_module, "PARALLEL_MIN_BYTES", 0)
    monkeypatch.setattr(os, "cpu_count", lambda: 3)
    ledger = open_ledger(repo)
    report, written = ingest(ledger)
    assert written == 4 and report.files_read == 6 and report.malformed == 1
    total = usage.totals(usage.daily(ledger.index.conn, default_filter(ledger), ledger.pricing))
    assert _tokens(total) == (33 + 30 + 10 + 2000, 220 + 590 + 1000 + 400,
                              1500 + 7600, 1500, 1130 + 172000 + 210000 + 2000)
    s = _summary(repo, "claude-code-22222222-2222-4222-8222-222222222222")
    assert s["subagents"] == 1 and s["compactions"] == 1 and s["tool_errors"] == 1


def test_codex_0171_response_records_fork_and_subagent_count_each_response_once(repo: Path, put) -> None:
    """Shapes of real Codex 0.171 rollouts: `token_usage_record` per response next to the
    running `token_count`; a `codex exec fork` whose running total starts at the parent's;
    a sub-agent spawned with the parent's context, replaying the parent's first response."""
    put("codex-0.171")
    ledger = open_ledger(repo)
    report, written = ingest(ledger)
    assert written == 3 and report.malformed == 0
    # the one record type nobody knows is counted by name; bookkeeping types are not
    assert report.unknown_by_type == {"rollout_brand_new_record": 1}
    conn = ledger.index.conn
    (day,) = usage.daily(conn, default_filter(ledger), ledger.pricing)
    # five responses: input excludes the cached and the cache-written parts
    # (5000-3500) + (6000-4000) + (7000-5500) + (7600-6000) + (2000-0-500)
    assert _tokens(day) == (8100, 310, 500, 0, 3500 + 4000 + 5500 + 6000)
    sessions = {b.extra["session_id"]: _tokens(b) for b in usage.by_session(conn, default_filter(ledger),
                                                                             ledger.pricing)}
    assert sessions["0aaa1111-aaaa-7aaa-8aaa-aaaaaaaaaaaa"] == (3500, 120, 0, 0, 7500)
    assert sessions["0bbb2222-bbbb-7bbb-8bbb-bbbbbbbbbbbb"] == (3100, 90, 0, 0, 11500)
    assert sessions["0ccc3333-cccc-7ccc-8ccc-cccccccccccc"] == (1500, 100, 500, 0, 0)
    # gpt-6-sol $2/$10 (cached $0.20), gpt-6-luna $0.10/$0.50 (cached $0.01, writes 1.25x)
    sol = (8100 - 1500) * 2 + 210 * 10 + 19000 * 0.2
    luna = 1500 * 0.1 + 100 * 0.5 + 500 * 0.125
    assert day.cost == pytest.approx((sol + luna) / 1e6)
    assert not ledger.pricing.unknown


@pytest.mark.parametrize("child_first", [False, True])
def test_codex_fork_that_copies_the_parents_records_counts_them_once(repo: Path, put, home: Path,
                                                                    child_first: bool) -> None:
    """Older Codex copied the parent's records (its session_meta, token_counts) into the
    forked rollout; they are the parent's requests, whichever file is read first."""
    paths = put("codex-fork-copied")
    parent = next(p for p in paths if "0ddd4444" in p.name)
    ledger = open_ledger(repo)
    if child_first:
        moved = parent.with_suffix(".away")
        parent.rename(moved)
        ingest(ledger)
        moved.rename(parent)
    ingest(ledger)
    (day,) = usage.daily(ledger.index.conn, default_filter(ledger), ledger.pricing)
    # parent: (1000-200, 50) + (1500-1000, 60); the fork's own turn: (2000-1500, 40)
    assert _tokens(day) == (800 + 500 + 500, 150, 0, 0, 200 + 1000 + 1500)
    if not child_first:
        sessions = {b.extra["session_id"]: _tokens(b) for b in usage.by_session(
            ledger.index.conn, default_filter(ledger), ledger.pricing)}
        assert sessions["0eee5555-eeee-4eee-8eee-eeeeeeeeeeee"] == (500, 40, 0, 0, 1500)
