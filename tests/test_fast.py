"""`ao prime` is answered before click is imported; everything else still goes to click."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from agentops_os.fast import _gate_args, _prime_args
from conftest import run_ao


@pytest.mark.parametrize(("args", "expected"), [
    (["fix it"], ("fix it", None, None, False)),
    (["fix it", "--json"], ("fix it", None, None, True)),
    (["--budget", "500", "fix it"], ("fix it", 500, None, False)),
    (["fix it", "--budget=500", "--model=claude-opus-4"], ("fix it", 500, "claude-opus-4", False)),
    (["fix it", "--model", "gpt-5", "--json"], ("fix it", None, "gpt-5", True)),
])
def test_plain_forms_are_parsed(args: list[str], expected: tuple[object, ...]) -> None:
    assert _prime_args(args) == expected


@pytest.mark.parametrize("args", [
    [], ["--help"], ["a", "b"], ["a", "--budget"], ["a", "--budget", "many"], ["a", "--jsn"], ["--", "a"],
    ["-h"],
])
def test_anything_else_is_left_to_click(args: list[str]) -> None:
    assert _prime_args(args) is None


def test_help_and_usage_errors_come_from_click(repo: Path) -> None:
    assert "Usage: ao prime [OPTIONS] TASK" in run_ao("prime", "--help", cwd=repo).stdout
    missing = run_ao("prime", cwd=repo)
    assert missing.returncode == 2 and "Missing argument 'TASK'" in missing.stderr
    typo = run_ao("prime", "task", "--budgte", "5", cwd=repo)
    assert typo.returncode == 2 and "No such option" in typo.stderr


def test_fast_path_gives_the_packet_without_click(repo: Path) -> None:
    assert run_ao("init", cwd=repo).returncode == 0
    probe = ("import sys; from agentops_os.entry import main; code = main(sys.argv[1:]); "
             "sys.stderr.write('click loaded: %s\\n' % ('click' in sys.modules)); raise SystemExit(code)")
    proc = subprocess.run([sys.executable, "-c", probe, "prime", "review the login flow", "--json"], cwd=repo,
                          capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert "click loaded: False" in proc.stderr
    packet = json.loads(proc.stdout)
    assert packet["task"] == "review the login flow" and packet["tokens"] <= packet["budget"]
    bad = run_ao("prime", "x", "--budget", "0", cwd=repo)
    assert bad.returncode == 2 and bad.stderr.startswith("ao: --budget must be between 1")


# -- ao gate run ---------------------------------------------------------------------------

GATES = """
[gates.checks.docs]
command = "grep -q shop README.md"
files = ["*.md"]
[gates.checks.broken]
command = "python -c 'import sys; print(\\"boom\\"); sys.exit(1)'"
files = ["src/**"]
[gates.sets]
quick = ["docs"]
ci = ["docs", "broken"]
"""


@pytest.mark.parametrize(("args", "expected"), [
    (["ci"], ("ci", False, None, None, False, False)),
    (["quick", "--changed"], ("quick", True, None, None, False, False)),
    (["ci", "-j", "3", "--no-cache"], ("ci", False, 3, None, True, False)),
    (["ci", "-j2", "--json"], ("ci", False, 2, None, False, True)),
    (["--jobs=4", "ci", "--junit", "out.xml", "--all"], ("ci", False, 4, "out.xml", False, False)),
])
def test_gate_run_plain_forms_are_parsed(args: list[str], expected: tuple[object, ...]) -> None:
    assert _gate_args(args) == expected


@pytest.mark.parametrize("args", [
    [], ["--help"], ["a", "b"], ["ci", "-j"], ["ci", "-j", "0"], ["ci", "--jobs", "x"], ["ci", "--chnged"],
    ["ci", "--junit"], ["ci", "--junit", "."],
])
def test_gate_run_anything_else_is_left_to_click(args: list[str]) -> None:
    assert _gate_args(args) is None


def _entry(repo: Path, *args: str) -> subprocess.CompletedProcess[str]:
    probe = ("import sys; from agentops_os.entry import main; code = main(sys.argv[1:]); "
             "sys.stderr.write('click loaded: %s\\n' % ('click' in sys.modules)); raise SystemExit(code)")
    return subprocess.run([sys.executable, "-c", probe, *args], cwd=repo, capture_output=True, text=True)


def _click(repo: Path, *args: str) -> subprocess.CompletedProcess[str]:
    probe = "import sys; from agentops_os.main import main; raise SystemExit(main(sys.argv[1:]))"
    return subprocess.run([sys.executable, "-c", probe, *args], cwd=repo, capture_output=True, text=True)


def test_gate_run_fast_path_matches_the_click_command(repo: Path) -> None:
    (repo / "agentops.toml").write_text(GATES)
    (repo / "README.md").write_text("# shop\n")
    (repo / "src").mkdir()
    (repo / "src" / "app.py").write_text("x = 1\n")
    fast = _entry(repo, "gate", "run", "ci", "--json", "--no-cache")
    assert "click loaded: False" in fast.stderr
    slow = _click(repo, "gate", "run", "ci", "--json", "--no-cache")
    assert fast.returncode == slow.returncode == 1

    def checks(proc: subprocess.CompletedProcess[str]) -> list[dict[str, object]]:
        return [{k: v for k, v in c.items() if k != "seconds"} for c in json.loads(proc.stdout)["checks"]]

    assert checks(fast) == checks(slow) and checks(fast)[1]["output"].strip() == "boom"
    assert fast.stderr.splitlines()[0] == slow.stderr.splitlines()[0] == "ao: gate 'ci' failed: broken"
    passed = _entry(repo, "gate", "run", "quick")
    assert passed.returncode == 0 and "gate 'quick' passed" in passed.stderr
    unknown = _entry(repo, "gate", "run", "nope")
    assert unknown.returncode == 2 and unknown.stderr.startswith("ao: unknown gate set 'nope'")
    typo = run_ao("gate", "run", "ci", "--chnged", cwd=repo)
    assert typo.returncode == 2 and "No such option" in typo.stderr
