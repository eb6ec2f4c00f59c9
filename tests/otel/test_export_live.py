"""`otel.export_live`: after each turn the Stop hook starts a detached export of what the
session did since its last export; the SessionEnd export then sends only the rest. Real
OTLP/HTTP requests on a loopback port, decoded with opentelemetry-proto."""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from conftest import run_ao
from otel.otlp_receiver import Receiver, attrs

TRACE_ID = "0af7651916cd43dd8448eb211c80319c"
PARENT_SPAN = "b7ad6b7169203331"
TRACEPARENT = f"00-{TRACE_ID}-{PARENT_SPAN}-01"


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    server = Receiver()
    yield server
    server.close()


def turns_of_a_session(repo: Path) -> tuple[str, list[list[dict[str, Any]]]]:
    """A three-turn Claude Code session (the sample corpus's builder), cut at each prompt."""
    from agentops_os.sessions.sample import build_claude_session, session_uuid

    rng = random.Random(19)
    session_id = session_uuid(rng)
    main, _ = build_claude_session(rng, session_id, str(repo.resolve()),
                                   datetime(2026, 11, 2, 9, 0, tzinfo=UTC), turns=3)
    turns: list[list[dict[str, Any]]] = []
    for line in main.lines:
        prompt = line.get("type") == "user" and isinstance(line["message"]["content"], str)
        if prompt or not turns:
            turns.append([])
        turns[-1].append(line)
    turns[1] = turns[0] + turns[1]  # the file snapshot before the first prompt goes with it
    return session_id, turns[1:]


def tool_ids(lines: list[dict[str, Any]]) -> set[str]:
    return {block["id"] for line in lines if line.get("type") == "assistant"
            for block in line["message"]["content"] if block.get("type") == "tool_use"}


def message_ids(lines: list[dict[str, Any]]) -> set[str]:
    return {line["message"]["id"] for line in lines if line.get("type") == "assistant"}


def configure(repo: Path, receiver: Receiver) -> None:
    assert run_ao("init", cwd=repo).returncode == 0
    config = repo / "agentops.toml"
    text = config.read_text()
    assert "# export_live = false" in text
    config.write_text(text.replace("# export_live = false", "export_live = true")
                      .replace("# export_on_session_end = false", "export_on_session_end = true")
                      .replace('# endpoint = ""', f'endpoint = "{receiver.url}"'))


def wait_for(predicate: Any, what: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.1)
    log = Path.cwd() / ".agents" / ".index" / "otel-export.log"
    raise AssertionError(f"timed out waiting for {what}; export log: "
                         f"{log.read_text() if log.exists() else '(none)'}")


def memory(repo: Path) -> dict[str, Any]:
    files = list((repo / ".agents" / ".index" / "otel").glob("*.json"))
    return json.loads(files[0].read_text()) if len(files) == 1 else {}


def hook(repo: Path, event: str, payload: dict[str, Any]) -> float:
    started = time.monotonic()
    proc = run_ao("hook", event, cwd=repo, input=json.dumps(payload),
                  env={**os.environ, "TRACEPARENT": TRACEPARENT})
    assert proc.returncode == 0 and proc.stdout == "", proc.stderr
    return time.monotonic() - started


def test_two_turns_give_two_disjoint_exports_and_session_end_sends_the_rest(
        repo: Path, receiver: Receiver) -> None:
    configure(repo, receiver)
    session_id, turns = turns_of_a_session(repo)
    from agentops_os.transcripts.locate import claude_project_slug

    transcript = Path(os.environ["HOME"]) / ".claude" / "projects" / claude_project_slug(
        str(repo.resolve())) / f"{session_id}.jsonl"
    transcript.parent.mkdir(parents=True)
    stop = {"session_id": session_id, "transcript_path": str(transcript), "cwd": str(repo),
            "hook_event_name": "Stop", "stop_hook_active": False}

    for number, lines in enumerate(turns[:2], start=1):
        with transcript.open("a") as handle:
            handle.writelines(json.dumps(line) + "\n" for line in lines)
        receiver.hold()  # the back end does not answer: a hook that waited would hang here
        assert hook(repo, "stop", stop) < 5
        wait_for(lambda n=number: len(receiver.trace_requests()) == n, f"export {number}")
        receiver.release()
        wait_for(lambda n=number: memory(repo).get("exports") == n, f"export {number} remembered")
    assert not memory(repo)["root_sent"]

    with transcript.open("a") as handle:  # a last turn, whose Stop export never ran
        handle.writelines(json.dumps(line) + "\n" for line in turns[2])
    end = {"session_id": session_id, "cwd": str(repo), "hook_event_name": "SessionEnd", "reason": "exit"}
    hook(repo, "session-end", end)
    wait_for(lambda: len(receiver.trace_requests()) == 3 and memory(repo).get("root_sent"), "session end")

    exports = receiver.trace_requests()
    ops = [[attrs(s)["gen_ai.operation.name"] for s in spans] for spans in exports]
    assert [o.count("invoke_agent") for o in ops] == [0, 0, 1]  # the session span goes last, once
    for spans, lines in zip(exports, turns, strict=True):
        tools = {attrs(s).get("gen_ai.tool.call.id") for s in spans
                 if attrs(s)["gen_ai.operation.name"] == "execute_tool"}
        chats = [s for s in spans if attrs(s)["gen_ai.operation.name"] == "chat"]
        assert tools == tool_ids(lines) and len(chats) == len(message_ids(lines))  # that turn, all of it
    ids = [s.span_id for spans in exports for s in spans]
    assert len(ids) == len(set(ids))  # disjoint: no span sent twice

    everything = [s for spans in exports for s in spans]
    (root,) = [s for s in everything if attrs(s)["gen_ai.operation.name"] == "invoke_agent"]
    assert {s.trace_id.hex() for s in everything} == {TRACE_ID}  # TRACEPARENT, kept across exports
    assert root.parent_span_id.hex() == PARENT_SPAN
    assert all(s.parent_span_id == root.span_id for s in everything if s is not root)
    chat = [attrs(s) for s in everything if attrs(s)["gen_ai.operation.name"] == "chat"]
    assert attrs(root)["gen_ai.usage.output_tokens"] == sum(a["gen_ai.usage.output_tokens"] for a in chat)
    usage = json.loads(run_ao("usage", "daily", "--json", "--no-ingest", cwd=repo).stdout)["totals"]
    assert len(chat) == usage["requests"] and sum(a["gen_ai.usage.output_tokens"] for a in chat) == (
        usage["output_tokens"])

    # Metrics: one delta per export, adding up to one input measurement per request.
    wait_for(lambda: len(receiver.metric_requests()) == 3, "three metric exports")
    counts = []
    for request in receiver.metric_requests():
        for metric in (m for rm in request.resource_metrics for sm in rm.scope_metrics for m in sm.metrics):
            if metric.name == "gen_ai.client.token.usage":
                assert metric.histogram.aggregation_temporality == 1  # AGGREGATION_TEMPORALITY_DELTA
                counts += [p.count for p in metric.histogram.data_points
                           if any(a.key == "gen_ai.token.type" and a.value.string_value == "input"
                                  for a in p.attributes)]
    assert sum(counts) == usage["requests"]

    again = run_ao("export", "otel", "--session", session_id, "--json", cwd=repo)
    assert again.returncode == 0, again.stderr
    report = json.loads(again.stdout)
    assert report["spans"] == 0 and report["already_sent"] == len(everything)
    assert len(receiver.trace_requests()) == 3


def test_a_live_export_that_fails_is_sent_by_the_next(repo: Path, receiver: Receiver) -> None:
    assert run_ao("init", cwd=repo).returncode == 0
    assert run_ao("sessions", "sample", "--home", os.environ["HOME"], cwd=repo).returncode == 0
    listed = json.loads(run_ao("sessions", "list", "--json", cwd=repo).stdout)
    rows = listed if isinstance(listed, list) else listed.get("sessions", [])
    session = rows[0]["session_id"]
    down = run_ao("export", "otel", "--session", session, "--live", "--endpoint", "http://127.0.0.1:9",
                  "--no-ingest", cwd=repo)
    assert down.returncode == 2 and "127.0.0.1:9/v1/traces" in down.stderr
    assert memory(repo) == {}  # nothing was sent, so nothing is remembered
    sent = run_ao("export", "otel", "--session", session, "--live", "--endpoint", receiver.url,
                  "--no-ingest", "--json", cwd=repo)
    assert sent.returncode == 0, sent.stderr
    live = json.loads(sent.stdout)
    assert live["spans"] > 0 and live["already_sent"] == 0
    assert "invoke_agent" not in {attrs(s)["gen_ai.operation.name"] for s in receiver.trace_requests()[0]}
    final = json.loads(run_ao("export", "otel", "--session", session, "--endpoint", receiver.url,
                              "--no-ingest", "--json", cwd=repo).stdout)
    assert final["spans"] == 1 and final["already_sent"] == live["spans"]  # only the session span
    assert run_ao("export", "otel", "--live", cwd=repo).returncode == 2  # --live needs --session


def test_the_stop_hook_only_decides_and_spawns(repo: Path) -> None:
    """With export_live on, the Stop hook starts the export detached and imports no
    OpenTelemetry; with it off (the default) it starts nothing."""
    code = """
import json, subprocess, sys
started = []
class Popen:
    def __init__(self, args, **kwargs):
        started.append({"args": args[1:], "new_session": kwargs.get("start_new_session"),
                        "stdin": kwargs.get("stdin") == subprocess.DEVNULL})
subprocess.Popen = Popen
from agentops_os.hooks import stop
from agentops_os.hooks.protocol import HookContext
stop.handle(HookContext("stop", {"session_id": "s-1", "transcript_path": sys.argv[2]}, sys.argv[1]))
print(json.dumps({"started": started, "otel": [m for m in sys.modules if m.startswith("opentelemetry")]}))
"""
    transcript = repo / "t.jsonl"
    transcript.write_text("{}\n")

    def run() -> dict[str, Any]:
        out = subprocess.run([sys.executable, "-c", code, str(repo), str(transcript)], capture_output=True,
                             text=True, check=True).stdout
        return dict(json.loads(out))

    assert run() == {"started": [], "otel": []}
    (repo / "agentops.toml").write_text("[otel]\nexport_live = true  # after every turn\n")
    command = ["-m", "agentops_os", "export", "otel", "--session", "s-1", "--live"]
    assert run() == {"started": [{"args": command, "new_session": True, "stdin": True}], "otel": []}


@pytest.mark.parametrize(("text", "on"), [
    ("", False),
    ("[otel]\n# export_live = true\n", False),
    ("[otel]\nexport_live = false\n", False),
    ("[otel]\nexport_live = true\n", True),
    ("[ otel ]\nexport_live=true # on\n", True),
    ("otel.export_live = true\n", True),
    ("otel = { export_live = true }\n", True),  # not a line form: tomllib decides
    ("[improve]\nexport_live = true\n", False),
    ("[otel]\nexport_live = 'yes'\n", False),
    ("[otel]\nexport_live = \n", False),  # malformed: nothing is started
])
def test_the_stop_hook_reads_export_live_as_toml_does(tmp_path: Path, text: str, on: bool) -> None:
    from agentops_os.hooks.stop import _live_export_on

    (tmp_path / "agentops.toml").write_text(text)
    assert _live_export_on(str(tmp_path)) is on
