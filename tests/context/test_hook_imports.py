"""The context hooks stay on the light path: no CLI framework, YAML, rich or TOML parser."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from agentops_os.context import sample

PROBE = """
import io, json, sys
sys.stdin = io.TextIOWrapper(io.BytesIO(sys.argv[2].encode()))
from agentops_os.hooks.entry import run_hook
out = io.StringIO(); real = sys.stdout; sys.stdout = out
run_hook([sys.argv[1]])
sys.stdout = real
heavy = sorted(m for m in ("click", "yaml", "frontmatter", "rich", "tomllib", "pydantic", "shutil")
               if m in sys.modules)
print(json.dumps({"heavy": heavy, "out": out.getvalue()}))
"""


def _probe(event: str, payload: dict, repo: Path) -> dict:
    proc = subprocess.run([sys.executable, "-c", PROBE, event, json.dumps(payload)], cwd=repo,
                          capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout.strip().splitlines()[-1])


def test_user_prompt_submit_imports_nothing_heavy(repo: Path, hermetic_env: Path) -> None:
    """The steady state: the first hook call after agentops.toml (or ao) changed builds
    the settings snapshot with the full loader; every later prompt reads it."""
    transcript = sample.write(sample.claude_path(hermetic_env, repo), str(repo), peak_tokens=90_000)
    payload = {"session_id": sample.SESSION_ID, "transcript_path": str(transcript),
               "cwd": str(repo), "hook_event_name": "UserPromptSubmit", "prompt": "go on"}
    _probe("user-prompt-submit", payload, repo)
    got = _probe("user-prompt-submit", payload, repo)
    assert got["heavy"] == []
    assert "additionalContext" in got["out"]


def test_session_start_imports_no_cli_yaml_or_rich(repo: Path) -> None:
    (repo / ".agents").mkdir()
    (repo / ".agents" / "CONSTITUTION.md").write_text("# C\n\n## Laws\n\n- Law 1\n")
    got = _probe("session-start", {"session_id": "s1", "transcript_path": str(repo / "t.jsonl"),
                                   "cwd": str(repo), "hook_event_name": "SessionStart",
                                   "source": "startup"}, repo)
    # The foundation's session-event recorder brings tomllib (load_config) and shutil
    # (store.atomic -> tempfile); the prime packet itself needs neither.
    assert not set(got["heavy"]) - {"tomllib", "shutil"}
    assert "Law 1" in got["out"]
