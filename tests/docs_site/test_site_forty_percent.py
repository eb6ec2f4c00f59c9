"""The 40 % rule page: every figure it quotes is produced, in this test, by `ao metrics`
and `ao sessions show` on the bundled sample sessions, and compared.

The figures table names, per row, the command and the `--json` field the figure comes
from. Percentages in the prose must be either one of those figures or a threshold that
`ao config show` reports (40 %, 60 %, ...), so no number on the page goes unchecked.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

from docs_site_helpers import SITE, fresh_repo, run_page

PAGE = SITE / "forty-percent-rule.md"
_ROW = re.compile(r"^\|\s*(?P<what>[^|]+?)\s*\|\s*(?P<value>[^|]+?)\s*\|\s*"
                  r"`ao (?P<command>metrics|sessions show [0-9a-f]+) --json`\s*`(?P<field>[\w.-]+)`\s*\|\s*$",
                  re.MULTILINE)
_PERCENT = re.compile(r"(?<![\w.])(\d+(?:\.\d+)?)\s?%")


def ao_json(repo: Path, *args: str) -> Any:
    proc = subprocess.run([sys.executable, "-m", "agentops_os", *args, "--json"], cwd=repo,
                          capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


def field(data: Any, dotted: str) -> Any:
    for key in dotted.split("."):
        data = data[key]
    return data


def matches(shown: str, value: float) -> bool:
    """Does the page's SHOWN figure ("75 %", "2,597,396", "7") state VALUE?"""
    if shown.endswith("%"):
        return abs(float(value) * 100 - float(shown[:-1].strip())) <= 0.5  # shown rounded to whole %
    return float(shown.replace(",", "")) == float(value)


def figures() -> list[re.Match[str]]:
    return list(_ROW.finditer(PAGE.read_text(encoding="utf-8")))


def test_figures_come_from_ao_metrics_on_the_sample(tmp_path: Path) -> None:
    repo = fresh_repo(tmp_path)
    run_page(PAGE, repo)  # ingests the sample sessions, and checks the console blocks
    rows = figures()
    assert len(rows) >= 10, "the figures table is missing or unparsable"
    sources: dict[str, Any] = {}
    for row in rows:
        command = row["command"]
        if command not in sources:
            sources[command] = ao_json(repo, *command.split())
        value = field(sources[command], row["field"])
        assert matches(row["value"], value), (
            f"{row['what']!r}: the page says {row['value']}, `ao {command} --json` {row['field']} = {value}")
    assert {"metrics"} < set(sources), "the table should quote ao metrics and at least one session"

    # The prose draws two conclusions from the table; check them too.
    sessions = {s["session_id"][:8]: s for s in ao_json(repo, "sessions", "list")["sessions"]}
    assert len(sessions) == 4
    peaks = {sid: ao_json(repo, "sessions", "show", sid) for sid in sessions}
    collapsed = [sid for sid, s in peaks.items() if s["peak_utilisation"] > 0.8 or s["compactions"]]
    assert collapsed == ["cdc39412"]
    assert all(s["peak_utilisation"] < 0.4 for sid, s in peaks.items() if sid != "cdc39412")
    others = sum(s["tokens"]["total"] for sid, s in peaks.items() if sid != "cdc39412")
    assert peaks["cdc39412"]["tokens"]["total"] > others


def test_no_unchecked_percentages() -> None:
    text = PAGE.read_text(encoding="utf-8")
    prose = re.sub(r"^```.*?^```", "", text, flags=re.MULTILINE | re.DOTALL)
    prose = _ROW.sub("", prose)
    config = json.loads(subprocess.run([sys.executable, "-m", "agentops_os", "config", "show", "--json"],
                                       capture_output=True, text=True, check=True).stdout)["values"]
    thresholds = {config["context"][k] for k in ("budget_fraction", "warn_fraction", "stop_fraction",
                                                  "prime_fraction")}
    thresholds |= {config["metrics"]["collapse_fraction"], config["runtimes"]["context_limit"]}
    allowed = {round(t * 100) for t in thresholds} | {0, 100}
    assert 40 in allowed
    stray = sorted({m.group(0) for m in _PERCENT.finditer(prose) if float(m.group(1)) not in allowed})
    assert not stray, f"percentages on {PAGE.name} that no test checks: {stray}"
