"""Claude Code transcript records -> normalized events.

Shapes covered (1.0.x, 2.0.x, 2.1.x): `user` lines whose `message.content` is a string or
a list of text / tool_result blocks; `assistant` lines, one per content block, each
repeating `message.id`, `requestId` and (partial, while streaming) `message.usage`;
`system` lines with `subtype: compact_boundary`; `summary`; bookkeeping types
(`file-history-snapshot`, `queue-operation`, `custom-title`, ...). Old 1.0.x lines may
carry `costUSD`. Deduplicating usage is the caller's job (see sessions.usage).
"""

from __future__ import annotations

from typing import Any

from agentops_os.hosts import CLAUDE_CODE
from agentops_os.transcripts import model as m
from agentops_os.transcripts.model import Event

AGENT = CLAUDE_CODE
# Record types that carry no usage, tool call or prompt of their own: titles, tags, modes,
# file-history snapshots, request logs (`api-request*`: what was sent, no usage), resume
# links, and `cost-state` / `progress`, which repeat totals and subagent messages already
# counted from their own lines (counting them again would inflate usage). The list is
# Claude Code 2.1.x's own catalog of transcript record types (checked on 2.1.332); a type
# not here is counted by name (`ao sessions ingest --verbose`).
# A frozenset for the hot loop; ask `is_bookkeeping`, which a bad line's list type cannot crash.
BOOKKEEPING = frozenset((
    "file-history-snapshot", "queue-operation", "custom-title", "progress", "attachment",
    "file-history-delta", "last-prompt", "continued-in", "resume-head-vouch", "content-replacement",
    "data-flow-records", "data-flow-incomplete", "derived-from", "api-request", "api-request-shape",
    "api-request-blob", "api-request-resumed", "fork-context-ref", "frame-link", "ended-by-model",
    "ai-title", "tag", "relocated", "agent-name", "agent-color", "agent-setting", "pr-link",
    "artifact-comment-monitor", "artifact-autoreact-ledger", "bridge-session", "history-suppression",
    "attribution-snapshot", "mode", "permission-mode", "isolation-latch", "session-owner", "dev-mods",
    "memory-mode", "atis-latch", "tools-used", "worktree-state", "cost-state", "observer-ref",
    "host-row", "repl-mode", "hybrid-organization",
))


def is_bookkeeping(kind: Any) -> bool:
    return kind.__class__ is str and kind in BOOKKEEPING


def _text_of(content: Any) -> str:
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        parts = []
        for block in content:
            if isinstance(block, dict) and block.get("type") == "text":
                parts.append(str(block.get("text", "")))
            elif isinstance(block, str):
                parts.append(block)
        return "\n".join(parts)
    return ""


def events(record: dict[str, Any], line: int | None = None, *, content: bool = True) -> list[Event]:
    """Normalized events of one record. `content=False` skips what only readers of the
    conversation need (assistant text events, tool-result text): ingest counts, it does
    not read, and that is a third of its time on large transcripts."""
    kind = record.get("type")
    common: dict[str, Any] = {
        "session_id": record.get("sessionId"),
        "timestamp": record.get("timestamp"),
        "uuid": record.get("uuid"),
        "is_sidechain": record.get("isSidechain", False),
        "agent_id": record.get("agentId"),
        "cwd": record.get("cwd"),
        "git_branch": record.get("gitBranch") or None,
        "version": record.get("version"),
        "raw_type": kind,
        "line": line,
    }
    if kind == "assistant":
        return _assistant(record, common, content)
    if kind == "user":
        return _user(record, common, content)
    if kind == "system":
        if record.get("subtype") == "compact_boundary":
            meta = record.get("compactMetadata") or {}
            return [Event(AGENT, m.COMPACT, extra={"trigger": meta.get("trigger"),
                                                     "pre_tokens": meta.get("preTokens")}, **common)]
        return [Event(AGENT, m.OTHER, **common)]
    if kind == "summary":
        return [Event(AGENT, m.SUMMARY, text=record.get("summary"), **common)]
    if is_bookkeeping(kind):
        return [Event(AGENT, m.OTHER, **common)]
    return [Event(AGENT, m.UNKNOWN, **common)]


def _assistant(record: dict[str, Any], common: dict[str, Any], with_text: bool = True) -> list[Event]:
    message = record.get("message") or {}
    if not isinstance(message, dict):
        return [Event(AGENT, m.UNKNOWN, **common)]
    usage = message.get("usage") if isinstance(message.get("usage"), dict) else None
    cost = record.get("costUSD")
    head = Event(
        AGENT, m.ASSISTANT,
        model=message.get("model"),
        message_id=message.get("id"),
        request_id=record.get("requestId"),
        usage=usage,
        cost_usd=float(cost) if isinstance(cost, int | float) else None,
        extra={"synthetic": True} if record.get("isApiErrorMessage") else None,
        **common,
    )
    out = [head]
    content = message.get("content")
    if isinstance(content, list):
        for block in content:
            if not isinstance(block, dict):
                continue
            btype = block.get("type")
            if btype == "text":
                if not with_text:
                    continue
                out.append(Event(AGENT, m.ASSISTANT_TEXT, text=str(block.get("text", "")),
                                 model=head.model, message_id=head.message_id, **common))
            elif btype == "tool_use":
                out.append(Event(AGENT, m.TOOL_USE, tool_name=block.get("name"),
                                 tool_input=block.get("input"), tool_use_id=block.get("id"),
                                 model=head.model, message_id=head.message_id, **common))
    elif isinstance(content, str) and content and with_text:
        out.append(Event(AGENT, m.ASSISTANT_TEXT, text=content, model=head.model, **common))
    return out


def _user(record: dict[str, Any], common: dict[str, Any], with_text: bool = True) -> list[Event]:
    message = record.get("message") or {}
    content = message.get("content") if isinstance(message, dict) else None
    # Meta lines (command caveats, local command output) are not what the human typed.
    is_meta = bool(record.get("isMeta")) or bool(record.get("isCompactSummary"))
    if isinstance(content, str):
        if is_meta:
            return [Event(AGENT, m.OTHER, **common)]
        return [Event(AGENT, m.USER_PROMPT, text=content, **common)]
    out: list[Event] = []
    if isinstance(content, list):
        texts = []
        for block in content:
            if not isinstance(block, dict):
                continue
            btype = block.get("type")
            if btype == "tool_result":
                out.append(Event(AGENT, m.TOOL_RESULT, tool_use_id=block.get("tool_use_id"),
                                 is_error=bool(block.get("is_error")),
                                 text=_text_of(block.get("content")) if with_text else None,
                                 **common))
            elif btype == "text":
                texts.append(str(block.get("text", "")))
        if texts and not is_meta:
            out.append(Event(AGENT, m.USER_PROMPT, text="\n".join(texts), **common))
    return out or [Event(AGENT, m.OTHER, **common)]
