"""MCP tools (`mcp__<server>__<tool>`): judged by what their arguments say they do.

MCP servers name their tools freely, so the guard reads the arguments: a shell command
(`command`, `cmd`, `script`) is judged as a Bash command; a path is judged as a write
when the tool's name says it changes things (write, edit, create, move, delete...) and
as a read otherwise; URLs as fetches; SQL as SQL. User rules (`[[guard.rules]]`) match
the tool name, so a whole server or tool can be allowed, asked or denied.
"""

from __future__ import annotations

from agentops_os.guard.urls import judge_url
from agentops_os.guard.verdict import Verdict, worst

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from agentops_os.guard.scope import Scope

_COMMAND_KEYS = ("command", "cmd", "script", "shell_command", "commandLine", "command_line", "bash")
_PATH_KEYS = (
    "path",
    "file_path",
    "filepath",
    "filename",
    "file",
    "source",
    "destination",
    "target",
    "dest",
    "directory",
    "dir",
    "paths",
    "notebook_path",
    "uri",
)
_URL_KEYS = ("url", "uri", "href", "link", "endpoint")
_SQL_KEYS = ("sql", "query", "statement")
_WRITE_WORDS = (
    "write",
    "edit",
    "create",
    "move",
    "rename",
    "delete",
    "remove",
    "rm",
    "mkdir",
    "append",
    "put",
    "save",
    "upload",
    "patch",
    "replace",
    "insert",
    "update",
    "set",
    "copy",
    "chmod",
    "truncate",
)
_DELETE_WORDS = ("delete", "remove", "rm", "move", "rename", "truncate")


def _strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [v for v in value if isinstance(v, str)]
    return []


def judge_mcp(judge: Scope, tool_name: str, tool_input: dict[str, Any]) -> Verdict | None:
    action = tool_name.split("__", 2)[-1].lower()
    writes = any(
        word in action.replace("-", "_").split("_") or action.startswith(word) for word in _WRITE_WORDS
    )
    deletes = any(word in action for word in _DELETE_WORDS)
    verdicts: list[Verdict | None] = []
    for key in _COMMAND_KEYS:
        for text in _strings(tool_input.get(key)):
            from agentops_os.guard.commands import judge_command

            verdicts.append(judge_command(judge, text))
    for key in _PATH_KEYS:
        for text in _strings(tool_input.get(key)):
            if "://" in text:
                continue
            path = judge.resolve(text, quoted=False)
            if path is None:
                continue
            if writes:
                verdicts.append(judge.judge_write(path, f"{tool_name} writes"))
                if deletes and key in ("path", "source", "file_path", "paths", "file"):
                    from agentops_os.guard.rules_delete import delete_path

                    verdicts.append(delete_path(judge, path, recursive=True))
            else:
                verdicts.append(judge.judge_read(path, f"{tool_name} reads"))
    for key in _URL_KEYS:
        for text in _strings(tool_input.get(key)):
            if "://" in text or not text.startswith("/"):
                verdicts.append(judge_url(judge, text if "://" in text else "http://" + text))
    for key in _SQL_KEYS:
        for text in _strings(tool_input.get(key)):
            from agentops_os.guard.rules_infra import sql_text

            verdicts.append(sql_text(judge, text))
    return worst(verdicts)
