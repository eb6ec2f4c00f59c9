"""`ao report` counts what ao served: learnings retrieved per week and per learning, and
`ao route` decisions per agent with abstentions, from the records of knowledge/retrievals.py."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from agentops_os.knowledge import retrievals
from agentops_os.report.data import ABSTAINED, ReportData, _week
from agentops_os.store import Store
from conftest import run_ao


def gather(repo: Path, since: date | None = None) -> ReportData:
    from agentops_os.report.data import gather as collect
    from agentops_os.sessions.service import open_ledger

    ledger = open_ledger(repo)
    try:
        return collect(ledger, since=since)
    finally:
        ledger.close()


@pytest.fixture
def learned(repo: Path) -> tuple[Path, list[str]]:
    assert run_ao("init", cwd=repo).returncode == 0
    ids = []
    for title in ("Retry flaky network tests with backoff", "Pin the redis image in CI"):
        ids.append(json.loads(run_ao("learn", "add", title, "--json", cwd=repo).stdout)["id"])
    return repo, ids


def append(repo: Path, kind: str, writer: str, records: list[dict[str, Any]]) -> None:
    store = Store(repo)
    for record in records:
        store.append(kind, writer, record)


def test_retrievals_per_week_and_per_learning(learned: tuple[Path, list[str]]) -> None:
    repo, (first, second) = learned
    assert run_ao("feedback", first, "helpful", cwd=repo).returncode == 0
    # Two writers (two people): each has its own file; the report reads them all.
    append(repo, retrievals.RETRIEVALS, "ann@a-2026-11", [
        {"at": "2026-11-02T09:00:00Z", "by": "prime", "ids": [first, second]},
        {"at": "2026-11-03T09:00:00Z", "by": "search", "ids": [first]}])
    append(repo, retrievals.RETRIEVALS, "bob@b-2026-11", [
        {"at": "2026-11-10T09:00:00Z", "by": "mcp", "ids": [first, "l-gone000000"]}])
    data = gather(repo)
    this_week = _week(time_now())
    assert data.learning_weeks == sorted({"2026-W45", "2026-W46", this_week})
    by_week = dict(zip(data.learning_weeks, data.learnings_retrieved, strict=True))
    assert (by_week["2026-W45"], by_week["2026-W46"]) == (3, 2)
    assert dict(zip(data.learning_weeks, data.learnings_created, strict=True))[this_week] == 2
    assert data.retrievals_by == {"prime": 2, "search": 1, "mcp": 2}
    top = [(row["id"], row["retrieved"], row["by"], row["helpful"]) for row in data.top_learnings]
    ties = sorted([("l-gone000000", 1, {"mcp": 1}, 0), (second, 1, {"prime": 1}, 0)])  # by id
    assert top == [(first, 3, {"mcp": 1, "prime": 1, "search": 1}, 1), *ties]
    assert {row["id"]: row["status"] for row in data.top_learnings}["l-gone000000"] == "gone"
    later = gather(repo, since=date(2026, 11, 9))  # --since applies to the records' times
    assert sum(later.learnings_retrieved) == 2 and later.retrievals_by == {"mcp": 2}


def test_route_decisions_per_agent_with_abstentions(learned: tuple[Path, list[str]]) -> None:
    repo, _ = learned
    def decision(minute: int, by: str, agent: str | None, confidence: float) -> dict[str, Any]:
        return {"at": f"2026-11-02T09:0{minute}:00Z", "by": by, "agent": agent, "abstained": agent is None,
                "confidence": confidence}

    append(repo, retrievals.DECISIONS, "ann@a-2026-11", [
        decision(0, "route", "reviewer", 0.9), decision(1, "mcp", "reviewer", 0.7),
        decision(2, "route", None, 0.1)])
    path = repo / ".agents" / retrievals.DECISIONS / "ann@a-2026-11.jsonl"
    path.write_text(path.read_text() + "{torn\n")
    data = gather(repo)
    assert data.decisions == {"reviewer": 2, ABSTAINED: 1}
    assert data.decisions_by == {"route": 2, "mcp": 1}
    assert sorted(data.decision_confidence) == [0.1, 0.7, 0.9]
    assert any("ann@a-2026-11.jsonl:4" in note for note in data.notes)  # counted and named, not fatal
    assert data.routing == {}  # outcomes (ao route feedback) stay their own series


def test_the_page_draws_retrievals_and_decisions_in_headless_chromium(
        learned: tuple[Path, list[str]], tmp_path: Path) -> None:
    repo, (first, _) = learned
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    assert browser, "the report test needs Chromium (`apt-get install chromium`; .ci/run installs it)"
    assert run_ao("search", "flaky network", cwd=repo).returncode == 0
    assert run_ao("prime", "fix the flaky network tests", cwd=repo).returncode == 0
    assert run_ao("route", "review the diff of this branch", cwd=repo).returncode == 0
    assert run_ao("route", "what is the weather in Lisbon tomorrow", cwd=repo).returncode == 0
    feedback = run_ao("route", "feedback", "review the checkout diff", "--agent", "reviewer", cwd=repo)
    assert feedback.returncode == 0, feedback.stderr
    proc = run_ao("report", "--no-ingest", "--html", "report.html", cwd=repo)
    assert proc.returncode == 0, proc.stderr
    page = repo / "report.html"
    common = [browser, "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
              "--virtual-time-budget=15000", "--window-size=1280,3200"]
    dom = subprocess.run([*common, "--dump-dom", page.as_uri()], capture_output=True, text=True,
                         timeout=120).stdout
    errors = re.search(r'<pre id="ao-errors">(.*?)</pre>', dom, re.S)
    assert errors is not None and errors.group(1).strip() == ""
    learnings = re.search(r'<section class="chart" id="chart-learnings">(.*?)</section>', dom, re.S)
    assert learnings is not None and 'class="main-svg"' in learnings.group(1)
    assert re.search(r'class="legendtext"[^>]*>retrieved<', learnings.group(1))
    assert "Learnings created and retrieved per week" in learnings.group(1)
    routing = re.search(r'<section class="chart" id="chart-routing">(.*?)</section>', dom, re.S)
    assert routing is not None and 'class="main-svg"' in routing.group(1)
    assert "Routing: 2 decision(s), 1 abstained" in routing.group(1)
    assert re.search(r'class="legendtext"[^>]*>ao route decisions<', routing.group(1))
    assert ABSTAINED in routing.group(1) and "outcome: success" in routing.group(1)
    table = re.search(r'<section class="table" id="table-learnings">(.*?)</section>', dom, re.S)
    assert table is not None and f"<code>{first}</code>" in table.group(1)
    row = re.search(rf"<tr><td><code>{first}</code></td>(.*?)</tr>", table.group(1), re.S)
    assert row is not None and "<td>2</td>" in row.group(1) and "prime 1, search 1" in row.group(1)


def time_now() -> str:
    import time

    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
