"""The `scripted` runtime: the Claude runtime driving `agentops_os.runtimes.scripted_agent`.

Only the executable differs from `claude`: the same argv, stream reader, process handling
and transcript lookup are exercised, so a workflow tested with it is tested on the code
paths that drive the real CLI.
"""

from __future__ import annotations

import sys
from pathlib import Path

from agentops_os.runtimes import events as ev
from agentops_os.runtimes.claude import ClaudeRuntime

BUNDLED_SCRIPT = Path(__file__).resolve().parent.parent / "data" / "scripted" / "rpi-demo.yaml"


class ScriptedRuntime(ClaudeRuntime):
    name = "scripted"
    install_hint = "the scripted runtime ships with ao; reinstall agentops-os"

    def __init__(self, command: str = "", *, script: str = "", **kwargs: object) -> None:
        super().__init__(command, **kwargs)  # type: ignore[arg-type]
        if not command:
            self.command = [sys.executable, "-m", "agentops_os.runtimes.scripted_agent"]
        self.script = script

    def environment(self, env: dict[str, str], options: ev.RunOptions) -> dict[str, str]:
        # An explicit script wins, then one named in the environment, then the demo's.
        return {**env, "AO_SCRIPT": self.script or env.get("AO_SCRIPT") or str(BUNDLED_SCRIPT)}
