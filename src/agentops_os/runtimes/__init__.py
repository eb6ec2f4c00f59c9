"""Agent runtimes behind one protocol: `run(prompt, cwd, env, options, listener) -> RunResult`.

One module per runtime (claude, codex, api, scripted); `make` builds one from the config.
Workflows use only this package's protocol (`events`), never a runtime's internals.
"""

from __future__ import annotations

from typing import Any, Protocol

from agentops_os.errors import FatalError
from agentops_os.runtimes import events as ev

NAMES = ("claude", "codex", "api", "scripted")


class Runtime(Protocol):
    name: str

    def run(self, prompt: str, cwd: Any, env: dict[str, str] | None = None,
            options: ev.RunOptions | None = None, listener: ev.Listener | None = None) -> ev.RunResult: ...


def make(name: str, config: Any, *, script: str = "") -> Any:
    """The runtime called `name`, configured from `[runtimes]` (and priced by `usage.pricing`)."""
    from agentops_os.sessions.pricing import load_pricing

    pricing = load_pricing(config)

    def price(model: str, usage: ev.Usage) -> float:
        return pricing.cost(model, {"input": usage.input, "output": usage.output,
                                    "cache_read": usage.cache_read, "cache_write_5m": usage.cache_write})

    window = config.window_for
    if name == "claude":
        from agentops_os.runtimes.claude import ClaudeRuntime

        return ClaudeRuntime(str(config.get("runtimes.claude_command")), window=window, price=price)
    if name == "codex":
        from agentops_os.runtimes.codex import CodexRuntime

        return CodexRuntime(str(config.get("runtimes.codex_command")), window=window, price=price)
    if name == "scripted":
        from agentops_os.runtimes.scripted import ScriptedRuntime

        return ScriptedRuntime(script=script or str(config.get("runtimes.scripted_script")),
                               window=window, price=price)
    if name == "api":
        from agentops_os.runtimes.api import ApiRuntime

        return ApiRuntime.from_config(config, price=price)
    raise FatalError(f"--runtime {name!r}: expected one of {', '.join(NAMES)}")
