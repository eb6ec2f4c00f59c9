"""The session ledger's entry points for commands: ingest, then answer from the index."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from agentops_os.config import load_config
from agentops_os.errors import FatalError
from agentops_os.index import open_index
from agentops_os.sessions.discovery import discover
from agentops_os.sessions.ingest import Ingestor, IngestReport, Wrap
from agentops_os.sessions.ledger import build_summaries, store_summaries
from agentops_os.sessions.pricing import Pricing, load_pricing
from agentops_os.sessions.usage import UsageFilter, refresh_rollup
from agentops_os.store import Store


@dataclass
class Ledger:
    root: Path
    config: Any
    index: Any
    store: Store
    pricing: Pricing

    def close(self) -> None:
        self.index.close()


def open_ledger(root: Path) -> Ledger:
    config = load_config(root)
    return Ledger(root, config, open_index(root), Store.open(root), load_pricing(config))


def default_filter(ledger: Ledger, **kwargs: Any) -> UsageFilter:
    values = {"cost_mode": ledger.config.get("usage.cost_mode", "auto"),
              "dedup": ledger.config.get("usage.dedup", "final")}
    values.update({k: v for k, v in kwargs.items() if v is not None})
    flt = UsageFilter(**values)
    flt.check()
    return flt


def ingest(ledger: Ledger, *, all_projects: bool = False, paths: list[Path] | None = None,
           wrap: Wrap | None = None) -> tuple[IngestReport, int]:
    """Read new transcript lines in scope; refresh the touched sessions' summaries.

    Returns the ingest report and how many summary files were written.
    """
    for path in paths or []:
        if not path.exists():
            raise FatalError(f"{path}: no such file or directory")
    root = ledger.root.resolve()
    workers = int(ledger.config.get("sessions.ingest_workers", 0))
    if workers < 0:
        raise FatalError(ledger.config.located(
            "sessions.ingest_workers",
            f"'sessions.ingest_workers' must be 0 (one per CPU) or more, got {workers}"))
    files = discover(root, all_projects=all_projects, paths=paths)
    ingestor = Ingestor(ledger.index, root,
                        idle_gap=float(ledger.config.get("sessions.idle_gap_seconds", 300)),
                        all_projects=all_projects or bool(paths), workers=workers)
    report = ingestor.run(files, wrap)
    written = 0
    if report.sessions_updated:
        keys = report.sessions_updated
        # The usage rollup is SQL alone (SQLite lets other threads run meanwhile): it runs
        # on its own connection while the summaries are built here, a second core's work
        # after a big ingest. Summaries are only written once the rollup is in.
        with _rollup_alongside(ledger.index, keys):
            built = build_summaries(ledger.index.conn, keys, root=root, config=ledger.config,
                                    pricing=ledger.pricing, flt=default_filter(ledger))
        written = store_summaries(ledger.index, ledger.store, built)
    return report, written


@contextmanager
def _rollup_alongside(index: Any, keys: list[str]) -> Iterator[None]:
    failure: list[BaseException] = []

    def rollup() -> None:
        try:
            conn = index.connect_again()
            try:
                with conn:
                    refresh_rollup(conn, keys)
            finally:
                conn.close()
        except BaseException as error:  # re-raised in the caller's thread
            failure.append(error)

    worker = threading.Thread(target=rollup, name="ao-usage-rollup")
    worker.start()
    try:
        yield
    finally:
        worker.join()
    if failure:
        raise failure[0]
