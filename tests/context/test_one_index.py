"""The SessionStart packet and `ao prime` rank learnings from one index with one ranking:
for the same task they cite the same learnings in the same order."""

from __future__ import annotations

import json
import re
from pathlib import Path

from conftest import run_ao

LEARNINGS = {
    "retry-jitter.md": ("Retry the payments webhook with jitter", "Use exponential backoff with jitter "
                        "for the payments webhook; fixed delays caused a thundering herd.", 0.9),
    "webhook-idempotency.md": ("Payments webhook needs an idempotency key", "Store the event id; the "
                               "provider retries the payments webhook up to five times.", 0.6),
    "csv-encoding.md": ("CSV export must be UTF-8 with BOM", "Excel reads the export as cp1252 "
                        "without a BOM.", 0.5),
    "retired.md": ("Old payments webhook note", "Retired: the payments webhook moved.", 0.5),
}


def _learning(title: str, body: str, utility: float, status: str = "active") -> str:
    return (f"---\nid: {title.lower().replace(' ', '-')[:30]}\ntitle: {title}\ntype: learning\n"
            f"status: {status}\nutility: {utility}\ncreated: '2026-11-01T10:00:00Z'\n---\n\n{body}\n")


def _cited(text: str) -> list[str]:
    return re.findall(r"\.agents/learnings/[\w.-]+\.md", text)


def test_session_start_and_prime_cite_the_same_learnings(repo: Path) -> None:
    agents = repo / ".agents"
    (agents / "learnings").mkdir(parents=True)
    (agents / "handoffs").mkdir()
    for name, (title, body, utility) in LEARNINGS.items():
        status = "retired" if name == "retired.md" else "active"
        (agents / "learnings" / name).write_text(_learning(title, body, utility, status))
    (agents / "handoffs" / "h1.md").write_text(
        "---\ntitle: harden the payments webhook\nbranch: main\ncreated: '2026-11-02T09:00:00Z'\n---\n\n"
        "## Goal\nharden the payments webhook\n")
    payload = {"session_id": "s1", "transcript_path": str(repo / "t.jsonl"), "cwd": str(repo),
               "hook_event_name": "SessionStart", "source": "startup"}
    start = run_ao("hook", "session-start", cwd=repo, input=json.dumps(payload))
    assert start.returncode == 0, start.stderr
    packet = json.loads(start.stdout)["hookSpecificOutput"]["additionalContext"]
    assert "Latest handoff on main: harden the payments webhook" in packet
    prime = run_ao("prime", "harden the payments webhook", cwd=repo)
    assert prime.returncode == 0, prime.stderr
    from_start, from_prime = _cited(packet), _cited(prime.stdout)
    assert from_start and from_start == from_prime
    assert ".agents/learnings/retired.md" not in from_start  # retired learnings never come back
