"""Incremental, bounded-memory reading of JSON Lines transcripts.

Agents append to these files while we read them, so: only complete lines (ending in a
newline) are consumed; the returned offset points just past the last complete line and
is where the next read resumes. Invalid UTF-8 is replaced, not fatal; malformed lines
are counted with their line numbers, never abort the read.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson

CHUNK = 1 << 20


@dataclass
class ReadStats:
    lines: int = 0
    malformed: int = 0
    malformed_at: list[int] = field(default_factory=list)  # first few line numbers
    end_offset: int = 0
    end_line: int = 0


def read_records(
    path: Path, offset: int = 0, first_line: int = 1, stats: ReadStats | None = None
) -> Iterator[tuple[int, dict[str, Any]]]:
    """Yield (line_number, record) for each complete JSON-object line from `offset`.

    `stats.end_offset`/`end_line` tell where to resume next time. Streams in chunks, so
    a 1 GB file costs one chunk of memory plus the longest line.
    """
    stats = stats if stats is not None else ReadStats()
    loads, JSONDecodeError = orjson.loads, orjson.JSONDecodeError  # noqa: N806 - hot loop locals
    stats.end_offset = offset
    stats.end_line = first_line
    line_no = first_line
    with open(path, "rb") as handle:
        handle.seek(offset)
        pending = b""
        base = offset  # file offset of data[0]
        while True:
            chunk = handle.read(CHUNK)
            if not chunk:
                break
            data = pending + chunk if pending else chunk
            start = 0
            while True:
                end = data.find(b"\n", start)
                if end < 0:
                    break
                raw = data[start:end]
                start = end + 1
                number = line_no
                line_no += 1
                stats.end_offset = base + start
                stats.end_line = line_no
                # isspace() stops at the first visible byte; strip() would copy the line.
                if raw and not raw.isspace():
                    stats.lines += 1
                    try:
                        record = loads(raw)
                        if record.__class__ is not dict:
                            record = None
                    except JSONDecodeError:
                        record = _parse(raw)
                    if record is None:
                        stats.malformed += 1
                        if len(stats.malformed_at) < 20:
                            stats.malformed_at.append(number)
                    else:
                        yield number, record
            pending = data[start:]
            base += start
        # A trailing fragment without newline is still being written: leave it.


def _parse(raw: bytes) -> dict[str, Any] | None:
    try:
        value = orjson.loads(raw)
    except orjson.JSONDecodeError:
        try:
            value = orjson.loads(raw.decode("utf-8", errors="replace"))
        except orjson.JSONDecodeError:
            return None
    return value if isinstance(value, dict) else None
