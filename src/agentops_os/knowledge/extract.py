"""Candidate extractors: commit messages, transcripts, handoffs. Each yields `Candidate`s
with a score and provenance; nothing here writes files (see forge.py)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from agentops_os.knowledge import scoring
from agentops_os.transcripts import model as m
from agentops_os.transcripts.model import Event


@dataclass
class Candidate:
    title: str
    body: str
    kind: str  # the extraction rule (scoring.BASE key)
    score: float
    source: dict[str, Any]
    created: str | None = None
    tags: list[str] = field(default_factory=list)


def _title(text: str, limit: int = 120) -> str:
    text = " ".join(text.split()).strip().strip("*").strip()
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0]
    return cut + "…"


# -- commits ------------------------------------------------------------------------------
_SECTION = re.compile(
    r"^\s*(?:#+\s*)?(?P<name>context|solution|learnings?|impact|lessons?)\s*:?\s*(?P<rest>.*)$",
    re.IGNORECASE)


def commit_sections(message: str) -> dict[str, str]:
    """Context/Solution/Learning/Impact paragraphs or trailers of our commit template."""
    sections: dict[str, list[str]] = {}
    current: str | None = None
    for line in message.splitlines()[1:]:
        match = _SECTION.match(line)
        if match and (":" in line or line.lstrip().startswith("#")):
            name = match.group("name").lower().rstrip("s")
            name = "learning" if name in ("learning", "lesson") else name
            current = name
            sections.setdefault(name, [])
            if match.group("rest").strip():
                sections[name].append(match.group("rest").strip())
            continue
        if current and line.strip():
            if re.match(r"^[A-Z][A-Za-z-]+: ", line) and current != "learning":
                current = None  # another trailer (Refs:, Signed-off-by:) ends the section
                continue
            sections[current].append(line.strip())
        elif current and not line.strip() and sections.get(current):
            current = None
    return {k: " ".join(v).strip() for k, v in sections.items() if v}


def from_commit(sha: str, message: str, date: str | None = None) -> Iterator[Candidate]:
    subject = message.splitlines()[0] if message.strip() else ""
    parts = commit_sections(message)
    source = {"type": "commit", "ref": sha}
    learning = parts.get("learning")
    if learning:
        body = learning
        if parts.get("context"):
            body += f"\n\nContext: {parts['context']}"
        body += f"\n\nFrom commit {sha[:12]}: {subject}"
        yield Candidate(_title(learning), body + "\n", "commit_learning",
                        scoring.score("commit_learning", learning), source, date)
        return
    for line in scoring.sentences("\n".join(message.splitlines()[1:])):
        found = scoring.lesson_in(line)
        if found:
            kind, text = found
            yield Candidate(_title(text), f"{text}\n\nFrom commit {sha[:12]}: {subject}\n", kind,
                            scoring.score(kind, text), source, date)


# -- transcripts ------------------------------------------------------------------------------
_CORRECTION = re.compile(
    r"^\s*(?:no\b|nope\b|wrong\b|that'?s (?:not|wrong)|that is (?:not|wrong)|don'?t\b|do not\b|stop\b|"
    r"actually\b|instead\b|you (?:should|shouldn'?t|must|need to)\b|never\b|please don'?t\b)",
    re.IGNORECASE)
_EDIT_TOOLS = {"Edit", "Write", "MultiEdit", "NotebookEdit", "apply_patch"}
_RUN_TOOLS = {"Bash", "shell", "exec_command", "local_shell"}


def _command(event: Event) -> str:
    data = event.tool_input
    if isinstance(data, dict):
        cmd = data.get("command") or data.get("cmd") or ""
        if isinstance(cmd, list):
            # Codex: ["bash", "-lc", "pytest -q"]: the script is what identifies the command.
            if len(cmd) >= 3 and cmd[1] in ("-c", "-lc") and str(cmd[0]).endswith("sh"):
                return str(cmd[-1])
            cmd = " ".join(str(c) for c in cmd)
        return str(cmd)
    return str(data or "")


_PATCH_FILE = re.compile(r"^\*\*\* (?:Update|Add) File: (.+)$", re.MULTILINE)


def _file(event: Event) -> str:
    data = event.tool_input
    if isinstance(data, dict):
        found = data.get("file_path") or data.get("path") or data.get("notebook_path")
        if found:
            return str(found)
        data = data.get("input") or data.get("patch") or ""
    if isinstance(data, str):  # Codex apply_patch: the patch text names the files
        match = _PATCH_FILE.search(data)
        if match:
            return match.group(1).strip()
    return ""


def _error_line(text: str) -> str:
    lines = [line.strip() for line in (text or "").splitlines() if line.strip()]
    for line in lines:
        if re.search(r"\w+(?:Error|Exception)\b|\berror:", line):
            return line[:200]
    for line in reversed(lines):
        if re.search(r"error|failed|exception|not found|denied|invalid", line, re.IGNORECASE):
            return line[:200]
    return lines[-1][:200] if lines else "an error"


# "No, that's fine", "Actually yes": agreement opens with a correction cue but corrects nothing.
_AGREEMENT = re.compile(
    r"^\s*(?:no|nope|actually|instead|stop)\b[\s,.!-]*(?:that'?s |it'?s )?(?:fine|ok(?:ay)?|yes|sure|"
    r"go ahead|good|great|worries|problem|perfect|correct|right)\b", re.IGNORECASE)


def is_correction(text: str) -> bool:
    return bool(_CORRECTION.match(text)) and not _AGREEMENT.match(text)


def from_events(events: Iterable[Event]) -> Iterator[Candidate]:
    """Explicit lessons, corrections followed by a fix, and error -> edit -> passing retry."""
    items = [e for e in events if e.kind in (m.USER_PROMPT, m.ASSISTANT_TEXT, m.TOOL_USE, m.TOOL_RESULT)
             and not e.is_sidechain]
    uses: dict[str, Event] = {e.tool_use_id: e for e in items if e.kind == m.TOOL_USE and e.tool_use_id}
    for i, event in enumerate(items):
        # Claude Code lines carry a uuid; Codex lines do not, so their line number stands in.
        message = event.uuid or f"line:{event.line}"
        source = {"type": "session", "ref": f"{event.session_id}#{message}",
                  "session": event.session_id, "message": message}
        if event.kind in (m.ASSISTANT_TEXT, m.USER_PROMPT) and event.text:
            for line in scoring.sentences(event.text):
                found = scoring.lesson_in(line)
                if found:
                    kind, text = found
                    yield Candidate(_title(text), text + "\n", kind, scoring.score(kind, text),
                                    source, event.timestamp)
        if event.kind == m.USER_PROMPT and event.text and is_correction(event.text):
            fix = _following_fix(items, i)
            if fix is not None:
                said, edited = fix
                text = " ".join(event.text.split())
                body = f"User correction: {text}\n"
                if said:
                    body += f"\nAgent fix: {said}\n"
                if edited:
                    body += f"\nEdited: {', '.join(edited)}\n"
                yield Candidate(_title(text), body, "correction", scoring.score("correction", text),
                                source, event.timestamp)
        if event.kind == m.TOOL_RESULT and event.is_error:
            use = uses.get(event.tool_use_id or "")
            if use is not None and use.tool_name in _RUN_TOOLS:
                fixed = _retry_after_edit(items, i, _command(use), uses)
                if fixed is not None:
                    cmd = _command(use)
                    err = _error_line(event.text or "")
                    text = f"`{cmd}` failed with \"{err}\"; fixed by editing {', '.join(fixed)}"
                    yield Candidate(_title(f"{cmd}: {err}"), text + "\n", "retry_fix",
                                    scoring.score("retry_fix", text), source, event.timestamp)


def _following_fix(items: list[Event], start: int) -> tuple[str, list[str]] | None:
    """The agent's answer to a correction: its text and the files it edited, until the
    next user prompt. None if it edited nothing (a correction with no fix is no lesson)."""
    said: list[str] = []
    edited: list[str] = []
    for event in items[start + 1:]:
        if event.kind == m.USER_PROMPT:
            break
        if event.kind == m.ASSISTANT_TEXT and event.text and not said:
            said.append(" ".join(event.text.split())[:300])
        if event.kind == m.TOOL_USE and event.tool_name in _EDIT_TOOLS:
            path = _file(event)
            if path and path not in edited:
                edited.append(path)
    if not edited:
        return None
    return (said[0] if said else ""), edited


def _same_command(a: str, b: str) -> bool:
    return a.split()[:2] == b.split()[:2] if a.split() and b.split() else False


def _retry_after_edit(items: list[Event], start: int, command: str,
                      uses: dict[str, Event]) -> list[str] | None:
    edited: list[str] = []
    for event in items[start + 1:]:
        if event.kind == m.USER_PROMPT:
            return None
        if event.kind == m.TOOL_USE and event.tool_name in _EDIT_TOOLS:
            path = _file(event)
            if path and path not in edited:
                edited.append(path)
        if event.kind == m.TOOL_RESULT:
            use = uses.get(event.tool_use_id or "")
            if use is None or use.tool_name not in _RUN_TOOLS or not _same_command(_command(use), command):
                continue
            if event.is_error:
                if edited:
                    return None  # the edit did not fix it
                continue
            return edited or None
    return None


# -- handoffs ---------------------------------------------------------------------------------
_HEADINGS = {
    "decisions": "handoff_decision", "decision": "handoff_decision", "decided": "handoff_decision",
    "learnings": "handoff_learning", "learning": "handoff_learning", "lessons": "handoff_learning",
    "open questions": "handoff_question", "questions": "handoff_question",
}


def from_handoff(path: str, body: str, created: str | None = None) -> Iterator[Candidate]:
    kind: str | None = None
    for raw in body.splitlines():
        heading = re.match(r"^\s*#{1,6}\s*(.+?)\s*:?\s*$", raw)
        if heading:
            kind = _HEADINGS.get(heading.group(1).strip().lower())
            continue
        if kind is None:
            continue
        item = re.match(r"^\s*(?:[-*+]|\d+[.)])\s+(?:\[[ xX]\]\s*)?(.+)$", raw)
        if not item:
            continue
        text = item.group(1).strip()
        yield Candidate(_title(text), text + "\n", kind, scoring.score(kind, text),
                        {"type": "handoff", "ref": path}, created,
                        tags=["open-question"] if kind == "handoff_question" else [])
