"""One call to get a transcript file's events: `read_events(path)`."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from agentops_os.hosts import CODEX
from agentops_os.transcripts import claude
from agentops_os.transcripts.codex import CodexReader
from agentops_os.transcripts.jsonl import ReadStats, read_records
from agentops_os.transcripts.locate import detect_agent
from agentops_os.transcripts.model import Event


def read_events(path: Path, offset: int = 0, stats: ReadStats | None = None,
                codex: CodexReader | None = None) -> Iterator[Event]:
    """Normalized events of a Claude Code or Codex transcript from `offset`.

    For an incremental Codex read, pass the `CodexReader` kept from the previous read
    (it remembers the session id and model in force).
    """
    if detect_agent(path) == CODEX:
        reader = codex or CodexReader()
        for line, record in read_records(path, offset, stats=stats):
            yield from reader.events(record, line)
        return
    for line, record in read_records(path, offset, stats=stats):
        yield from claude.events(record, line)
