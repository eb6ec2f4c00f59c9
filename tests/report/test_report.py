"""`ao report` on a repo with recorded friction, opened in headless Chromium: the page is
self-contained, loads without script errors, and every chart renders."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import run_ao

CHARTS = ("tokens", "context", "outcomes", "gates", "guard", "learnings", "routing", "phases")


@pytest.fixture
def recorded(repo: Path) -> Path:
    assert run_ao("init", cwd=repo).returncode == 0
    assert run_ao("sessions", "sample", "--home", "agent-home", cwd=repo).returncode == 0
    assert run_ao("sessions", "ingest", "--path", "agent-home", cwd=repo).returncode == 0
    payload = {"session_id": "s-1", "cwd": str(repo), "hook_event_name": "PreToolUse", "tool_name": "Bash",
               "tool_input": {"command": "rm -rf /"}}
    for _ in range(2):
        run_ao("hook", "pre-tool-use", cwd=repo, input=json.dumps(payload))
    added = run_ao("learn", "add", "Retry flaky network tests with backoff", "--json", cwd=repo)
    assert run_ao("feedback", json.loads(added.stdout)["id"], "helpful", cwd=repo).returncode == 0
    routed = run_ao("route", "feedback", "review the checkout diff", "--agent", "reviewer", cwd=repo)
    assert routed.returncode == 0, routed.stderr
    run_ao("gate", "run", "quick", cwd=repo)
    return repo


def test_the_numbers_are_the_ledgers(recorded: Path) -> None:
    from agentops_os.report.data import gather
    from agentops_os.sessions.service import open_ledger

    ledger = open_ledger(recorded)
    try:
        data = gather(ledger)
    finally:
        ledger.close()
    usage = json.loads(run_ao("usage", "daily", "--json", "--no-ingest", cwd=recorded).stdout)["totals"]
    assert sum(sum(v) for v in data.tokens_by_model.values()) == usage["total_tokens"]
    assert sum(data.cost_by_day) == pytest.approx(usage["cost_usd"], abs=1e-5)
    assert data.sessions == 4 and len(data.utilisation) == 4
    assert data.guard == {("rm-root", "deny"): 2}
    assert data.learnings_created == [1] and data.learnings_by_status == {"active": 1}
    assert data.learning_votes == {"helpful": 1, "harmful": 0}
    assert data.routing == {("reviewer", "success"): 1}
    assert len(data.gate_weeks) == 1 and data.gate_pass_rate == [100.0]


def test_the_page_renders_every_chart_in_headless_chromium(recorded: Path, tmp_path: Path) -> None:
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    assert browser, "the report test needs Chromium (`apt-get install chromium`; .ci/run installs it)"
    proc = run_ao("report", "--no-ingest", "--html", "out/report.html", cwd=recorded)
    assert proc.returncode == 0 and "wrote out/report.html (4 session(s)" in proc.stderr, proc.stderr
    page = recorded / "out" / "report.html"
    text = page.read_text()
    assert not re.search(r"<script[^>]+src=|<link[^>]+href=\"?https?:", text)  # nothing from a CDN
    shot = tmp_path / "report.png"
    common = [browser, "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
              "--virtual-time-budget=15000", "--window-size=1280,3200"]
    dom = subprocess.run([*common, "--dump-dom", page.as_uri()], capture_output=True, text=True,
                         timeout=120).stdout
    subprocess.run([*common, f"--screenshot={shot}", page.as_uri()], capture_output=True, timeout=120)
    errors = re.search(r'<pre id="ao-errors">(.*?)</pre>', dom, re.S)
    assert errors is not None and errors.group(1).strip() == ""
    for name in CHARTS:
        chart = re.search(rf'<section class="chart" id="chart-{name}">(.*?)</section>', dom, re.S)
        assert chart is not None and 'class="main-svg"' in chart.group(1), name
    assert "rm-root" in dom and "claude-sonnet-4-5" in dom
    assert shot.exists() and shot.stat().st_size > 10_000
    print(f"screenshot: {shot}")
