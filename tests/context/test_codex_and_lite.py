from __future__ import annotations

import json
from pathlib import Path

from hypothesis import example, given
from hypothesis import strategies as st

from agentops_os.context.compress import compress
from agentops_os.context.handoff import from_transcript
from agentops_os.context.lite import split
from agentops_os.context.live import session_usage, tail_usage
from agentops_os.context.tokens import estimate_tokens
from conftest import run_ao


def _codex(path: Path) -> Path:
    records = [
        {"timestamp": "2026-11-01T09:00:00Z", "type": "session_meta",
         "payload": {"id": "c0de", "cwd": "/w/shop", "cli_version": "0.46.0", "git": {"branch": "dev"}}},
        {"timestamp": "2026-11-01T09:00:01Z", "type": "turn_context",
         "payload": {"cwd": "/w/shop", "model": "gpt-5-codex", "approval_policy": "on-request"}},
        {"timestamp": "2026-11-01T09:00:02Z", "type": "event_msg",
         "payload": {"type": "user_message", "message": "add a test for refunds", "kind": "plain"}},
        {"timestamp": "2026-11-01T09:00:03Z", "type": "response_item",
         "payload": {"type": "function_call", "name": "shell", "call_id": "call_1",
                     "arguments": json.dumps({"command": ["bash", "-lc", "pytest -q"]})}},
        {"timestamp": "2026-11-01T09:00:05Z", "type": "response_item",
         "payload": {"type": "function_call_output", "call_id": "call_1",
                     "output": json.dumps({"output": "1 failed", "metadata": {"exit_code": 1}})}},
        {"timestamp": "2026-11-01T09:00:06Z", "type": "response_item",
         "payload": {"type": "custom_tool_call", "name": "apply_patch", "call_id": "call_2",
                     "input": "*** Begin Patch\n*** Update File: shop/refunds.py\n@@\n-x\n+y\n"
                              "*** End Patch\n"}},
        {"timestamp": "2026-11-01T09:00:07Z", "type": "event_msg",
         "payload": {"type": "token_count", "info": {
             "total_token_usage": {"input_tokens": 150000, "cached_input_tokens": 100000},
             "last_token_usage": {"input_tokens": 120000, "cached_input_tokens": 90000, "output_tokens": 50},
             "model_context_window": 272000}}},
    ]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(json.dumps(r) + "\n" for r in records))
    return path


def test_codex_usage_handoff_and_status(repo: Path, tmp_path: Path) -> None:
    path = _codex(tmp_path / "sessions/2026/11/01/rollout-2026-11-01T09-00-00-c0de.jsonl")
    usage = session_usage(path)
    assert usage is not None and usage.tokens == 120_000 and usage.window == 272_000
    tail = tail_usage(path)
    assert tail is not None and tail.tokens == 120_000 and tail.window == 272_000
    handoff = from_transcript(path, repo)
    assert handoff.goal == "add a test for refunds"
    assert handoff.failing == ["`bash -lc pytest -q` -> 1 failed"]
    assert handoff.files == ["shop/refunds.py"]
    status = json.loads(run_ao("context", "status", "--transcript", str(path), "--json", cwd=repo).stdout)
    assert status["window"] == 272_000 and status["level"] == "warn"  # 120k of 272k = 44%


@given(st.dictionaries(st.from_regex(r"[a-z][a-z_]{0,8}", fullmatch=True),
                       st.text(alphabet=st.characters(blacklist_categories=("Cc", "Cs")), max_size=20)
                       .map(lambda s: s.strip().replace("'", "").replace('"', "")),
                       max_size=5),
       st.text(max_size=200))
def test_lite_split_reads_simple_frontmatter(meta: dict[str, str], body: str) -> None:
    head = "".join(f"{k}: '{v}'\n" for k, v in meta.items())
    text = f"---\n{head}---\n{body}"
    got, rest = split(text)
    assert got == meta
    # as `documents.loads` reads it (the one reader): one blank line after `---` is layout
    assert rest == (body[1:] if body.startswith("\n") else body)


def test_lite_split_without_frontmatter_is_identity() -> None:
    assert split("# just text\n") == ({}, "# just text\n")
    assert split("---\nnever closed\n") == ({}, "---\nnever closed\n")


@given(st.lists(st.sampled_from([
    "# Heading", "We decided to use Redis.", "Basically nothing.", "ERROR timeout after 30s",
    "- see src/app/main.py", "2026-11-01T10:00:00Z INFO ok 3", "plain words here and there",
]), max_size=80), st.sampled_from([2.0, 5.0, 10.0]))
@example(["# Heading", "We decided to use Redis.", "We decided to use Redis.", "ERROR timeout after 30s",
          "2026-11-01T10:00:00Z INFO ok 3", "# Heading", "plain words here and there"], 2.0)
def test_compress_never_grows_and_keeps_errors(lines: list[str], ratio: float) -> None:
    text = "\n".join(lines) + "\n"
    out = compress(text, ratio)
    assert estimate_tokens(out) <= estimate_tokens(text) + 2
    if "ERROR timeout after 30s" in lines and len(lines) < 5:
        assert "ERROR timeout after 30s" in out


def test_reindex_rebuilds_the_one_index_of_learnings(repo: Path) -> None:
    (repo / ".agents" / "learnings").mkdir(parents=True)
    (repo / ".agents" / "learnings" / "a.md").write_text("---\ntitle: Alpha lesson\n---\nalpha body\n")
    assert run_ao("reindex", cwd=repo).returncode == 0
    import sqlite3

    conn = sqlite3.connect(repo / ".agents" / ".index" / "index.sqlite3")
    rows = conn.execute("SELECT path, title FROM kn_docs WHERE kind = 'learning'").fetchall()
    assert rows == [(".agents/learnings/a.md", "Alpha lesson")]
