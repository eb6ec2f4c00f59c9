"""ao's runtimes (`agentops_os.runtimes.make`) reading the real clients' live streams:
typed events, usage and the transcript the client wrote, checked against the server."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.e2e.conftest import Host
from tests.e2e.model_server import ModelServer, Turn

from agentops_os.config import load_config
from agentops_os.runtimes import events as ev
from agentops_os.runtimes import make


@pytest.mark.parametrize("runtime", ["claude", "codex"])
def test_the_runtime_reads_the_real_stream(host: Host, runtime: str, monkeypatch: pytest.MonkeyPatch) -> None:
    danger = ("Bash", {"command": "git push --force origin main", "description": "publish"})
    if runtime == "codex":
        danger = ("exec_command", {"cmd": "git push --force origin main"})
    turns = [
        Turn(text="Publishing.", tools=[danger], input_tokens=3000, output_tokens=40, cache_read=1000),
        Turn(text="I could not publish: the guard refused.", input_tokens=3300, output_tokens=30),
    ]
    seen: list[ev.Event] = []
    with ModelServer(turns) as server:
        if runtime == "claude":
            host.claude_env(server)
        else:
            host.codex_config(server)
            assert host.ao("init", "--trust-codex").returncode == 0
        for key, value in host.env.items():
            monkeypatch.setenv(key, value)
        agent = make(runtime, load_config(host.repo))
        options = ev.RunOptions(allowed_tools=("Read", "Bash"), timeout=120)
        result = agent.run("publish the branch", host.repo, {}, options, seen.append)
    assert result.ok, result.error
    assert result.text.endswith("the guard refused.")
    calls = [e for e in seen if isinstance(e, ev.ToolCall)]
    results = [e for e in seen if isinstance(e, ev.ToolResult)]
    if runtime == "claude":
        assert calls and "git push --force origin main" in str(calls[0].input)
        assert results and "AgentOps guard [force-push]" in results[0].text
    else:
        # `codex exec --json` emits no item for a call a PreToolUse hook blocked: nothing ran,
        # and the denial is known from ao's own audit chain (and from what the model got).
        assert not any("git push" in str(call.input) for call in calls)
    audit = "".join(p.read_text() for p in (host.repo / ".agents/audit").glob("*.jsonl"))
    assert '"kind":"guard.deny"' in audit and "git push --force origin main" in audit
    reported = server.reported()
    cached = reported.get("cache_read_input_tokens", reported.get("cached_input_tokens", 0))
    sent = reported["input_tokens"] - (cached if runtime == "codex" else 0)
    assert (result.usage.input, result.usage.cache_read, result.usage.output) == (
        sent,
        cached,
        reported["output_tokens"],
    )
    assert result.session_id and Path(result.transcript).is_file()
    assert result.context_peak >= 3300
