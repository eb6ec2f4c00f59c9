"""Output helpers shared by commands: JSON on stdout, tables, progress on stderr.

Data goes to stdout, messages to stderr (DESIGN §3.2). rich is imported only when a
table or progress bar is actually drawn on a terminal.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator, Sequence
from typing import Any, TypeVar

T = TypeVar("T")


def emit_json(data: Any) -> None:
    import orjson  # here: most commands print no JSON, and loading it costs start-up time

    sys.stdout.write(
        orjson.dumps(data, option=orjson.OPT_INDENT_2 | orjson.OPT_NON_STR_KEYS).decode() + "\n"
    )


def info(message: str) -> None:
    sys.stderr.write(message + "\n")


def table(headers: Sequence[str], rows: Iterable[Sequence[Any]], title: str | None = None,
          align_up_to: int | None = None) -> None:
    """Plain aligned columns when piped (stable to parse); a rich table on a terminal.
    `align_up_to`: cells longer than this do not widen their column (they run over), so
    one long value does not pad every other line to its length."""
    rows = [["" if c is None else str(c) for c in row] for row in rows]
    if sys.stdout.isatty():
        from rich.console import Console
        from rich.table import Table

        grid = Table(title=title, show_edge=False, header_style="bold")
        for header in headers:
            grid.add_column(header)
        for row in rows:
            grid.add_row(*row)
        Console().print(grid)
        return
    widths = [len(h) for h in headers]
    for row in rows:
        for i, cell in enumerate(row):
            if align_up_to is None or len(cell) <= align_up_to:
                widths[i] = max(widths[i], len(cell))
    if title:
        sys.stdout.write(title + "\n")
    sys.stdout.write("  ".join(h.ljust(widths[i]) for i, h in enumerate(headers)).rstrip() + "\n")
    for row in rows:
        sys.stdout.write("  ".join(c.ljust(widths[i]) for i, c in enumerate(row)).rstrip() + "\n")


def progress(items: Iterable[T], total: int | None = None, label: str = "") -> Iterator[T]:
    """A progress bar on a terminal (stderr); silent iteration otherwise."""
    if not sys.stderr.isatty():
        yield from items
        return
    from rich.progress import Progress

    with Progress(transient=True) as bar:
        task = bar.add_task(label, total=total)
        for item in items:
            yield item
            bar.advance(task)
