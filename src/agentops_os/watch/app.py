"""The Textual app of `ao watch`: three panes refreshed every `interval` seconds. The
refresh (an incremental ingest, then a snapshot) runs in a worker thread, so the view
stays responsive while a large transcript is read."""

from __future__ import annotations

from collections.abc import Callable

from textual.app import App, ComposeResult
from textual.widgets import DataTable, Footer, Header, Static

from agentops_os.watch.snapshot import Snapshot, bar


class WatchApp(App[None]):
    TITLE = "ao watch"
    BINDINGS = [("q", "quit", "Quit"), ("r", "refresh", "Refresh now")]
    CSS = "DataTable { height: auto; max-height: 50%; } #gate { padding: 1 1; }"

    def __init__(self, source: Callable[[], Snapshot], interval: float = 2.0) -> None:
        super().__init__()
        self.source = source
        self.interval = interval
        self.snapshot: Snapshot | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        yield DataTable(id="sessions", cursor_type="row")
        yield DataTable(id="runs", cursor_type="row")
        yield Static("gate: ...", id="gate")
        yield Footer()

    def on_mount(self) -> None:
        sessions = self.query_one("#sessions", DataTable)
        sessions.add_columns("Session", "Agent", "Context", "Tokens", "Cost", "Last tool", "Title")
        self.query_one("#runs", DataTable).add_columns("Run", "Kind", "Status", "Progress")
        self.action_refresh()
        self.set_interval(self.interval, self.action_refresh)

    def action_refresh(self) -> None:
        self.run_worker(self._load, thread=True, exclusive=True, group="refresh")

    def _load(self) -> None:
        snap = self.source()
        self.call_from_thread(self.show, snap)

    def show(self, snap: Snapshot) -> None:
        self.snapshot = snap
        sessions = self.query_one("#sessions", DataTable)
        sessions.clear()
        for s in snap.sessions:
            sessions.add_row(s.session_id[:8], s.agent, bar(s.utilisation), f"{s.tokens:,}", f"${s.cost:.2f}",
                             s.last_tool or "-", s.title, key=s.key)
        runs = self.query_one("#runs", DataTable)
        runs.clear()
        for r in snap.runs:
            runs.add_row(r.id, r.kind, r.status, r.detail, key=r.id)
        self.query_one("#gate", Static).update(f"gate: {snap.gate}")
        self.sub_title = f"{len(snap.sessions)} active session(s), {len(snap.runs)} run(s)"
