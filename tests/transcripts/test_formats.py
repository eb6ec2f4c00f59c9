"""One table of transcript formats: every host has a row, and every reader picks the
format by it."""

from __future__ import annotations

from pathlib import Path

from agentops_os import hosts
from agentops_os.transcripts.formats import FORMATS, format_of
from agentops_os.transcripts.locate import detect_agent
from agentops_os.transcripts.read import read_events

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "transcripts"


def test_every_host_has_a_format_and_the_table_decides() -> None:
    assert {f.host for f in FORMATS} == set(hosts.NAMES)
    codex = next(FIXTURES.glob("codex/sessions/*/*/*/rollout-*.jsonl"))
    claude = next(FIXTURES.glob("claude-2.0/projects/PROJECT/*.jsonl"))
    assert format_of(codex).host == detect_agent(codex) == hosts.CODEX
    assert format_of(claude).host == detect_agent(claude) == hosts.CLAUDE_CODE
    assert {e.agent for e in read_events(codex)} == {hosts.CODEX}
    assert {e.agent for e in read_events(claude)} == {hosts.CLAUDE_CODE}
