"""The table of transcript formats: one row per agent host, naming how its files are
recognised and which reader turns their records into `Event`s.

Every reader of transcripts asks this table (`format_of`): `read_events` (handoffs, forge,
live context, OpenTelemetry), the session ledger's ingest and the budgets. The next host
is one more row here (and in `agentops_os.hosts`). The ledger's ingest and the budgets
keep their own fused per-line loops for speed, but they choose them by the host this
table names. Imports nothing heavy: the file-name rule must be cheap.
"""

from __future__ import annotations

import os

from agentops_os.hosts import CLAUDE_CODE, CODEX

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Iterator
    from pathlib import Path

    from agentops_os.transcripts.jsonl import ReadStats
    from agentops_os.transcripts.model import Event


class Format:
    __slots__ = ("host", "matches", "events")

    def __init__(self, host: str, matches: Callable[[str], bool],
                 events: Callable[[Path, int, ReadStats | None, object], Iterator[Event]]) -> None:
        self.host = host  # agentops_os.hosts name
        self.matches = matches  # (file name) -> is it this host's transcript?
        self.events = events  # (path, offset, stats, reader state) -> normalized events


def _codex_events(path: Path, offset: int, stats: ReadStats | None, state: object) -> Iterator[Event]:
    from agentops_os.transcripts.codex import CodexReader
    from agentops_os.transcripts.jsonl import read_records

    reader = state if isinstance(state, CodexReader) else CodexReader()
    for line, record in read_records(path, offset, stats=stats):
        yield from reader.events(record, line)


def _claude_events(path: Path, offset: int, stats: ReadStats | None, state: object) -> Iterator[Event]:
    from agentops_os.transcripts import claude
    from agentops_os.transcripts.jsonl import read_records

    for line, record in read_records(path, offset, stats=stats):
        yield from claude.events(record, line)


# First match wins; Claude Code's row takes every other `.jsonl`.
FORMATS: tuple[Format, ...] = (
    Format(CODEX, lambda name: name.startswith("rollout-"), _codex_events),
    Format(CLAUDE_CODE, lambda name: True, _claude_events),
)


def format_of(path: str | os.PathLike[str]) -> Format:
    name = os.path.basename(os.fspath(path))
    return next(f for f in FORMATS if f.matches(name))
