"""SessionStart serves its packet from a cache keyed by file facts (context.prime_cache):
the warm path stays off the heavy imports, and every input change rebuilds the packet.
UserPromptSubmit reads the transcript tail with the light reader (context.tail)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from agentops_os.context import sample
from agentops_os.context.prime_cache import CACHE_FILE
from agentops_os.context.tail import last_usage
from agentops_os.jsonscan import canonical, dumps, loads_or_none
from conftest import git, run_ao

HEAVY = ("pathlib", "dataclasses", "re", "sqlite3", "yaml", "click", "json", "typing", "tomllib")

PROBE = """
import io, sys
sys.stdin = io.TextIOWrapper(io.BytesIO(sys.argv[2].encode()))
from agentops_os.hooks.entry import run_hook
out = io.StringIO(); real = sys.stdout; sys.stdout = out
run_hook([sys.argv[1]])
sys.stdout = real
loaded = sorted(m for m in sys.argv[3].split(",") if m in sys.modules)
sys.stdout.write(repr(loaded) + "\\n" + out.getvalue())
"""


def _probe(event: str, payload: dict, repo: Path) -> tuple[list[str], dict | None]:
    """Run one hook in a fresh interpreter: (heavy modules it loaded, its answer)."""
    proc = subprocess.run([sys.executable, "-c", PROBE, event, json.dumps(payload), ",".join(HEAVY)],
                          cwd=repo, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    loaded, _, out = proc.stdout.partition("\n")
    return eval(loaded), (json.loads(out) if out.strip() else None)  # noqa: S307 - our own repr


def _start(repo: Path) -> str | None:
    payload = {"session_id": "s1", "transcript_path": str(repo / "t.jsonl"), "cwd": str(repo),
               "hook_event_name": "SessionStart", "source": "startup"}
    proc = run_ao("hook", "session-start", cwd=repo, input=json.dumps(payload))
    assert proc.returncode == 0, proc.stderr
    if not proc.stdout.strip():
        return None
    return str(json.loads(proc.stdout)["hookSpecificOutput"]["additionalContext"])


def _setup(repo: Path) -> Path:
    agents = repo / ".agents"
    (agents / "learnings").mkdir(parents=True)
    (agents / "handoffs").mkdir()
    (agents / "CONSTITUTION.md").write_text("# Constitution\n\n## Laws\n\n- Law 1: extract learnings\n")
    (agents / "learnings" / "a.md").write_text("---\ntitle: main branch rounding\n---\nRound on main once.\n")
    return agents


def _replace(path: Path, text: str) -> None:
    """Write like Store does: a temp file renamed over the target."""
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(text)
    os.replace(tmp, path)


def test_warm_session_start_imports_nothing_heavy(repo: Path) -> None:
    _setup(repo)
    payload = {"session_id": "s1", "transcript_path": str(repo / "t.jsonl"), "cwd": str(repo),
               "hook_event_name": "SessionStart", "source": "startup"}
    cold_loaded, cold = _probe("session-start", payload, repo)
    assert "sqlite3" in cold_loaded  # the first start builds the packet from the index
    assert (repo / ".agents" / ".index" / CACHE_FILE).is_file()
    warm_loaded, warm = _probe("session-start", payload, repo)
    assert warm_loaded == []
    assert warm == cold and cold is not None
    assert "Law 1" in warm["hookSpecificOutput"]["additionalContext"]


def test_cache_follows_learnings_handoffs_constitution_and_branch(repo: Path) -> None:
    agents = _setup(repo)
    first = _start(repo)
    assert first is not None and "Law 1" in first and "main branch rounding" in first
    assert _start(repo) == first  # served from the cache

    _replace(agents / "learnings" / "b.md", "---\ntitle: main branch totals in cents\n---\nCents.\n")
    learned = _start(repo)
    assert learned is not None and "main branch totals in cents" in learned

    _replace(agents / "handoffs" / "h.md", "---\ntitle: Finish the cents migration\nbranch: main\n"
             "created: 2026-01-01T00:00:00Z\n---\n## Goal\nFinish the cents migration\n")
    handed = _start(repo)
    assert handed is not None and "Latest handoff on main: Finish the cents migration" in handed

    (agents / "CONSTITUTION.md").write_text(
        "# Constitution\n\n## Laws\n\n- Law 1: extract learnings\n- Law 2: improve the system\n")
    ruled = _start(repo)
    assert ruled is not None and "Law 2" in ruled

    git(repo, "checkout", "-q", "-b", "feature-cents")
    moved = _start(repo)
    assert moved is not None and "Context packet: feature cents" in moved
    assert "Latest handoff on main" not in moved


def test_expired_or_garbled_cache_is_rebuilt(repo: Path) -> None:
    _setup(repo)
    first = _start(repo)
    cache = repo / ".agents" / ".index" / CACHE_FILE
    expires, rest = cache.read_text().split("\n", 1)
    cache.write_text("0.000\n" + rest.replace("Law 1", "Stale law"))
    assert _start(repo) == first
    cache.write_text("garbage")
    assert _start(repo) == first


def test_switched_off_is_cached_and_switched_back_on(repo: Path) -> None:
    _setup(repo)
    (repo / "agentops.toml").write_text("[context]\nprime_on_session_start = false\n")
    assert _start(repo) is None
    assert _start(repo) is None
    (repo / "agentops.toml").write_text("# all defaults\n")
    on = _start(repo)
    assert on is not None and "Law 1" in on


def _prompt(repo: Path, transcript: Path) -> tuple[list[str], str | None]:
    payload = {"session_id": sample.SESSION_ID, "transcript_path": str(transcript), "cwd": str(repo),
               "hook_event_name": "UserPromptSubmit", "prompt": "go on"}
    loaded, out = _probe("user-prompt-submit", payload, repo)
    return loaded, (out["hookSpecificOutput"]["additionalContext"] if out else None)


def test_user_prompt_submit_notes_at_exactly_40_and_60_percent(repo: Path, hermetic_env: Path) -> None:
    path = sample.claude_path(hermetic_env, repo)
    sample.write(path, str(repo), peak_tokens=79_998)  # 39.999% of 200k
    _prompt(repo, path)  # the first hook call builds the settings snapshot
    loaded, note = _prompt(repo, path)
    assert note is None
    assert loaded == []
    sample.write(path, str(repo), peak_tokens=80_000)
    loaded, note = _prompt(repo, path)
    assert note is not None and "40% of its 200k" in note and "past the 40% rule" in note
    assert loaded == []  # no pathlib/dataclasses/typing/re/json, also when answering
    sample.write(path, str(repo), peak_tokens=120_000)
    _, firm = _prompt(repo, path)
    assert firm is not None and "past the 60% limit" in firm and "ao resume" in firm


def test_user_prompt_submit_reads_the_config_once_per_edit(repo: Path, hermetic_env: Path) -> None:
    """The settings snapshot is built by the full loader on the first call after
    agentops.toml changes (any edit: it is keyed by the file's bytes) and read with `os`
    alone on every later prompt; an invalid file is logged and never cached."""
    path = sample.claude_path(hermetic_env, repo)
    sample.write(path, str(repo), peak_tokens=90_000)  # 45%
    (repo / "agentops.toml").write_text("# [context]\n# warn_fraction = 0.5\n[commit]\n"
                                        "required_parts = [\"context\"]\n")
    loaded, note = _prompt(repo, path)  # "context" as a value: the defaults stay
    assert note is not None and "45%" in note and "tomllib" in loaded
    loaded, note = _prompt(repo, path)
    assert note is not None and "45%" in note and loaded == []
    (repo / "agentops.toml").write_text("[context]\nwarn_fraction = 0.5\n")
    loaded, note = _prompt(repo, path)
    assert note is None and "tomllib" in loaded
    loaded, note = _prompt(repo, path)  # the resolved settings are cached ...
    assert note is None and loaded == []
    (repo / "agentops.toml").write_text("[context]\nwarn_fraction = 0.3\n")
    loaded, note = _prompt(repo, path)  # ... under the file's bytes: an edit is seen at once
    assert note is not None and "past the 30% rule" in note and "tomllib" in loaded
    (repo / "agentops.toml").write_text("[context]\nwarn_fraction = 'x'\n")
    _, note = _prompt(repo, path)  # invalid: logged by the hook entry, nothing cached
    assert note is None
    assert "warn_fraction" in (repo / ".agents" / ".index" / "hook-errors.log").read_text()
    loaded, _ = _prompt(repo, path)
    assert "tomllib" in loaded  # still invalid, still read: never served from a cache


def test_tail_reader_skips_garbled_and_non_utf8_lines(tmp_path: Path) -> None:
    path = tmp_path / "t.jsonl"
    good = {"type": "assistant", "message": {"model": "claude-opus-4-1",
                                             "usage": {"input_tokens": 7, "cache_read_input_tokens": 70}}}
    path.write_bytes(json.dumps(good).encode() + b'\n{"usage": \n' + b'{"usage": "\xff"}\n')
    assert last_usage(str(path)) == (77, "claude-opus-4-1", None)
    assert last_usage(str(tmp_path / "missing.jsonl")) is None


JSONS = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=20)


@given(JSONS)
def test_dumps_and_loads_match_json(value: object) -> None:
    text = dumps(value)
    assert text == json.dumps(value)
    assert loads_or_none(text) == json.loads(text)


@given(JSONS)
def test_canonical_matches_json_sorted_compact(value: object) -> None:
    """The audit ledger hashes this form; `ao audit verify` recomputes it with `json`."""
    assert canonical(value) == json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
