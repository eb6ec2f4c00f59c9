from __future__ import annotations

import json
from pathlib import Path

from agentops_os.knowledge import extract
from agentops_os.knowledge.samples import claude_lines
from agentops_os.transcripts.read import read_events

SID = "11111111-2222-4333-8444-555555555555"


def _events(tmp_path: Path, turns: list[tuple]) -> list:
    path = tmp_path / f"{SID}.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in claude_lines(SID, "/w", turns)))
    return list(read_events(path))


def test_commit_template_sections_and_trailers() -> None:
    message = ("fix(api): timeouts\n\nContext: slow upstream.\nSolution: set timeouts.\n"
               "Learning: always pass a timeout to requests;\nthe default waits forever.\n"
               "Impact: fewer stuck workers.\n\nRefs: #12\n")
    parts = extract.commit_sections(message)
    assert parts["learning"] == "always pass a timeout to requests; the default waits forever."
    assert parts["context"] == "slow upstream."
    (cand,) = extract.from_commit("a" * 40, message)
    assert cand.source == {"type": "commit", "ref": "a" * 40}
    assert "Context: slow upstream." in cand.body and cand.score >= 0.85


def test_commit_placeholder_learning_is_dropped() -> None:
    (cand,) = extract.from_commit("b" * 40, "fix: x\n\nLearning: n/a\n")
    assert cand.score == 0.0


def test_commit_without_lesson_yields_nothing() -> None:
    message = "fix: wait until ready\n\nStill polls until the lock is free.\n"
    assert list(extract.from_commit("c" * 40, message)) == []


def test_transcript_lesson_has_session_and_uuid(tmp_path: Path) -> None:
    events = _events(tmp_path, [("user", "keep going until it works"),
                                ("assistant", "TIL: git stash skips untracked files unless -u is given.")])
    (cand,) = extract.from_events(events)
    assert cand.source["session"] == SID
    assert cand.source["message"] == events[-1].uuid and cand.source["ref"] == f"{SID}#{events[-1].uuid}"
    assert cand.title.startswith("git stash skips untracked")


def test_correction_followed_by_fix(tmp_path: Path) -> None:
    events = _events(tmp_path, [
        ("user", "No, prices are in cents, not euros."),
        ("assistant", "Converted the fixtures to cents."),
        ("tool", "Edit", {"file_path": "tests/fixtures.json"}, "updated", False)])
    (cand,) = extract.from_events(events)
    assert cand.kind == "correction" and "tests/fixtures.json" in cand.body


def test_agreement_and_unfixed_corrections_are_not_candidates(tmp_path: Path) -> None:
    events = _events(tmp_path, [
        ("user", "No, that's fine, go ahead."),
        ("tool", "Edit", {"file_path": "a.py"}, "updated", False),
        ("user", "Don't forget the tests."),
        ("assistant", "Running them.")])
    assert list(extract.from_events(events)) == []


def test_error_edit_retry_success(tmp_path: Path) -> None:
    events = _events(tmp_path, [
        ("tool", "Bash", {"command": "pytest -q"}, "E   KeyError: 'qty'\n1 failed", True),
        ("tool", "Edit", {"file_path": "shop/orders.py"}, "updated", False),
        ("tool", "Bash", {"command": "pytest -q"}, "3 passed", False)])
    (cand,) = extract.from_events(events)
    assert cand.kind == "retry_fix" and "KeyError: 'qty'" in cand.body and "shop/orders.py" in cand.body


def test_retry_without_edit_or_still_failing_is_not_a_candidate(tmp_path: Path) -> None:
    events = _events(tmp_path, [
        ("tool", "Bash", {"command": "pytest -q"}, "1 failed", True),
        ("tool", "Bash", {"command": "pytest -q"}, "ok", False),
        ("tool", "Bash", {"command": "make"}, "error: x", True),
        ("tool", "Edit", {"file_path": "Makefile"}, "updated", False),
        ("tool", "Bash", {"command": "make"}, "error: x", True)])
    assert list(extract.from_events(events)) == []


def test_handoff_sections() -> None:
    body = ("# Handoff\n\n## Decisions\n- Use integer cents for money.\n\n## Open questions\n"
            "- Should refunds reuse the idempotency key?\n\n## Next\n- ship it\n")
    found = list(extract.from_handoff(".agents/handoffs/h.md", body))
    assert [c.kind for c in found] == ["handoff_decision", "handoff_question"]
    assert found[0].source == {"type": "handoff", "ref": ".agents/handoffs/h.md"}


def test_codex_rollout_retry_and_lesson(tmp_path: Path) -> None:
    def item(kind: str, payload: dict) -> dict:
        return {"timestamp": "2026-11-01T09:00:00Z", "type": kind, "payload": payload}

    records = [
        item("session_meta", {"id": "c0de", "cwd": "/w/shop"}),
        item("response_item", {"type": "function_call", "name": "shell", "call_id": "c1",
                               "arguments": json.dumps({"command": ["bash", "-lc", "pytest -q"]})}),
        item("response_item", {"type": "function_call_output", "call_id": "c1", "output": json.dumps(
            {"output": "E   ImportError: cannot import name 'total'", "metadata": {"exit_code": 1}})}),
        item("response_item", {"type": "custom_tool_call", "name": "apply_patch", "call_id": "c2",
                               "input": "*** Begin Patch\n*** Update File: shop/orders.py\n*** End Patch"}),
        item("response_item", {"type": "custom_tool_call_output", "call_id": "c2", "output": "Done"}),
        item("response_item", {"type": "function_call", "name": "shell", "call_id": "c3",
                               "arguments": json.dumps({"command": ["bash", "-lc", "pytest -q"]})}),
        item("response_item", {"type": "function_call_output", "call_id": "c3", "output": json.dumps(
            {"output": "3 passed", "metadata": {"exit_code": 0}})}),
        item("event_msg", {"type": "agent_message", "message": "Gotcha: the module exports total lazily."}),
    ]
    path = tmp_path / "rollout-2026-11-01T09-00-00-c0de.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in records))
    found = list(extract.from_events(read_events(path)))
    kinds = sorted(c.kind for c in found)
    assert kinds == ["lesson_leading", "retry_fix"]
    retry = next(c for c in found if c.kind == "retry_fix")
    assert "shop/orders.py" in retry.body and "ImportError" in retry.body
    assert retry.source["session"] == "c0de" and retry.source["message"].startswith("line:")
