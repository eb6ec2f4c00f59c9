"""One call to get a transcript file's events: `read_events(path)`, by the format table."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from agentops_os.transcripts.codex import CodexReader
from agentops_os.transcripts.formats import format_of
from agentops_os.transcripts.jsonl import ReadStats
from agentops_os.transcripts.model import Event


def read_events(path: Path, offset: int = 0, stats: ReadStats | None = None,
                codex: CodexReader | None = None) -> Iterator[Event]:
    """Normalized events of a Claude Code or Codex transcript from `offset`.

    For an incremental Codex read, pass the `CodexReader` kept from the previous read
    (it remembers the session id and model in force).
    """
    yield from format_of(path).events(path, offset, stats, codex)
