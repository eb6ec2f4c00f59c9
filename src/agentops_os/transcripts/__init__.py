"""Reading agent transcripts where the agents write them (Claude Code, Codex CLI).

Shared by the session ledger, context status, handoffs and learning extraction:
`locate` finds the files, `jsonl` reads complete lines incrementally from a byte
offset, and `claude` / `codex` turn raw records into normalized `Event`s.
"""

from agentops_os.transcripts.model import Event

__all__ = ["Event"]
