"""Hook events with Claude Code's exact payload shapes, and `ao context status`."""

from __future__ import annotations

import json
from pathlib import Path

from agentops_os.context import sample
from agentops_os.context.live import session_usage, tail_usage
from agentops_os.hooks.protocol import MAX_ADDITIONAL_CONTEXT_CHARS
from conftest import run_ao


def _transcript(home: Path, repo: Path, peak: int = 90_000) -> Path:
    return sample.write(sample.claude_path(home, repo), str(repo.resolve()), peak_tokens=peak)


def _hook(event: str, payload: dict, repo: Path):  # type: ignore[no-untyped-def]
    proc = run_ao("hook", event, cwd=repo, input=json.dumps(payload))
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout) if proc.stdout.strip() else None


def _payload(repo: Path, transcript: Path, name: str, **extra: str) -> dict:
    return {"session_id": sample.SESSION_ID, "transcript_path": str(transcript),
            "cwd": str(repo), "hook_event_name": name, **extra}


def test_usage_current_and_peak(repo: Path, hermetic_env: Path) -> None:
    path = _transcript(hermetic_env, repo, peak=90_000)
    usage = session_usage(path)
    assert usage is not None and usage.tokens == 90_000 and usage.peak == 90_000
    assert usage.requests == 6
    tail = tail_usage(path, 4096)
    assert tail is not None and tail.tokens == 90_000 and tail.model == sample.MODEL


def test_tail_ignores_sidechain_and_cut_lines(tmp_path: Path) -> None:
    path = tmp_path / "t.jsonl"
    main = {"type": "assistant", "isSidechain": False, "message": {
        "model": "claude-opus-4-1", "usage": {"input_tokens": 10, "cache_read_input_tokens": 50_000,
                                              "cache_creation_input_tokens": 5}}}
    side = {"type": "assistant", "isSidechain": True, "message": {
        "model": "claude-haiku-4-5", "usage": {"input_tokens": 1, "cache_read_input_tokens": 3}}}
    filler = {"type": "user", "message": {"role": "user", "content": "x" * 5000}}
    path.write_text("\n".join(json.dumps(r) for r in (main, filler, side)) + "\n")
    found = tail_usage(path, 100_000)
    assert found is not None and found.tokens == 50_015
    assert tail_usage(path, 200, max_bytes=200) is None  # the main line is beyond the tail
    widened = tail_usage(path, 200)  # ... found once the tail is widened
    assert widened is not None and widened.tokens == 50_015


def test_status_command(repo: Path, hermetic_env: Path) -> None:
    _transcript(hermetic_env, repo, peak=130_000)
    proc = run_ao("context", "status", "--json", cwd=repo)
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    assert data["current_tokens"] == 130_000 and data["peak_tokens"] == 130_000
    assert data["level"] == "stop" and data["window"] == 200_000
    by_id = run_ao("context", "status", "--session", sample.SESSION_ID, cwd=repo)
    assert by_id.returncode == 0 and "65.0%" in by_id.stdout


def test_status_unknown_session_is_clear(repo: Path) -> None:
    proc = run_ao("context", "status", "--session", "no-such-session", cwd=repo)
    assert proc.returncode == 2
    assert "no Claude Code transcript found for session no-such-session" in proc.stderr


def test_user_prompt_submit_notes(repo: Path, hermetic_env: Path) -> None:
    low = _transcript(hermetic_env, repo, peak=40_000)
    payload = _payload(repo, low, "UserPromptSubmit", prompt="continue please")
    assert _hook("user-prompt-submit", payload, repo) is None
    _transcript(hermetic_env, repo, peak=90_000)
    out = _hook("user-prompt-submit", payload, repo)
    note = out["hookSpecificOutput"]["additionalContext"]
    assert out["hookSpecificOutput"]["hookEventName"] == "UserPromptSubmit"
    assert "45%" in note and "ao handoff save" in note and "limit" not in note
    _transcript(hermetic_env, repo, peak=130_000)
    firm = _hook("user-prompt-submit", payload, repo)["hookSpecificOutput"]["additionalContext"]
    assert "65%" in firm and "past the 60% limit" in firm and "ao resume" in firm


def test_user_prompt_submit_missing_transcript_is_silent(repo: Path) -> None:
    payload = {"session_id": "s", "transcript_path": str(repo / "gone.jsonl"), "cwd": str(repo),
               "hook_event_name": "UserPromptSubmit", "prompt": "hi"}
    assert _hook("user-prompt-submit", payload, repo) is None


def test_session_start_returns_prime_packet(repo: Path, hermetic_env: Path) -> None:
    agents = repo / ".agents"
    (agents / "learnings").mkdir(parents=True)
    (agents / "CONSTITUTION.md").write_text("# Constitution\n\n## Laws\n\n- Law 1: extract learnings\n")
    for i in range(400):
        (agents / "learnings" / f"l{i:03d}.md").write_text(
            f"---\ntitle: main branch learning {i}\n---\nAlways rerun the main tests {i}. " + "pad " * 300)
    transcript = _transcript(hermetic_env, repo)
    for source in ("startup", "resume", "clear", "compact"):
        out = _hook("session-start", _payload(repo, transcript, "SessionStart", source=source), repo)
        spec = out["hookSpecificOutput"]
        assert spec["hookEventName"] == "SessionStart"
        text = spec["additionalContext"]
        assert len(text) <= MAX_ADDITIONAL_CONTEXT_CHARS
        assert "(source: .agents/CONSTITUTION.md)" in text and "Law 1" in text
        assert "Suggested next workflows" in text


def test_pre_compact_and_session_end_write_handoffs(repo: Path, hermetic_env: Path) -> None:
    transcript = _transcript(hermetic_env, repo)
    assert _hook("pre-compact", _payload(repo, transcript, "PreCompact", trigger="auto",
                                         custom_instructions=""), repo) is None
    assert _hook("session-end", _payload(repo, transcript, "SessionEnd", reason="logout"), repo) is None
    handoffs = sorted((repo / ".agents" / "handoffs").glob("*.md"))
    assert len(handoffs) == 2
    texts = [p.read_text() for p in handoffs]
    assert any("trigger: pre-compact-auto" in t for t in texts)
    assert any("trigger: session-end-logout" in t for t in texts)
    assert all("shop/orders.py" in t for t in texts)


def test_auto_handoff_can_be_switched_off(repo: Path, hermetic_env: Path) -> None:
    (repo / "agentops.toml").write_text("[context]\nhandoff_on_compact = false\n")
    transcript = _transcript(hermetic_env, repo)
    _hook("pre-compact", _payload(repo, transcript, "PreCompact", trigger="manual",
                                  custom_instructions="keep it short"), repo)
    assert not (repo / ".agents" / "handoffs").exists()
