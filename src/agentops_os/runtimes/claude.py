"""The `claude` runtime: Claude Code in print mode, read through its stream-json output.

`--output-format stream-json` requires `--verbose` in print mode. As root, Claude Code
refuses `--permission-mode bypassPermissions`; name the tools with `--allowedTools`
instead (the rpi workflow does).
"""

from __future__ import annotations

from pathlib import Path

from agentops_os.runtimes import events as ev
from agentops_os.runtimes.claude_stream import ClaudeStream
from agentops_os.runtimes.cli import CliRuntime, Stream, find_claude_transcript


class ClaudeRuntime(CliRuntime):
    name = "claude"
    install_hint = "install Claude Code with `npm install -g @anthropic-ai/claude-code`"

    def argv(self, prompt: str, cwd: Path, options: ev.RunOptions) -> list[str]:
        args = ["-p", prompt, "--output-format", "stream-json", "--verbose"]
        if options.model:
            args += ["--model", options.model]
        if options.append_system_prompt:
            args += ["--append-system-prompt", options.append_system_prompt]
        if options.allowed_tools:
            args += ["--allowedTools", ",".join(options.allowed_tools)]
        if options.permission_mode:
            args += ["--permission-mode", options.permission_mode]
        if options.resume:
            args += ["--resume", options.resume]
        elif options.session_id:
            args += ["--session-id", options.session_id]
        return args

    def stream(self) -> Stream:
        return ClaudeStream()

    def transcript(self, result: ev.RunResult, cwd: Path, env: dict[str, str]) -> Path | None:
        return find_claude_transcript(result.session_id, cwd, env)
