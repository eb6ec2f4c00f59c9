"""Handoffs (Factor VI): what the next session needs, drawn from the transcript and git.

A handoff records goal, state, done, next steps, open questions, decisions, failing
commands, files touched, branch, last commit and tokens used. Facts come from the
transcript: the last things the human asked, the agent's own todo list (TodoWrite
inputs), Bash calls whose result was an error (unless a later run of the same command
succeeded), and the files Edit/Write/MultiEdit (or Codex apply_patch) changed.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from agentops_os import git
from agentops_os.errors import FatalError
from agentops_os.store.redact import redact_text

KIND = "handoffs"
EDIT_TOOLS = {"Edit", "Write", "MultiEdit", "NotebookEdit"}
SHELL_TOOLS = {"Bash", "shell", "exec_command", "local_shell_call"}
_DECISION = re.compile(
    r"\b(decided|decision|we'll use|we will use|going with|chose|choose to|instead of|"
    r"settled on|opted)\b", re.IGNORECASE)
_PATCH_FILE = re.compile(r"^\*\*\* (?:Update|Add|Delete) File: (.+)$", re.MULTILINE)


@dataclass
class Handoff:
    goal: str = ""
    earlier_asks: list[str] = field(default_factory=list)
    state: str = ""
    done: list[str] = field(default_factory=list)
    next_steps: list[str] = field(default_factory=list)
    open_questions: list[str] = field(default_factory=list)
    decisions: list[str] = field(default_factory=list)
    failing: list[str] = field(default_factory=list)
    files: list[str] = field(default_factory=list)
    branch: str | None = None
    commit: str | None = None
    tokens_used: int | None = None
    model: str | None = None
    session_id: str | None = None
    trigger: str = "manual"
    created: str = ""

    def meta(self) -> dict[str, Any]:
        # Redacted before the cut: a secret cut in half no longer matches its rule.
        title = (redact_text(self.goal).splitlines() or ["handoff"])[0][:100] if self.goal else "handoff"
        return {
            "kind": "handoff",
            "title": title,
            "created": self.created,
            "branch": self.branch,
            "commit": self.commit,
            "session_id": self.session_id,
            "trigger": self.trigger,
            "model": self.model,
            "tokens_used": self.tokens_used,
        }

    def body(self) -> str:
        def bullets(items: list[str], empty: str = "(none recorded)") -> str:
            return "\n".join(f"- {i}" for i in items) if items else empty

        parts = [
            "## Goal", self.goal or "(not recorded)",
            "## State", self.state or "(not recorded)",
            "## Next steps", bullets(self.next_steps),
            "## Open questions", bullets(self.open_questions),
            "## Decisions", bullets(self.decisions),
            "## Done", bullets(self.done),
            "## Failing commands", bullets(self.failing),
            "## Files touched", bullets([f"`{f}`" for f in self.files]),
        ]
        if self.earlier_asks:
            parts += ["## Earlier asks", bullets(self.earlier_asks)]
        out = []
        for i in range(0, len(parts), 2):
            out.append(f"{parts[i]}\n\n{parts[i + 1]}\n")
        return "\n".join(out)


def _short(text: str, limit: int = 300) -> str:
    # Redacted before its lines are joined and it is cut: a multi-line key (PuTTY, PEM) or
    # a token cut in half no longer matches its rule afterwards.
    text = " ".join(redact_text(text).split())
    return text if len(text) <= limit else text[: limit - 3].rstrip() + "..."


def _is_human_prompt(text: str) -> bool:
    stripped = text.strip()
    # Slash-command wrappers and local command output are not what the human asked.
    return bool(stripped) and not stripped.startswith(("<command-", "<local-command", "Caveat:",
                                                        "[Request interrupted"))


def _rel(path: str, root: Path) -> str:
    try:
        return str(Path(path).resolve().relative_to(root.resolve()))
    except (ValueError, OSError):
        return path


def from_transcript(path: Path, root: Path) -> Handoff:
    from agentops_os.context.live import session_usage
    from agentops_os.transcripts import model as m
    from agentops_os.transcripts.read import read_events

    handoff = Handoff()
    prompts: list[str] = []
    todos: list[dict[str, Any]] | None = None
    commands: dict[str, str] = {}
    failed: dict[str, str] = {}  # command -> first error line, in order of failure
    texts: list[str] = []
    files: list[str] = []
    for event in read_events(path):
        if event.session_id and not handoff.session_id:
            handoff.session_id = event.session_id
        if event.is_sidechain:
            continue
        if event.git_branch and not handoff.branch:
            handoff.branch = event.git_branch
        if event.kind == m.USER_PROMPT and event.text and _is_human_prompt(event.text):
            prompts.append(_short(event.text))
        elif event.kind == m.ASSISTANT_TEXT and event.text:
            texts.append(redact_text(event.text))  # before sentences are split out of it
        elif event.kind == m.TOOL_USE:
            name = event.tool_name or ""
            tool_input = event.tool_input if isinstance(event.tool_input, dict) else {}
            if name == "TodoWrite" and isinstance(tool_input.get("todos"), list):
                todos = [t for t in tool_input["todos"] if isinstance(t, dict)]
            elif name in EDIT_TOOLS:
                target = tool_input.get("file_path") or tool_input.get("notebook_path")
                if isinstance(target, str):
                    files.append(_rel(target, root))
            elif name in SHELL_TOOLS and event.tool_use_id:
                command = tool_input.get("command") if tool_input else event.tool_input
                if isinstance(command, list):
                    command = " ".join(str(c) for c in command)
                if isinstance(command, str):
                    commands[event.tool_use_id] = _short(command, 200)
            elif name == "apply_patch":
                raw = event.tool_input if isinstance(event.tool_input, str) else str(tool_input)
                files.extend(_rel(p.strip(), root) for p in _PATCH_FILE.findall(raw))
        elif event.kind == m.TOOL_RESULT and event.tool_use_id in commands:
            command = commands[event.tool_use_id]
            if event.is_error:
                failed.pop(command, None)
                first = next((ln for ln in redact_text(event.text or "").splitlines() if ln.strip()), "")
                failed[command] = _short(first, 160)
            else:
                failed.pop(command, None)  # a later success resolves an earlier failure
    if prompts:
        handoff.goal = prompts[-1]
        handoff.earlier_asks = list(dict.fromkeys(reversed(prompts[:-1])))[:4]
    if todos is not None:
        for todo in todos:
            content = _short(str(todo.get("content", "")), 200)
            status = todo.get("status")
            if status == "completed":
                handoff.done.append(content)
            elif status == "in_progress":
                handoff.next_steps.insert(0, f"{content} (in progress)")
            else:
                handoff.next_steps.append(content)
    handoff.failing = [f"`{cmd}` -> {err}" if err else f"`{cmd}`" for cmd, err in failed.items()][-8:]
    handoff.files = sorted(dict.fromkeys(files))
    if texts:
        handoff.state = _short(texts[-1], 500)
    handoff.decisions = _decisions(texts)
    handoff.open_questions = _questions(texts[-6:])
    usage = session_usage(path)
    if usage is not None:
        handoff.tokens_used = usage.tokens
        handoff.model = usage.model
    return handoff


def _sentences(text: str) -> list[str]:
    out: list[str] = []
    for line in text.splitlines():
        line = line.strip(" -*>#\t")
        if not line or line.startswith("```"):
            continue
        out.extend(s.strip() for s in re.split(r"(?<=[.!?])\s+(?=[A-Z`])", line) if s.strip())
    return out


def _decisions(texts: list[str], limit: int = 6) -> list[str]:
    found: list[str] = []
    for text in texts:
        for sentence in _sentences(text):
            if _DECISION.search(sentence):
                found.append(_short(sentence, 240))
    return list(dict.fromkeys(found))[-limit:]


def _questions(texts: list[str], limit: int = 5) -> list[str]:
    found = [_short(s, 240) for t in texts for s in _sentences(t) if s.endswith("?") and len(s) > 12]
    return list(dict.fromkeys(found))[-limit:]


def build(root: Path, transcript: Path | None, *, trigger: str = "manual",
          session_id: str | None = None, goal: str | None = None) -> Handoff:
    handoff = from_transcript(transcript, root) if transcript is not None else Handoff()
    if goal:
        if handoff.goal:
            handoff.earlier_asks.insert(0, handoff.goal)
        handoff.goal = goal
    handoff.trigger = trigger
    handoff.session_id = session_id or handoff.session_id
    handoff.branch = git.current_branch(root) or handoff.branch
    handoff.commit = git.head_sha(root)
    handoff.created = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
    return handoff


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9]+", "-", text).strip("-")[:40] or "detached"


def save(root: Path, handoff: Handoff) -> Path:
    from agentops_os.store import Store

    store = Store.open(root)
    clean = store.redactor.text  # before slugging: a cut or re-punctuated token no longer matches
    stamp = handoff.created.replace("-", "").replace(":", "")
    session = _slug(clean(handoff.session_id or "manual"))[:8]
    # The trigger is in the name: PreCompact and SessionEnd may fire in the same second.
    name = f"{stamp}-{_slug(clean(handoff.branch or 'detached'))}-{session}-{_slug(clean(handoff.trigger))}"
    return store.write_document(KIND, name, handoff.meta(), handoff.body())


def list_handoffs(root: Path, branch: str | None = None,
                  errors: list[str] | None = None) -> list[Any]:
    """Handoff documents, newest first (by `created`, then file name)."""
    from agentops_os.store import Store

    docs = [d for d in Store(root).iter_documents(KIND, errors=errors)
            if branch is None or d.get("branch") == branch]
    docs.sort(key=lambda d: (str(d.get("created") or ""), d.path.name if d.path else ""), reverse=True)
    return docs


def latest(root: Path, branch: str | None) -> Any | None:
    found = list_handoffs(root, branch)
    return found[0] if found else None


@dataclass
class Resume:
    handoff: Any
    commits: list[str]
    files: list[str]
    commit_known: bool


def resume(root: Path, branch: str | None = None) -> Resume:
    branch = branch or git.current_branch(root)
    if branch is None:
        raise FatalError("HEAD is detached: pass --branch to pick whose handoff to resume")
    doc = latest(root, branch)
    if doc is None:
        raise FatalError(f"no handoff on branch {branch!r} yet (write one with `ao handoff save`)",
                         exit_code=1)
    since = doc.get("commit")
    commits: list[str] = []
    files: list[str] = []
    known = bool(since) and git.commit_exists(root, str(since))
    if known:
        commits = [ln for ln in git.run(["log", "--oneline", f"{since}..HEAD"], root).splitlines() if ln]
        files = [ln for ln in git.run(["diff", "--name-status", since], root).splitlines() if ln]
        files += [f"??\t{ln[3:]}" for ln in git.run(["status", "--porcelain"], root).splitlines()
                  if ln.startswith("??") and not ln[3:].startswith(".agents/")]
    return Resume(doc, commits, files, known)

