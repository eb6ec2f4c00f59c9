"""Gates: parallel runs, caching by content, missing commands, config errors, JUnit, hooks."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from agentops_os.config import load_config
from agentops_os.errors import FatalError
from agentops_os.gates.config import load_gates
from agentops_os.gates.runner import run_gate

CONFIG = """
[gates.checks.docs]
command = "echo run >> {log}; grep -q shop README.md"
files = ["*.md"]
[gates.checks.code]
command = "echo run >> {log}; python -c 'import sys; sys.exit(0)'"
files = ["src/**"]
[gates.checks.missing]
command = "definitely-not-installed-tool --flag"
[gates.sets]
quick = ["docs", "code"]
ci = ["docs", "code", "missing"]
"""


def setup(repo: Path) -> Path:
    log = repo.parent / "runs.log"
    (repo / "agentops.toml").write_text(CONFIG.replace("{log}", str(log)))
    (repo / "README.md").write_text("# shop\n")
    (repo / "src").mkdir()
    (repo / "src" / "app.py").write_text("x = 1\n")
    return log


def runs(log: Path) -> int:
    return len(log.read_text().splitlines()) if log.exists() else 0


def gates(repo: Path):  # type: ignore[no-untyped-def]
    return load_gates(load_config(repo))


def test_cache_reuses_verdict_until_covered_files_change(repo: Path) -> None:
    log = setup(repo)
    first = run_gate(repo, gates(repo), "quick")
    assert first.passed and runs(log) == 2 and not any(c.cached for c in first.checks)
    second = run_gate(repo, gates(repo), "quick")
    assert all(c.cached for c in second.checks) and runs(log) == 2
    (repo / "src" / "app.py").write_text("x = 2\n")
    third = run_gate(repo, gates(repo), "quick")
    assert {c.name: c.cached for c in third.checks} == {"docs": True, "code": False}
    forced = run_gate(repo, gates(repo), "quick", use_cache=False)
    assert not any(c.cached for c in forced.checks)


def test_failing_verdict_is_cached_and_reported(repo: Path) -> None:
    setup(repo)
    (repo / "README.md").write_text("# other\n")
    assert not run_gate(repo, gates(repo), "quick").passed
    again = run_gate(repo, gates(repo), "quick")
    docs = next(c for c in again.checks if c.name == "docs")
    assert docs.status == "fail" and docs.cached


def test_missing_command_fails_alone(repo: Path) -> None:
    setup(repo)
    result = run_gate(repo, gates(repo), "ci", jobs=3)
    status = {c.name: (c.status, c.reason) for c in result.checks}
    assert status["missing"] == ("fail", "command not found: definitely-not-installed-tool")
    assert status["docs"][0] == "pass" and status["code"][0] == "pass"
    again = run_gate(repo, gates(repo), "ci")
    assert not next(c for c in again.checks if c.name == "missing").cached


def test_changed_skips_checks_without_changed_files(repo: Path) -> None:
    setup(repo)
    subprocess.run(["git", "add", "-A"], cwd=repo, check=True)
    subprocess.run(["git", "commit", "-qm", "x"], cwd=repo, check=True)
    (repo / "src" / "app.py").write_text("x = 3\n")
    result = run_gate(repo, gates(repo), "quick", changed=True)
    assert {c.name: c.status for c in result.checks} == {"docs": "skip", "code": "pass"}


def test_parallel_checks_run_at_the_same_time(repo: Path) -> None:
    # A rendezvous: each check announces itself and waits for the other. Run one after
    # the other, the first would wait until its timeout and fail.
    wait = ("touch {me}; i=0; while [ ! -e {other} ] && [ $i -lt 100 ]; do sleep 0.05; i=$((i+1)); done;"
            " test -e {other}")
    check_a = wait.format(me="a.up", other="b.up")
    check_b = wait.format(me="b.up", other="a.up")
    (repo / "agentops.toml").write_text(
        f'[gates.checks.a]\ncommand = "{check_a}"\n[gates.checks.b]\ncommand = "{check_b}"\n'
        '[gates.sets]\nquick = ["a", "b"]\n')
    result = run_gate(repo, gates(repo), "quick", jobs=2, use_cache=False)
    assert result.passed, [c.to_dict() for c in result.checks]
    serial = run_gate(repo, gates(repo), "quick", jobs=1, use_cache=False)
    assert serial.passed  # the marker files already exist now, so this only shows -j 1 works


def test_timeout_fails_the_check(repo: Path) -> None:
    (repo / "agentops.toml").write_text(
        '[gates.checks.slow]\ncommand = "sleep 5"\ntimeout = 0.3\n[gates.sets]\nquick = ["slow"]\n')
    check = run_gate(repo, gates(repo), "quick").checks[0]
    assert check.status == "fail" and "timed out" in check.reason


@pytest.mark.parametrize("body,message", [
    ('[gates.checks.x]\nfiles = ["*"]\n', "command"),
    ('[gates.checks.x]\ncommand = "true"\nbogus = 1\n', "unknown key 'bogus'"),
    ('[gates.sets]\nquick = ["nope"]\n', "unknown check 'nope'"),
    ('[gates.checks.x]\ncommand = "true"\ntimeout = -1\n', "timeout"),
])
def test_bad_config(repo: Path, body: str, message: str) -> None:
    (repo / "agentops.toml").write_text(body)
    with pytest.raises(FatalError, match=message):
        gates(repo)


def ao(repo: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "agentops_os", *args], cwd=repo, capture_output=True,
                          text=True)


def test_cli_run_json_junit_and_ledger(repo: Path) -> None:
    setup(repo)
    proc = ao(repo, "gate", "run", "ci", "--json", "--junit", "report.xml")
    assert proc.returncode == 1
    data = json.loads(proc.stdout)
    assert data["passed"] is False and len(data["checks"]) == 3
    assert "<failure" in (repo / "report.xml").read_text()
    log = ao(repo, "audit", "log", "--kind", "gate", "--json")
    assert json.loads(log.stdout)["records"][0]["passed"] is False
    assert ao(repo, "gate", "run", "nope").returncode == 2


def test_install_wires_git_hooks(repo: Path) -> None:
    setup(repo)
    hooks = repo / ".git" / "hooks"
    hooks.mkdir(exist_ok=True)
    (hooks / "pre-commit").write_text("#!/bin/sh\necho mine\n")
    (hooks / "pre-commit").chmod(0o755)
    assert ao(repo, "gate", "install").returncode == 0
    assert "ao gate run quick --changed" in (hooks / "pre-commit").read_text()
    assert "ao gate run ci" in (hooks / "pre-push").read_text()
    assert (hooks / "pre-commit.local").read_text() == "#!/bin/sh\necho mine\n"
    (repo / "README.md").write_text("# nothing here\n")
    subprocess.run(["git", "add", "README.md"], cwd=repo, check=True)
    commit = subprocess.run(["git", "commit", "-qm", "break docs"], cwd=repo, capture_output=True, text=True)
    assert commit.returncode != 0 and "mine" in commit.stdout + commit.stderr


def test_reverting_content_reuses_the_earlier_verdict(repo: Path) -> None:
    log = setup(repo)
    run_gate(repo, gates(repo), "quick")
    (repo / "src" / "app.py").write_text("x = 2\n")
    run_gate(repo, gates(repo), "quick")
    (repo / "src" / "app.py").write_text("x = 1\n")
    back = run_gate(repo, gates(repo), "quick")
    assert all(c.cached for c in back.checks) and runs(log) == 3


def test_failed_gate_verdict_names_the_commit_that_metrics_count_as_failed(repo: Path) -> None:
    from agentops_os.sessions.metrics import gate_failures
    from conftest import git, run_ao

    setup(repo)
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "shop")
    head = git(repo, "rev-parse", "HEAD").strip()
    assert gate_failures(repo / ".agents") == set()
    assert run_ao("gate", "run", "ci", cwd=repo).returncode == 1  # `missing` fails
    assert gate_failures(repo / ".agents") == {head}


def _reference_match(path: str, globs: tuple[str, ...]) -> bool:
    """The documented rule, one glob at a time (what `matcher` compiles into one regex)."""
    import fnmatch

    if not globs:
        return True
    name = path.rsplit("/", 1)[-1]
    return any(fnmatch.fnmatchcase(path, g) or ("/" not in g and fnmatch.fnmatchcase(name, g))
               or (g.endswith("/**") and path.startswith(g[:-2])) for g in globs)


_part = st.sampled_from(["src", "tests", "docs", "a.py", "b.md", "README.md", "x[1].txt", "sub", ".hidden"])
_glob = st.sampled_from(["*.md", "src/**", "tests/*.py", "*", "docs/**", "*.py", "src/*/a.py", "[ab].py",
                         "x[[]1].txt", "?.md", "sub/**/a.py", ".*"])


@given(st.lists(_part, min_size=1, max_size=4).map("/".join), st.lists(_glob, max_size=4).map(tuple))
def test_compiled_globs_match_like_one_glob_at_a_time(path: str, globs: tuple[str, ...]) -> None:
    from agentops_os.gates.files import matches

    assert matches(path, globs) == _reference_match(path, globs)
