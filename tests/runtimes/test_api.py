"""The `api` runtime against the scripted model server on 127.0.0.1, over both streamed
wire formats it speaks (Anthropic Messages, OpenAI Responses): its tool loop, the guard
judging each call through the real `ao hook pre-tool-use`, usage and its transcript."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from tests.e2e.model_server import ModelServer, Turn

from agentops_os.runtimes import events as ev
from agentops_os.runtimes.api import ApiRuntime
from conftest import run_ao


@pytest.mark.parametrize("wire", ["anthropic", "responses"])
def test_the_tool_loop_writes_runs_and_is_guarded(
    repo: Path, wire: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert run_ao("init", cwd=repo).returncode == 0
    turns = [
        Turn(
            text="Writing.",
            tools=[("Write", {"file_path": "hello.txt", "content": "hi\n"})],
            input_tokens=900,
            output_tokens=30,
        ),
        Turn(
            text="Cleaning.", tools=[("Bash", {"command": "rm -rf ~"})], input_tokens=1000, output_tokens=20
        ),
        Turn(text="Checking.", tools=[("Bash", {"command": "cat hello.txt"})], input_tokens=1100),
    ]
    seen: list[ev.Event] = []
    monkeypatch.setenv("E2E_KEY", "sk-not-a-real-key")
    with ModelServer(turns, final_text="All done.") as server:
        base = server.url if wire == "anthropic" else server.url + "/v1"
        runtime = ApiRuntime(wire, base, "E2E_KEY", "test-model", max_turns=10)
        result = runtime.run("make hello.txt", repo, {}, ev.RunOptions(timeout=60), seen.append)
    assert result.ok, result.error
    assert result.text.endswith("All done.")
    assert (repo / "hello.txt").read_text() == "hi\n"
    outputs = [e for e in seen if isinstance(e, ev.ToolResult)]
    assert len(outputs) == 3
    assert outputs[1].is_error and "AgentOps guard [rm-root]" in outputs[1].text
    assert "hi" in outputs[2].text
    # What the model was sent back is the guard's verdict, not a deleted home.
    assert "AgentOps guard [rm-root]" in json.dumps(server.agent_requests()[2].body)
    reported = server.reported()
    cached = reported.get("cache_read_input_tokens", reported.get("cached_input_tokens", 0))
    assert (result.usage.input + result.usage.cache_read, result.usage.output) == (
        reported["input_tokens"] + (cached if wire == "anthropic" else 0),
        reported["output_tokens"],
    )
    assert result.requests == 4
    assert result.transcript and Path(result.transcript).is_file()


def test_a_refused_key_is_one_line(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NO_SUCH_KEY", raising=False)
    with ModelServer([]) as server:
        result = ApiRuntime("anthropic", server.url, "NO_SUCH_KEY", "m").run("hi", repo, {}, ev.RunOptions())
    assert not result.ok and "NO_SUCH_KEY" in result.error and "\n" not in result.error
