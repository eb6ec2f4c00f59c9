"""Budgets: usage is deduplicated correctly, read incrementally, and a passed limit denies."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from agentops_os.budgets.usage import session_usage

PRICES = {"default": [1.0, 1.0, 1.0, 1.0], "claude-sonnet-4": [3.0, 15.0, 3.75, 0.3]}


def line(mid: str, req: str, output: int, inp: int = 100, model: str = "claude-sonnet-4-5") -> str:
    return json.dumps({"type": "assistant", "requestId": req, "timestamp": "2026-01-02T10:00:00Z",
                       "message": {"id": mid, "model": model, "role": "assistant",
                                   "usage": {"input_tokens": inp, "output_tokens": output,
                                             "cache_creation_input_tokens": 0,
                                             "cache_read_input_tokens": 0}}})


def test_last_line_per_message_wins(repo: Path) -> None:
    transcript = repo.parent / "t.jsonl"
    # message m1 streamed in three lines with growing output; m2 once
    lines = [line("m1", "r1", 1), line("m1", "r1", 5), line("m1", "r1", 40), line("m2", "r2", 10),
             '{"type":"user","message":{"content":"hi"}}']
    transcript.write_text("\n".join(lines) + "\n")
    usage = session_usage(str(repo), "s1", str(transcript), PRICES)
    assert usage.tokens == (100 + 40) + (100 + 10)
    assert abs(usage.cost_usd - ((200 * 3.0 + 50 * 15.0) / 1e6)) < 1e-12


def test_incremental_reads_and_partial_lines(repo: Path) -> None:
    transcript = repo.parent / "t.jsonl"
    transcript.write_text(line("m1", "r1", 10) + "\n" + line("m2", "r2", 20)[:30])  # m2 still being written
    assert session_usage(str(repo), "s1", str(transcript), PRICES).tokens == 110
    lines = [line("m1", "r1", 10), line("m2", "r2", 20), line("m1", "r1", 15)]
    transcript.write_text("\n".join(lines) + "\n")
    assert session_usage(str(repo), "s1", str(transcript), PRICES).tokens == 115 + 120


def hook(repo: Path, transcript: Path, session: str = "s9") -> dict[str, str]:
    payload = {"session_id": session, "transcript_path": str(transcript), "cwd": str(repo),
               "hook_event_name": "PreToolUse", "tool_name": "Bash", "tool_input": {"command": "ls"}}
    proc = subprocess.run([sys.executable, "-m", "agentops_os", "hook", "pre-tool-use"], cwd=repo,
                          input=json.dumps(payload), capture_output=True, text=True)
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
