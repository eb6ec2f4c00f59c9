"""Per-tool judgement: Bash, file writes and reads, WebFetch."""

from __future__ import annotations

from agentops_os.guard.urls import judge_url
from agentops_os.guard.userrules import user_rules
from agentops_os.guard.verdict import ALLOW, Verdict, worst

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from agentops_os.guard.scope import Scope

WRITE_TOOLS = {"Write": "file_path", "Edit": "file_path", "MultiEdit": "file_path",
               "NotebookEdit": "notebook_path"}
READ_TOOLS = {"Read": "file_path", "Grep": "path", "Glob": "path", "NotebookRead": "notebook_path"}


def judge_tool(judge: Scope, tool_name: str, tool_input: dict[str, Any]) -> Verdict:
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
        verdict = worst([judge.judge_write(path or raw, f"{tool_name} writes")])
    elif tool_name in READ_TOOLS:
        raw = tool_input.get(READ_TOOLS[tool_name])
        if not isinstance(raw, str) or not raw:
            return ALLOW  # Grep/Glob without a path search the working directory
        path = judge.resolve(raw)
        subject = f"{tool_name} {path}"
        verdict = worst([judge.judge_read(path or raw, f"{tool_name} reads")])
    elif tool_name == "WebFetch":
        url = tool_input.get("url")
        if not isinstance(url, str) or not url:
            return Verdict("deny", "WebFetch: no url given", "unparseable")
        subject = f"WebFetch {url}"
        verdict = worst([judge_url(judge, url)])
    else:  # other tools (Task, MCP tools...): only user rules, matched on the tool name
        return worst([user_rules(judge, tool_name)]) if judge.policy.rules else ALLOW
    return worst([verdict, user_rules(judge, subject)])
