"""`ao export otel` against a real OTLP/HTTP receiver on loopback: the requests the SDK
exporter sends are decoded with opentelemetry-proto and checked against ao's own ledger."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from conftest import run_ao
from otel.otlp_receiver import Receiver, attrs

TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736"
PARENT_SPAN = "00f067aa0ba902b7"


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    server = Receiver()
    yield server
    server.close()


def test_sessions_arrive_as_genai_spans_under_the_callers_trace(repo: Path, receiver: Receiver) -> None:
    assert run_ao("sessions", "sample", "--home", "agent-home", cwd=repo).returncode == 0
    assert run_ao("sessions", "ingest", "--path", "agent-home", cwd=repo).returncode == 0
    env = {**os.environ, "TRACEPARENT": f"00-{TRACE_ID}-{PARENT_SPAN}-01"}
    proc = run_ao("export", "otel", "--endpoint", receiver.url, "--no-ingest", "--json", cwd=repo, env=env)
    assert proc.returncode == 0, proc.stderr
    report = json.loads(proc.stdout)
    spans = receiver.spans()
    assert report["spans"] == len(spans) and report["sessions"] == 4
    by_op: dict[str, list[Any]] = {}
    for span in spans:
        by_op.setdefault(str(attrs(span)["gen_ai.operation.name"]), []).append(span)
    agents = by_op["invoke_agent"]
    assert len(agents) == 4
    assert all(s.trace_id.hex() == TRACE_ID and s.parent_span_id.hex() == PARENT_SPAN for s in agents)
    roots = {s.span_id for s in agents}
    assert all(s.parent_span_id in roots for s in by_op["chat"] + by_op["execute_tool"])
    usage = json.loads(run_ao("usage", "daily", "--json", "--no-ingest", cwd=repo).stdout)["totals"]
    chat = [attrs(s) for s in by_op["chat"]]
    assert len(chat) == usage["requests"]
    assert sum(a["gen_ai.usage.output_tokens"] for a in chat) == usage["output_tokens"]
    assert sum(a["gen_ai.usage.cache_read.input_tokens"] for a in chat) == usage["cache_read_tokens"]
    assert sum(a["gen_ai.usage.input_tokens"] for a in chat) == (
        usage["input_tokens"] + usage["cache_read_tokens"] + usage["cache_creation_tokens"])
    assert {a["gen_ai.provider.name"] for a in chat} == {"anthropic", "openai"}
    listed = json.loads(run_ao("sessions", "list", "--json", "--no-ingest", cwd=repo).stdout)
    rows = listed if isinstance(listed, list) else listed.get("sessions", [])
    tools = sum(sum((row.get("tool_calls") or {}).values()) for row in rows)
    assert len(by_op["execute_tool"]) == tools > 0
    assert all(s.end_time_unix_nano >= s.start_time_unix_nano for s in spans)
    assert receiver.metric_names() == {"gen_ai.client.token.usage", "gen_ai.client.operation.duration"}


def test_a_back_end_that_is_down_is_an_error(repo: Path) -> None:
    assert run_ao("sessions", "sample", "--home", "agent-home", cwd=repo).returncode == 0
    assert run_ao("sessions", "ingest", "--path", "agent-home", cwd=repo).returncode == 0
    proc = run_ao("export", "otel", "--endpoint", "http://127.0.0.1:9", "--no-ingest", cwd=repo)
    assert proc.returncode != 0 and "127.0.0.1:9/v1/traces" in proc.stderr


def test_the_hook_path_imports_no_opentelemetry() -> None:
    import subprocess
    import sys

    code = ("import sys, agentops_os.entry as e; "
            "print([m for m in sys.modules if m.startswith(('opentelemetry', 'mcp'))])")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_session_end_exports_the_session_in_the_background(repo: Path, receiver: Receiver) -> None:
    import time

    assert run_ao("init", cwd=repo).returncode == 0
    assert run_ao("sessions", "sample", "--home", os.environ["HOME"], cwd=repo).returncode == 0
    config = repo / "agentops.toml"
    text = config.read_text()
    assert "export_on_session_end = false" in text and 'endpoint = ""' in text
    config.write_text(text.replace("# export_on_session_end = false", "export_on_session_end = true")
                      .replace('# endpoint = ""', f'endpoint = "{receiver.url}"'))
    listed = json.loads(run_ao("sessions", "list", "--json", cwd=repo).stdout)
    rows = listed if isinstance(listed, list) else listed.get("sessions", [])
    session = rows[0]["session_id"]
    payload = {"session_id": session, "cwd": str(repo), "hook_event_name": "SessionEnd", "reason": "exit"}
    started = time.monotonic()
    hook = run_ao("hook", "session-end", cwd=repo, input=json.dumps(payload))
    assert hook.returncode == 0, hook.stderr
    assert time.monotonic() - started < 5  # the hook does not wait for the export
    for _ in range(200):
        if receiver.bodies["/v1/traces"]:
            break
        time.sleep(0.1)
    agents = [s for s in receiver.spans() if attrs(s)["gen_ai.operation.name"] == "invoke_agent"]
    assert [attrs(s)["gen_ai.conversation.id"] for s in agents] == [session]
