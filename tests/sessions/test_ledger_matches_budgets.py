# ruff: noqa: F811  (pytest fixtures imported from sessions_support are redefined as parameters)
"""The session ledger (`ao usage`) and budgets read the same usage model: on every shared
Claude transcript fixture, a budget counts exactly the tokens, and with the ledger's prices
the cost, that the ledger reports for the session (subagent transcripts included)."""

from __future__ import annotations

from pathlib import Path

import pytest
from sessions_support import home, put, utc  # noqa: F401 - pytest fixtures

from agentops_os.budgets.usage import ledger_pricer, session_usage
from agentops_os.config import load_config
from agentops_os.sessions import usage
from agentops_os.sessions.service import default_filter, ingest, open_ledger

CLAUDE_FIXTURES = ["claude-1.0", "claude-2.0", "claude-2.1"]


@pytest.mark.parametrize("name", CLAUDE_FIXTURES)
def test_budget_totals_equal_the_ledger(repo: Path, put, name: str) -> None:
    written = put(name)
    main = next(p for p in written if not p.name.startswith("agent-"))
    _assert_equal(repo, [(main.stem, main)])


def test_budget_totals_equal_the_ledger_for_a_codex_rollout(repo: Path, put) -> None:
    rollouts = [p for p in put("codex") if p.name.startswith("rollout-")]
    assert rollouts
    _assert_equal(repo, [(p.stem, p) for p in rollouts])


@pytest.mark.parametrize("name", ["codex-0.171", "codex-fork-copied"])
def test_a_codex_fork_budget_never_counts_less_than_the_ledger(repo: Path, put, name: str) -> None:
    """A fork or sub-agent rollout carries (part of) its parent's history. The ledger
    counts each request once across all rollouts; a session's budget counts what its own
    rollout reports, so the copied part is in both the parent's and the fork's budget:
    never fewer tokens than the ledger (a budget must not let spend through)."""
    rollouts = [p for p in put(name) if p.name.startswith("rollout-")]
    ledger = open_ledger(repo)
    ingest(ledger)
    days = usage.daily(ledger.index.conn, default_filter(ledger, cost_mode="calculate"), ledger.pricing)
    budgets = [session_usage(str(repo), p.stem, str(p)) for p in rollouts]
    assert all(b.tokens > 0 for b in budgets)
    assert sum(b.tokens for b in budgets) >= sum(usage.totals(days).tokens.values())


def _assert_equal(repo: Path, sessions: list[tuple[str, Path]]) -> None:
    ledger = open_ledger(repo)
    ingest(ledger)
    days = usage.daily(ledger.index.conn, default_filter(ledger, cost_mode="calculate"), ledger.pricing)
    total = usage.totals(days)
    ledger_tokens = sum(total.tokens.values())
    assert ledger_tokens > 0
    pricer = ledger_pricer(load_config(repo))
    budgets = [session_usage(str(repo), name, str(path), pricer) for name, path in sessions]
    assert sum(b.tokens for b in budgets) == ledger_tokens
    assert sum(b.cost_usd for b in budgets) == pytest.approx(total.cost)
    for day in days:  # and per day, which is what a daily limit compares
        assert sum(b.days.get(day.name, [0])[0] for b in budgets) == sum(day.tokens.values())
    again = [session_usage(str(repo), name, str(path), pricer).tokens for name, path in sessions]
    assert again == [b.tokens for b in budgets]  # an incremental re-read adds nothing


def test_lines_without_ids_each_count(repo: Path) -> None:
    """Very old lines carry no message id or requestId: each is a request of its own
    (the ledger's rule), not one request under the key "None:None"."""
    import json

    transcript = repo.parent / "old.jsonl"
    rows = [{"type": "assistant", "timestamp": "2025-01-01T00:00:00Z",
             "message": {"model": "claude-sonnet-4", "usage": {"input_tokens": n, "output_tokens": 10}}}
            for n in (100, 100, 0)]
    transcript.write_text("".join(json.dumps(r) + "\n" for r in rows))
    assert session_usage(str(repo), "old", str(transcript)).tokens == 110 + 110 + 10


def test_a_subagent_file_of_another_session_is_not_counted(repo: Path, put) -> None:
    written = put("claude-1.0")
    main = next(p for p in written if not p.name.startswith("agent-"))
    before = session_usage(str(repo), main.stem, str(main)).tokens
    stranger = main.parent / "agent-zzzz9999.jsonl"
    stranger.write_text('{"type":"assistant","sessionId":"someone-else","requestId":"r9","message":'
                        '{"id":"m9","model":"claude-sonnet-4","usage":{"input_tokens":5000,"output_tokens":1}}}\n')
    assert session_usage(str(repo), main.stem, str(main)).tokens == before
