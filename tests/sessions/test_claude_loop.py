"""The ingest's fused per-line loop for Claude transcripts against the reference reading.

`sessions.parse._read_claude` reads records in place for speed; `claude.events()` is what every
other reader uses. For any sequence of lines -- real fixtures and generated odd ones --
both must gather the same facts and the same requests. And a pooled ingest (worker
processes) must leave exactly the index an in-process ingest leaves.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import orjson
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from agentops_os.index import open_index
from agentops_os.sessions import ingest
from agentops_os.sessions.accumulate import Accumulator as _Accumulator
from agentops_os.sessions.accumulate import new_facts
from agentops_os.sessions.ingest import Ingestor
from agentops_os.sessions.parse import parse_file
from agentops_os.transcripts import claude
from agentops_os.transcripts import model as m
from agentops_os.transcripts.jsonl import ReadStats, read_records

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "transcripts"
ROOT = Path("/work/repo")


def reference(path: Path) -> tuple[dict[str, Any], dict[str, list[Any]]]:
    """Facts and requests of a Claude transcript gathered through `claude.events()`."""
    facts = new_facts("claude-code", path)
    acc = _Accumulator(path, facts, 300.0, ROOT)
    for line, record in read_records(path, 0, 1, ReadStats()):
        events = claude.events(record, line, content=False)
        when = acc.clock(events[0].timestamp)
        acc.meta(events[0])
        for event in events:
            if event.kind == m.ASSISTANT:
                if not (event.extra or {}).get("synthetic"):
                    acc.claude_request(event.message_id, event.request_id, event.model, event.usage,
                                       event.cost_usd, event.is_sidechain, when, line)
            else:
                acc.event(event, when)
    facts["files"] = sorted(acc.files)
    return facts, acc.requests


def fused(path: Path) -> tuple[dict[str, Any], dict[str, list[Any]]]:
    parsed = parse_file(path, "claude-code", 0, 1, new_facts("claude-code", path), 300.0, ROOT)
    assert parsed is not None
    return parsed.facts, parsed.requests


def assert_same(path: Path) -> None:
    want_facts, want_requests = reference(path)
    got_facts, got_requests = fused(path)
    # parse_file finishes what the loop gathered (session fallback, sorted files, counts)
    for name in ("session_id", "cwd", "branch", "version", "agent_id", "start", "end", "active",
                 "user_turns", "tools", "tool_results", "tool_errors", "compactions",
                 "files_outside", "title", "unknown"):
        if name == "session_id" and want_facts[name] is None:
            continue
        assert got_facts[name] == want_facts[name], name
    assert got_facts["files"] == want_facts["files"]

    def normal(requests: dict[str, list[Any]]) -> dict[str, list[Any]]:
        return {k: [v[0], v[1], bool(v[2]), *v[3:]] for k, v in requests.items()}

    assert normal(got_requests) == normal(want_requests)


def test_fixture_transcripts_read_the_same() -> None:
    paths = [p for p in FIXTURES.rglob("*.jsonl") if "codex" not in p.parts]
    assert len(paths) >= 3
    for path in paths:
        assert_same(path)


STAMPS = ["2026-11-01T10:00:00.000Z", "2026-11-01T10:00:00.000Z", "2026-11-01T10:02:30.500Z",
          "2026-11-01T11:30:00Z", "not a time", None, 5]
odd = st.sampled_from([None, 5, "", [], {}, True])
text = st.sampled_from(["fix the bug", "", "<command-name>/clear</command-name>", "line one\nline two",
                        "  spaced  "])
block = st.one_of(
    st.fixed_dictionaries({"type": st.just("text"), "text": text}),
    st.fixed_dictionaries({"type": st.just("tool_use"), "name": st.sampled_from(["Edit", "Bash", None, ""]),
                           "input": st.one_of(st.just({"file_path": "/work/repo/src/a.py"}),
                                              st.just({"file_path": "rel/b.py"}),
                                              st.just({"file_path": "/elsewhere/c.py"}), odd)}),
    st.fixed_dictionaries({"type": st.just("tool_result"),
                           "is_error": st.sampled_from([True, False, None, 1, "yes"]), "content": text}),
    odd,
)
usage = st.one_of(odd, st.fixed_dictionaries(
    {"input_tokens": st.sampled_from([0, 3, 10, None, "7"]), "output_tokens": st.integers(0, 50),
     "cache_creation_input_tokens": st.sampled_from([0, 100, None]),
     "cache_read_input_tokens": st.sampled_from([0, 1000, True])},
    optional={"cache_creation": st.fixed_dictionaries(
        {"ephemeral_1h_input_tokens": st.sampled_from([0, 40]),
         "ephemeral_5m_input_tokens": st.sampled_from([0, 60])})}))
message = st.one_of(odd, st.fixed_dictionaries(
    {"id": st.sampled_from(["msg_1", "msg_2", None]),
     "model": st.sampled_from(["claude-sonnet-4-5", "<synthetic>", None]),
     "content": st.one_of(text, odd, st.lists(block, max_size=4)), "usage": usage}))
common = {"sessionId": st.sampled_from(["s-1", "", None]), "cwd": st.sampled_from(["/work/repo", "", None]),
          "gitBranch": st.sampled_from(["main", "feature", "", None]),
          "version": st.sampled_from(["2.0.1", None]), "agentId": st.sampled_from(["a1", None]),
          "isSidechain": st.sampled_from([True, 0])}
assistant = st.fixed_dictionaries(
    {"type": st.just("assistant"), "timestamp": st.sampled_from(STAMPS), "message": message,
     "requestId": st.sampled_from(["req_1", "req_2", None])},
    optional={**common, "isApiErrorMessage": st.booleans(), "costUSD": st.sampled_from([0.5, 1, "2", None])})
user = st.fixed_dictionaries(
    {"type": st.just("user"), "timestamp": st.sampled_from(STAMPS),
     "message": st.one_of(odd, st.fixed_dictionaries(
         {"role": st.just("user"),
          "content": st.one_of(text, odd, st.lists(block, min_size=1, max_size=4))}))},
    optional={**common, "isMeta": st.booleans(), "isCompactSummary": st.booleans()})
other = st.fixed_dictionaries(
    {"type": st.sampled_from(["system", "summary", "file-history-snapshot", "brand-new", None, 5, ["list"]]),
     "timestamp": st.sampled_from(STAMPS)},
    optional={**common, "subtype": st.sampled_from(["compact_boundary", "info"]), "message": message})
record = st.one_of(assistant, user, other)


@given(st.lists(record, max_size=25))
@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_any_lines_read_the_same(tmp_path_factory: pytest.TempPathFactory, records: list[dict]) -> None:
    path = tmp_path_factory.mktemp("loop") / "s-1.jsonl"
    path.write_bytes(b"".join(orjson.dumps(r) + b"\n" for r in records))
    assert_same(path)


def _index_state(root: Path) -> tuple[list[Any], list[Any]]:
    conn = sqlite3.connect(root / ".agents" / ".index" / "index.sqlite3")
    try:
        requests = conn.execute("SELECT * FROM sessions_requests ORDER BY key").fetchall()
        files = conn.execute("SELECT path, offset, line, session_key, facts FROM sessions_files"
                             " ORDER BY path").fetchall()
        return requests, files
    finally:
        conn.close()


def test_pooled_ingest_leaves_the_same_index(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Worker processes only parse: the rows they prepare and the order they are written
    in give the index that parsing in the ingesting process gives."""
    from agentops_os.sessions.sample import write_sample_corpus

    home = tmp_path / "home"
    write_sample_corpus(home, ROOT, sessions=12)
    files = sorted((home / ".claude").rglob("*.jsonl"))
    assert len(files) > 12
    monkeypatch.setattr(ingest, "PARALLEL_MIN_BYTES", 0)
    states = []
    for workers in (1, 2):
        root = tmp_path / f"repo{workers}"
        root.mkdir()
        index = open_index(root)
        report = Ingestor(index, ROOT, all_projects=True, workers=workers).run(files)
        index.close()
        assert report.files_read == len(files) and report.requests > 0
        states.append(_index_state(root))
    assert states[0] == states[1]


def test_pool_size_follows_the_setting() -> None:
    assert ingest.pool_size(1) == 1
    assert ingest.pool_size(3) == 3
    assert 1 <= ingest.pool_size(0) <= ingest.MAX_WORKERS


def test_negative_worker_count_is_a_config_error(tmp_path: Path) -> None:
    import subprocess
    import sys

    repo = tmp_path / "repo"
    repo.mkdir()
    subprocess.run(["git", "init", "-q"], cwd=repo, check=True)
    (repo / "agentops.toml").write_text("[sessions]\ningest_workers = -2\n")
    proc = subprocess.run([sys.executable, "-m", "agentops_os", "sessions", "ingest", "--path",
                           str(tmp_path)], cwd=repo, capture_output=True, text=True)
    assert proc.returncode == 2
    assert proc.stderr.strip() == (f"ao: {repo / 'agentops.toml'}:2: 'sessions.ingest_workers' must be 0 "
                                   "(one per CPU) or more, got -2")
