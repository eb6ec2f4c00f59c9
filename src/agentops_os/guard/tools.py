"""Per-tool judgement: Bash, file writes and reads, WebFetch, MCP tools, and failing
closed on anything malformed (see docs/guard.md, "Failing closed")."""

from __future__ import annotations

from agentops_os.guard.urls import judge_url
from agentops_os.guard.userrules import user_rules
from agentops_os.guard.verdict import ALLOW, Verdict, worst

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from agentops_os.guard.scope import Scope

WRITE_TOOLS = {
    "Write": "file_path",
    "Edit": "file_path",
    "MultiEdit": "file_path",
    "NotebookEdit": "notebook_path",
}
READ_TOOLS = {"Read": "file_path", "Grep": "path", "Glob": "path", "NotebookRead": "notebook_path"}


# Claude Code's own tools that neither write files nor run anything: no objection.
QUIET_TOOLS = frozenset(
    {
        "Task",
        "Agent",
        "TodoWrite",
        "TodoRead",
        "WebSearch",
        "ExitPlanMode",
        "EnterPlanMode",
        "BashOutput",
        "KillShell",
        "KillBash",
        "LS",
        "SlashCommand",
        "Skill",
        "AskUserQuestion",
        "ListMcpResourcesTool",
        "ReadMcpResourceTool",
        "TaskOutput",
        "TaskStop",
        "ToolSearch",
    }
)
# Input keys that mean a tool can run code or write: an unknown tool with one of them is denied.
_RISKY_KEYS = frozenset(
    {
        "command",
        "cmd",
        "script",
        "code",
        "shell",
        "file_path",
        "path",
        "content",
        "notebook_path",
        "new_string",
        "edits",
        "args",
        "argv",
        "program",
    }
)


def _ci_write(judge: Scope, path: str, tool_input: dict[str, Any]) -> Verdict | None:
    """A CI pipeline file whose new text sends a secret away (guard/ciwrite.py, imported
    only for paths that may be one: it compiles regular expressions)."""
    from agentops_os.guard.autorun import ci_file

    if not ci_file(path):
        return None
    from agentops_os.guard.ciwrite import judge_ci_write

    return judge_ci_write(judge, path, tool_input)


def _autorun(judge: Scope, path: str, tool_input: dict[str, Any]) -> Verdict | None:
    """A file some tool runs by itself (`.envrc`, `conftest.py`, a Makefile, package.json's
    scripts ...): its new text is judged as what will run (guard/autorun.py)."""
    from agentops_os.guard.autorun import judge_autorun, kind_of, worth_reading

    kind = kind_of(path)
    if kind is None or not worth_reading(kind, tool_input):
        return None
    from agentops_os.guard.commands import judge_command

    judge.inner = lambda text: judge_command(judge, text)  # what the file runs is judged as typed
    return judge_autorun(judge, path, kind, tool_input)


def judge_tool(judge: Scope, tool_name: str, tool_input: dict[str, Any]) -> Verdict:
    if not isinstance(tool_name, str) or not tool_name:
        return Verdict("deny", "the hook input names no tool (tool_name missing or empty)", "unparseable")
    if not isinstance(tool_input, dict):
        return Verdict("deny", f"{tool_name}: tool_input is not an object", "unparseable")
    subject = ""
    if tool_name == "Bash":
        command = tool_input.get("command")
        if not isinstance(command, str):
            return Verdict("deny", "Bash: tool_input.command is missing", "unparseable")
        from agentops_os.guard.commands import judge_command  # only Bash calls pay for the rules

        return judge_command(judge, command)
    if tool_name in WRITE_TOOLS:
        raw = tool_input.get(WRITE_TOOLS[tool_name])
        if not isinstance(raw, str) or not raw:
            return Verdict("deny", f"{tool_name}: no {WRITE_TOOLS[tool_name]} given", "unparseable")
        path = judge.resolve(raw)
        subject = f"{tool_name} {path}"
        written = path or raw
        how = f"{tool_name} writes"
        verdict = worst([judge.judge_write(written, how), _ci_write(judge, written, tool_input),
                         _autorun(judge, written, tool_input)])
    elif tool_name in READ_TOOLS:
        raw = tool_input.get(READ_TOOLS[tool_name])
        if raw is not None and not isinstance(raw, str):
            return Verdict("deny", f"{tool_name}: {READ_TOOLS[tool_name]} is not a string", "unparseable")
        if not raw:
            return (
                worst([user_rules(judge, tool_name)]) if judge.policy.rules else ALLOW
            )  # Grep/Glob: the cwd
        path = judge.resolve(raw)
        subject = f"{tool_name} {path}"
        verdict = worst([judge.judge_read(path or raw, f"{tool_name} reads")])
    elif tool_name == "WebFetch":
        url = tool_input.get("url")
        if not isinstance(url, str) or not url:
            return Verdict("deny", "WebFetch: no url given", "unparseable")
        subject = f"WebFetch {url}"
        verdict = worst([judge_url(judge, url)])
    elif tool_name.startswith("mcp__"):
        from agentops_os.guard.mcp import judge_mcp

        user = user_rules(judge, tool_name)
        return (
            worst([user, judge_mcp(judge, tool_name, tool_input)])
            if not (user is not None and user.decision == "allow")
            else user
        )
    elif tool_name in QUIET_TOOLS:
        return worst([user_rules(judge, tool_name)]) if judge.policy.rules else ALLOW
    else:
        user = user_rules(judge, tool_name)
        if user is not None:
            return user
        risky = sorted(_RISKY_KEYS & set(tool_input))
        if risky:
            return Verdict(
                "deny",
                f"unknown tool {tool_name[:60]!r} takes {risky[0]!r}, so it may write or run "
                f"code; allow it with a [[guard.rules]] entry",
                "unknown-tool",
            )
        return ALLOW
    return worst([verdict, user_rules(judge, subject)])
