"""Per-tool judgement: Bash, file writes and reads, WebFetch."""

from __future__ import annotations

from agentops_os.guard.judge import ALLOW, Verdict, worst

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from agentops_os.guard.judge import Judge

WRITE_TOOLS = {"Write": "file_path", "Edit": "file_path", "MultiEdit": "file_path",
               "NotebookEdit": "notebook_path"}
READ_TOOLS = {"Read": "file_path", "Grep": "path", "Glob": "path", "NotebookRead": "notebook_path"}


def judge_tool(judge: Judge, tool_name: str, tool_input: dict[str, Any]) -> Verdict:
    if not isinstance(tool_input, dict):
        return Verdict("deny", f"{tool_name}: tool_input is not an object", "unparseable")
    subject = ""
    if tool_name == "Bash":
        command = tool_input.get("command")
        if not isinstance(command, str):
            return Verdict("deny", "Bash: tool_input.command is missing", "unparseable")
        return judge.bash(command)
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


def user_rules(judge: Judge, subject: str) -> Verdict | None:
    """`[[guard.rules]]`: the strongest matching user rule (None if none matched)."""
    found: list[Verdict | None] = []
    for rule in judge.policy.rules:
        if rule.search(subject):
            found.append(Verdict(rule.decision, rule.reason, "user-rule"))
    return worst(found) if found else None


def judge_url(judge: Judge, url: str) -> Verdict | None:
    from urllib.parse import urlsplit

    try:
        parts = urlsplit(url)
        host = (parts.hostname or "").lower()
    except ValueError:
        return judge.verdict("fetch", "ask", f"fetches a URL the guard cannot parse: {url[:200]}")
    if parts.scheme not in ("http", "https"):
        return judge.verdict("fetch", "deny", f"fetches a {parts.scheme or 'scheme-less'} URL ({url[:200]})")
    if parts.password:
        return judge.verdict("fetch", "deny", "fetches a URL with a password in it (it would leak)")
    if host in judge.policy.fetch_deny_hosts:
        return judge.verdict("fetch", "deny", f"fetches {host}, listed in guard.fetch_deny_hosts")
    if judge.policy.fetch_ask_private and _private(host):
        return judge.verdict("fetch", "ask", f"fetches {host}, a local or private address")
    return None


def _private(host: str) -> bool:
    if host in ("localhost", "") or host.endswith((".local", ".internal", ".localhost")):
        return True
    import ipaddress

    try:
        address = ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return False
    return address.is_private or address.is_loopback or address.is_link_local
