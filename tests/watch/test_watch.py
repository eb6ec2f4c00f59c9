"""`ao watch` driven by Textual's headless pilot, over real sample transcripts that are
being written now and a run directory written by the runs module."""

from __future__ import annotations

import asyncio
import os
from pathlib import Path

from textual.widgets import DataTable, Static

from agentops_os.sessions.service import ingest, open_ledger
from agentops_os.watch.app import WatchApp
from agentops_os.watch.snapshot import Snapshot, bar, take
from agentops_os.workflows.runs import RunDir
from conftest import run_ao


def live_repo(repo: Path) -> Path:
    assert run_ao("init", cwd=repo).returncode == 0
    home = Path(os.environ["HOME"])
    assert run_ao("sessions", "sample", "--home", str(home), cwd=repo).returncode == 0
    run = RunDir.open(repo, "rpi-watch-test")
    run.save({"kind": "rpi", "id": run.id, "goal": "make checkout idempotent", "status": "running",
              "phase": "plan"})
    return repo


def source(repo: Path, **kwargs: float) -> Snapshot:
    ledger = open_ledger(repo)
    try:
        ingest(ledger)
        return take(ledger, **kwargs)
    finally:
        ledger.close()


def test_the_view_shows_live_sessions_runs_and_gate(repo: Path) -> None:
    live_repo(repo)
    run_ao("gate", "run", "quick", cwd=repo)

    async def drive() -> tuple[list[list[str]], list[list[str]], str]:
        app = WatchApp(lambda: source(repo), interval=60)
        async with app.run_test(size=(160, 40)) as pilot:
            for _ in range(100):
                await pilot.pause(0.05)
                if app.snapshot is not None:
                    break
            sessions = app.query_one("#sessions", DataTable)
            runs = app.query_one("#runs", DataTable)
            rows = [[str(c) for c in sessions.get_row_at(i)] for i in range(sessions.row_count)]
            run_rows = [[str(c) for c in runs.get_row_at(i)] for i in range(runs.row_count)]
            gate = str(app.query_one("#gate", Static).render())
            await pilot.press("q")
        return rows, run_rows, gate

    rows, run_rows, gate = asyncio.run(drive())
    assert len(rows) == 4
    agents = {row[1] for row in rows}
    assert agents == {"claude-code", "codex"}
    assert all("%" in row[2] and "|" in row[2] for row in rows)  # context bars with the 40 % mark
    assert any(row[5] not in ("-", "") for row in rows)  # a last tool read from a transcript tail
    assert run_rows == [["rpi-watch-test", "rpi", "running", "phase plan: make checkout idempotent"]]
    assert "gate quick passed" in gate


def test_a_session_idle_for_longer_than_the_window_is_not_live(repo: Path) -> None:
    live_repo(repo)
    snap = source(repo, active_minutes=15.0)
    assert len(snap.sessions) == 4
    old = snap.taken + 3600  # an hour later, nothing has moved
    ledger = open_ledger(repo)
    try:
        assert take(ledger, active_minutes=15.0, now=old).sessions == []
    finally:
        ledger.close()


def test_bar_marks_the_40_percent_line() -> None:
    assert bar(0.5, width=10) == "████|█░░░░░  50%"
    assert bar(2.0, width=10).endswith("100%")


def test_once_prints_a_text_snapshot(repo: Path) -> None:
    live_repo(repo)
    proc = run_ao("watch", "--once", cwd=repo)
    assert proc.returncode == 0, proc.stderr
    assert "sessions active in the last minutes: 4" in proc.stdout and "rpi-watch-test" in proc.stdout
