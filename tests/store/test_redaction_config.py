"""`[redaction] extra_patterns`: a bad regex stops every command with file and line, is
reported by `ao doctor`, and never silently stops the audit ledger."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from agentops_os.config import load_config
from agentops_os.errors import FatalError
from conftest import run_ao

BAD = '[redaction]\nextra_patterns = [\n  "ok-[0-9]+",\n  "(unclosed",\n]\n'


@pytest.mark.parametrize(("text", "line", "what"), [
    (BAD, 4, "'(unclosed' is not a valid regex"),
    ('[redaction]\nextra_patterns = ["a*"]\n', 2, "matches the empty string"),
    ('[redaction]\nextra_patterns = ["[z-a]"]\n', 2, "bad character range"),
])
def test_a_bad_pattern_is_a_config_error_naming_file_and_line(repo: Path, text: str, line: int,
                                                              what: str) -> None:
    (repo / "agentops.toml").write_text(text)
    with pytest.raises(FatalError) as caught:
        load_config(repo)
    assert f"agentops.toml:{line}: redaction.extra_patterns[" in str(caught.value)
    assert what in str(caught.value)


def test_commands_exit_2_and_doctor_reports_it(repo: Path) -> None:
    (repo / "agentops.toml").write_text(BAD)
    shown = run_ao("config", "show", cwd=repo)
    assert shown.returncode == 2
    assert "agentops.toml:4: redaction.extra_patterns[1]" in shown.stderr and "Traceback" not in shown.stderr
    doctor = run_ao("doctor", "--json", cwd=repo)
    assert doctor.returncode == 1
    config = next(c for c in json.loads(doctor.stdout)["checks"] if c["name"] == "config")
    assert not config["ok"] and "extra_patterns[1]" in config["detail"]


def test_valid_patterns_load(repo: Path) -> None:
    (repo / "agentops.toml").write_text('[redaction]\nextra_patterns = ["ACME-[0-9]{6}"]\n')
    assert load_config(repo).get("redaction.extra_patterns") == ["ACME-[0-9]{6}"]


def test_a_guard_denial_is_still_audited_with_a_bad_pattern(repo: Path) -> None:
    """The hook path: the record is written (built-in rules plus the valid patterns), the
    bad pattern is named; the denial itself is never lost."""
    from agentops_os.audit.record import record_guard

    class Verdict:
        decision, rule, reason = "deny", "rm-root", "recursive delete of your home"

    token = "ghp_" + "Zx8q" * 9
    settings = {"audit": {}, "redaction": {"extra_patterns": ["(unclosed", "ACME-[0-9]{6}"]}}
    record_guard(repo, "Bash", {"command": f"rm -rf ~ # ACME-123456 {token}"}, Verdict(), "s1", settings)
    chains = list((repo / ".agents" / "audit").glob("*.jsonl"))
    assert len(chains) == 1
    record = json.loads(chains[0].read_text().splitlines()[-1])
    assert record["kind"] == "guard.deny" and record["rule"] == "rm-root"
    assert "ACME-123456" not in record["subject"] and token not in record["subject"]
