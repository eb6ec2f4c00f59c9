"""The real `ao hook pre-tool-use` with Claude Code PreToolUse payloads."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path


def run_ao(*args: str, input: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "agentops_os", *args], input=input, cwd=cwd,
                          capture_output=True, text=True)


def payload(repo: Path, tool: str, tool_input: dict[str, object]) -> str:
    return json.dumps({"session_id": "abc", "transcript_path": str(repo / "none.jsonl"), "cwd": str(repo),
                       "hook_event_name": "PreToolUse", "tool_name": tool, "tool_input": tool_input})


def decision(proc_stdout: str) -> dict[str, str]:
    return json.loads(proc_stdout)["hookSpecificOutput"] if proc_stdout.strip() else {}


def test_denies_dangerous_bash(repo: Path) -> None:
    proc = run_ao("hook", "pre-tool-use", input=payload(repo, "Bash", {"command": "rm -rf ~"}), cwd=repo)
    assert proc.returncode == 0
    out = decision(proc.stdout)
    assert out["permissionDecision"] == "deny" and "rm-root" in out["permissionDecisionReason"]


def test_silent_on_benign_calls(repo: Path) -> None:
    proc = run_ao("hook", "pre-tool-use", input=payload(repo, "Bash", {"command": "pytest -q"}), cwd=repo)
    assert proc.returncode == 0 and proc.stdout.strip() == ""


def test_asks_on_unparseable(repo: Path) -> None:
    proc = run_ao("hook", "pre-tool-use", input=payload(repo, "Bash", {"command": "echo 'oops"}), cwd=repo)
    assert decision(proc.stdout)["permissionDecision"] == "ask"


def test_malformed_policy_denies(repo: Path) -> None:
    (repo / "agentops.toml").write_text("[guard]\nmax_deleted_files = 'many'\n")
    proc = run_ao("hook", "pre-tool-use", input=payload(repo, "Bash", {"command": "ls"}), cwd=repo)
    out = decision(proc.stdout)
    assert out["permissionDecision"] == "deny" and "agentops.toml" in out["permissionDecisionReason"]


def test_bad_stdin_denies(repo: Path) -> None:
    proc = run_ao("hook", "pre-tool-use", input="{not json", cwd=repo)
    assert decision(proc.stdout)["permissionDecision"] == "deny"


def test_policy_edit_is_seen_on_next_call(repo: Path) -> None:
    body = payload(repo, "Bash", {"command": "npm publish"})
    first = run_ao("hook", "pre-tool-use", input=body, cwd=repo)
    assert decision(first.stdout)["permissionDecision"] == "ask"
    (repo / "agentops.toml").write_text('[guard]\ndisabled_rules = ["publish"]\n')
    assert run_ao("hook", "pre-tool-use", input=body, cwd=repo).stdout.strip() == ""


PROBE = """
import io, sys
sys.stdin = io.TextIOWrapper(io.BytesIO(sys.argv[1].encode()))
from agentops_os.hooks.entry import run_hook
out = io.StringIO(); real = sys.stdout; sys.stdout = out
run_hook(["pre-tool-use"])
sys.stdout = real
heavy = ("pathlib", "typing", "re", "json", "hashlib", "click", "yaml", "tomllib", "sqlite3")
print(",".join(m for m in heavy if m in sys.modules) + "|" + out.getvalue())
"""


def test_a_denial_is_recorded_without_heavy_imports(repo: Path) -> None:
    """The deny path writes a redacted, hash-chained audit record; it must stay within the
    hook latency budget, so what it imports is pinned here (timings live in bench/guard).
    The first call reads agentops.toml and caches the hook settings; the second is the
    steady state."""
    for _ in range(2):
        proc = subprocess.run([sys.executable, "-c", PROBE, payload(repo, "Bash", {"command": "rm -rf ~"})],
                              cwd=repo, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    heavy, _, out = proc.stdout.partition("|")
    assert "rm-root" in out
    assert set(filter(None, heavy.strip().split(","))) <= {"re"}  # the redaction of the audit record
    from agentops_os.audit.verify import verify

    chain = next((repo / ".agents" / "audit").glob("*.jsonl")).read_text()
    assert '"kind":"guard.deny"' in chain and '"subject":"rm -rf ~"' in chain
    assert verify(repo)["ok"]


PARSER_PROBE = """
import io, sys
sys.stdin = io.TextIOWrapper(io.BytesIO(sys.argv[1].encode()))
from agentops_os.hooks.entry import run_hook
out = io.StringIO(); real = sys.stdout; sys.stdout = out
run_hook(["pre-tool-use"])
sys.stdout = real
print("tree_sitter._binding" in sys.modules, out.getvalue().strip() != "")
"""


def test_the_second_parser_reads_only_lines_it_could_read_differently(repo: Path) -> None:
    """Plain words joined by `&&`, `||`, `|`, `;` split alike in both parsers; a lone `&`,
    `|&`, quotes or `$` still get tree-sitter-bash's reading."""
    def probe(command: str) -> str:
        body = payload(repo, "Bash", {"command": command})
        return subprocess.run([sys.executable, "-c", PARSER_PROBE, body], cwd=repo, capture_output=True,
                              text=True, check=True).stdout.strip()

    for plain in ("pytest -q && git status", "make lint || make fix; git diff | head -5"):
        assert probe(plain) == "False False", plain
    for special in ("sleep 1 & git status", "make |& tee log", "echo \"$HOME\" && ls"):
        assert probe(special).startswith("True"), special
