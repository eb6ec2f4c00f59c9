"""Claude Code itself (the npm CLI) after `ao init`, against the scripted model server:
what the model receives is read from the server's recording, not from our own logs."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from tests.e2e.conftest import Host
from tests.e2e.model_server import ModelServer, Turn


def claude(host: Host, prompt: str, *extra: str) -> list[dict[str, Any]]:
    proc = host.run("claude", "-p", prompt, "--output-format", "stream-json", "--verbose", *extra)
    assert proc.returncode == 0, proc.stderr[-2000:] + proc.stdout[-2000:]
    return [json.loads(line) for line in proc.stdout.splitlines() if line.startswith("{")]


def tool_results(request_body: dict[str, Any]) -> list[dict[str, Any]]:
    last = request_body["messages"][-1]
    content = last.get("content") if isinstance(last.get("content"), list) else []
    return [block for block in content if block.get("type") == "tool_result"]


def text_of(result: dict[str, Any]) -> str:
    content = result.get("content")
    if isinstance(content, list):
        return "".join(part.get("text", "") for part in content if isinstance(part, dict))
    return str(content)


def test_the_guard_denial_is_the_tool_result_the_model_receives(host: Host) -> None:
    turns = [
        Turn(text="Cleaning up.", tools=[("Bash", {"command": "rm -rf ~", "description": "clean"})]),
        Turn(text="Listing.", tools=[("Bash", {"command": "ls", "description": "list files"})]),
    ]
    with ModelServer(turns) as server:
        host.claude_env(server)
        events = claude(host, "tidy the home directory")
    agent = server.agent_requests()
    assert len(agent) == 3
    denied = tool_results(agent[1].body)
    assert len(denied) == 1 and denied[0]["is_error"] is True
    assert "AgentOps guard [rm-root]" in text_of(denied[0])
    assert host.home.is_dir() and (host.repo / "keep.txt").read_text() == "precious\n"
    listed = tool_results(agent[2].body)
    assert listed[0].get("is_error") is not True and "keep.txt" in text_of(listed[0])
    result = events[-1]
    assert (
        result["type"] == "result" and result["permission_denials"][0]["tool_input"]["command"] == "rm -rf ~"
    )
    # The denial is on the audit chain as well.
    audit = "".join(p.read_text() for p in (host.repo / ".agents/audit").glob("*.jsonl"))
    assert '"kind":"guard.deny"' in audit and "rm -rf ~" in audit


def test_the_session_start_packet_reaches_the_model(host: Host) -> None:
    probe = host.run("ao", "hook", "session-start")
    # What the hook answers for this repository, asked the way Claude Code asks it.
    answer = host.run(
        "sh",
        "-c",
        'echo \'{"session_id":"p","cwd":"' + str(host.repo) + '","hook_event_name":"SessionStart",'
        '"source":"startup"}\' | ao hook session-start',
    )
    assert probe.returncode == 0 and answer.returncode == 0, answer.stderr
    packet = json.loads(answer.stdout)["hookSpecificOutput"]["additionalContext"]
    heading = packet.splitlines()[0]
    assert heading.startswith("# Context packet: main")
    with ModelServer([]) as server:
        host.claude_env(server)
        claude(host, "what should I work on?")
    first = json.dumps(server.agent_requests()[0].body)
    assert json.dumps(heading)[1:-1] in first
    assert "ao gate run quick" in first  # a line from the packet's body, not only its title


def test_ingested_usage_equals_what_the_server_reported_and_ccusage_agrees(host: Host) -> None:
    turns = [
        Turn(
            text="Reading.",
            tools=[("Read", {"file_path": str(host.repo / "keep.txt")})],
            input_tokens=2100,
            output_tokens=75,
            cache_read=1800,
            cache_creation=300,
        ),
        Turn(
            text="Listing.",
            tools=[("Bash", {"command": "ls", "description": "list"})],
            input_tokens=2400,
            output_tokens=60,
            cache_read=2000,
            cache_creation=120,
        ),
    ]
    with ModelServer(turns, final_text="All read.") as server:
        host.claude_env(server)
        claude(host, "read keep.txt")
    reported = server.reported()
    ingest = host.ao("sessions", "ingest", "--json")
    assert ingest.returncode == 0, ingest.stderr
    assert json.loads(ingest.stdout)["unknown_by_type"] == {}  # every record type is known
    ours = json.loads(host.ao("usage", "daily", "--json").stdout)
    assert ours["cost_partial"] is False, ours["unpriced_models"]  # the current model is priced
    totals = ours["totals"]
    assert (totals["input_tokens"], totals["output_tokens"]) == (
        reported["input_tokens"],
        reported["output_tokens"],
    )
    assert totals["cache_read_tokens"] == reported["cache_read_input_tokens"]
    assert totals["cache_creation_tokens"] == reported["cache_creation_input_tokens"]
    theirs = host.run(str(host.bin / "ccusage"), "daily", "--offline", "--json")
    assert theirs.returncode == 0, theirs.stderr
    cc = json.loads(theirs.stdout)["totals"]
    assert (cc["inputTokens"], cc["outputTokens"], cc["cacheReadTokens"], cc["cacheCreationTokens"]) == (
        totals["input_tokens"],
        totals["output_tokens"],
        totals["cache_read_tokens"],
        totals["cache_creation_tokens"],
    )


def transcripts(home: Path) -> list[Path]:
    return sorted((home / ".claude" / "projects").rglob("*.jsonl"))


def test_a_subagent_is_recorded_and_its_tokens_are_counted_once(host: Host) -> None:
    turns = [
        Turn(
            text="Delegating.",
            tools=[
                (
                    "Agent",
                    {
                        "description": "count files",
                        "prompt": "SUBTASK-7: count the files here",
                        "subagent_type": "general-purpose",
                        "run_in_background": False,
                    },
                )
            ],
        )
    ]
    routes = {"SUBTASK-7": [Turn(text="Three files.", input_tokens=800, output_tokens=30)]}
    with ModelServer(turns, final_text="Done.", routes=routes) as server:
        host.claude_env(server)
        claude(host, "how many files are there?")
    events = "".join(p.read_text() for p in (host.repo / ".agents/sessions/events").glob("*.jsonl"))
    records = [json.loads(line) for line in events.splitlines()]
    kinds = [r["event"] for r in records]
    assert "SubagentStart" in kinds and "SubagentStop" in kinds, kinds
    start = next(r for r in records if r["event"] == "SubagentStart")
    assert start["agent_type"] == "general-purpose" and start["agent_id"]
    reported = server.reported()
    assert host.ao("sessions", "ingest").returncode == 0
    totals = json.loads(host.ao("usage", "daily", "--json").stdout)["totals"]
    assert (totals["input_tokens"], totals["output_tokens"]) == (
        reported["input_tokens"],
        reported["output_tokens"],
    ), [str(p.relative_to(host.home)) for p in transcripts(host.home)]
