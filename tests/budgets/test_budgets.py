"""Budgets: usage is deduplicated correctly, read incrementally, and a passed limit denies."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from agentops_os.budgets.usage import session_usage


def sonnet_pricer(model: str, counts: tuple[int, ...]) -> float:
    """$3 / $15 per million input / output tokens (what the shipped table says for Sonnet 4.5)."""
    return (counts[0] * 3.0 + counts[1] * 15.0) / 1e6


PRICES = sonnet_pricer


def line(mid: str, req: str, output: int, inp: int = 100, model: str = "claude-sonnet-4-5") -> str:
    return json.dumps({"type": "assistant", "requestId": req, "timestamp": "2026-01-02T10:00:00Z",
                       "message": {"id": mid, "model": model, "role": "assistant",
                                   "usage": {"input_tokens": inp, "output_tokens": output,
                                             "cache_creation_input_tokens": 0,
                                             "cache_read_input_tokens": 0}}})


def test_the_line_with_most_tokens_per_message_wins(repo: Path) -> None:
    transcript = repo.parent / "t.jsonl"
    # message m1 streamed in three lines with growing output; m2 once
    lines = [line("m1", "r1", 1), line("m1", "r1", 5), line("m1", "r1", 40), line("m2", "r2", 10),
             '{"type":"user","message":{"content":"hi"}}']
    transcript.write_text("\n".join(lines) + "\n")
    usage = session_usage(str(repo), "s1", str(transcript), PRICES)
    assert usage.tokens == (100 + 40) + (100 + 10)
    assert abs(usage.cost_usd - ((200 * 3.0 + 50 * 15.0) / 1e6)) < 1e-12


def test_order_of_streamed_lines_does_not_change_the_total(repo: Path) -> None:
    """Same rule as the session ledger: a late line with fewer tokens does not win."""
    transcript = repo.parent / "t.jsonl"
    transcript.write_text("\n".join([line("m1", "r1", 40), line("m1", "r1", 5)]) + "\n")
    assert session_usage(str(repo), "s1", str(transcript), PRICES).tokens == 140


def test_costs_come_from_the_ledger_price_table(repo: Path) -> None:
    from agentops_os.budgets.usage import ledger_pricer
    from agentops_os.config import load_config
    from agentops_os.sessions.pricing import load_pricing

    config = load_config(repo)
    usage = {"input_tokens": 1000, "output_tokens": 500, "cache_creation_input_tokens": 300,
             "cache_read_input_tokens": 2000,
             "cache_creation": {"ephemeral_5m_input_tokens": 100, "ephemeral_1h_input_tokens": 200}}
    expected = load_pricing(config).cost("claude-sonnet-4-5", {
        "input": 1000, "output": 500, "cache_write_5m": 100, "cache_write_1h": 200, "cache_read": 2000})
    assert expected > 0
    from agentops_os.transcripts.usage import claude_counts

    assert ledger_pricer(config)("claude-sonnet-4-5", claude_counts(usage)) == expected


def test_a_cost_limit_added_later_reprices_what_was_read(repo: Path) -> None:
    transcript = repo.parent / "t.jsonl"
    transcript.write_text(line("m1", "r1", 100) + "\n")
    assert session_usage(str(repo), "s1", str(transcript)).cost_usd == 0.0  # no pricer: not priced
    assert session_usage(str(repo), "s1", str(transcript), PRICES).cost_usd > 0


def test_incremental_reads_and_partial_lines(repo: Path) -> None:
    transcript = repo.parent / "t.jsonl"
    transcript.write_text(line("m1", "r1", 10) + "\n" + line("m2", "r2", 20)[:30])  # m2 still being written
    assert session_usage(str(repo), "s1", str(transcript), PRICES).tokens == 110
    lines = [line("m1", "r1", 10), line("m2", "r2", 20), line("m1", "r1", 15)]
    transcript.write_text("\n".join(lines) + "\n")
    assert session_usage(str(repo), "s1", str(transcript), PRICES).tokens == 115 + 120
    lines.append(line("m1", "r1", 12))  # a later, smaller repeat of m1 changes nothing
    transcript.write_text("\n".join(lines) + "\n")
    assert session_usage(str(repo), "s1", str(transcript), PRICES).tokens == 115 + 120


def hook(repo: Path, transcript: Path, session: str = "s9", run: str | None = None) -> dict[str, str]:
    payload = {"session_id": session, "transcript_path": str(transcript), "cwd": str(repo),
               "hook_event_name": "PreToolUse", "tool_name": "Bash", "tool_input": {"command": "ls"}}
    env = {k: v for k, v in os.environ.items() if k != "AO_RUN_ID"}
    if run is not None:
        env["AO_RUN_ID"] = run  # what a workflow runner sets for every session it starts
    proc = subprocess.run([sys.executable, "-m", "agentops_os", "hook", "pre-tool-use"], cwd=repo,
                          input=json.dumps(payload), capture_output=True, text=True, env=env)
    return json.loads(proc.stdout)["hookSpecificOutput"] if proc.stdout.strip() else {}


def test_hook_denies_past_the_limit_and_says_how_to_raise_it(repo: Path) -> None:
    transcript = repo.parent / "t.jsonl"
    transcript.write_text(line("m1", "r1", 400) + "\n")
    (repo / "agentops.toml").write_text("[budgets]\nsession_tokens = 1000\n")
    assert hook(repo, transcript) == {}
    transcript.write_text(line("m1", "r1", 400) + "\n" + line("m2", "r2", 600) + "\n")
    out = hook(repo, transcript)
    assert out["permissionDecision"] == "deny"
    assert "budgets.session_tokens = 1,000" in out["permissionDecisionReason"]
    assert "agentops.toml [budgets]" in out["permissionDecisionReason"]
    log = subprocess.run([sys.executable, "-m", "agentops_os", "audit", "log", "--kind", "budget",
                          "--json"], cwd=repo, capture_output=True, text=True)
    assert json.loads(log.stdout)["records"][0]["rule"] == "budget-session-tokens"
    status = subprocess.run([sys.executable, "-m", "agentops_os", "budget", "status", "--json"], cwd=repo,
                            capture_output=True, text=True)
    rows = json.loads(status.stdout)["usage"]
    assert {"scope": "session", "metric": "tokens", "used": 1200, "limit": 1000, "state": "EXHAUSTED"} in rows


def test_day_limit_counts_every_session(repo: Path) -> None:
    import time

    today = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
    first, second = repo.parent / "a.jsonl", repo.parent / "b.jsonl"
    first.write_text(line("m1", "r1", 500).replace("2026-01-02T10:00:00Z", today) + "\n")
    second.write_text(line("m2", "r2", 500).replace("2026-01-02T10:00:00Z", today) + "\n")
    (repo / "agentops.toml").write_text("[budgets]\nday_tokens = 1000\n")
    assert hook(repo, first, "a") == {}
    out = hook(repo, second, "b")
    assert out["permissionDecision"] == "deny" and "day budget" in out["permissionDecisionReason"]


def test_run_limit_counts_the_sessions_of_that_run_only(repo: Path) -> None:
    a, b, c = (repo.parent / f"{name}.jsonl" for name in "abc")
    a.write_text(line("m1", "r1", 500) + "\n")
    b.write_text(line("m2", "r2", 500) + "\n")
    c.write_text(line("m3", "r3", 500) + "\n")
    (repo / "agentops.toml").write_text("[budgets]\nrun_tokens = 1000\n")
    assert hook(repo, a, "a", run="run-1") == {}
    assert hook(repo, c, "c", run="run-2") == {}  # another run: its own 500 tokens
    out = hook(repo, b, "b", run="run-1")
    assert out["permissionDecision"] == "deny" and "run budget" in out["permissionDecisionReason"]
    assert hook(repo, c, "c", run="run-2") == {}
    assert hook(repo, c, "c") == {}  # outside any run, no run limit applies
