"""Codex's hooks: ao's entries in `<repo>/.codex/hooks.json`, and their trust.

Codex reads hooks from `hooks.json` next to each config layer, in the same shape as
Claude Code's settings (event -> [{matcher, hooks: [{type, command}]}]) and with the
same stdin/stdout protocol, so the entries are merged exactly like `.claude/settings.json`:
users' own hooks stay, ao's are added where missing.

Codex runs a non-managed hook only after the user trusted that exact definition: it keeps
a hash per hook (`[hooks.state."<key>"] trusted_hash` in the user's config.toml) and skips
a new or changed hook without a word. So trust is made explicit here. The hash is never
computed by us: `codex app-server` (the interface Codex's own /hooks screen uses) lists
each hook with its current hash and trust status, and `config/batchWrite` saves trust for
the hooks we name, after which we list again and report what Codex now says, never what
we hoped. Project-local hooks load only in a project the user trusts in Codex; that choice
stays the user's and is reported, not made.
"""

from __future__ import annotations

import json
import os
import select
import shutil
import subprocess
import time
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from agentops_os.hooks.protocol import host_events
from agentops_os.hosts import CODEX
from agentops_os.setup import settings as hook_settings

HOOKS_FILE = Path(".codex") / "hooks.json"
APP_SERVER_TIMEOUT_S = 30.0


def codex_events() -> dict[str, tuple[str, str | None]]:
    """Codex's registrations: its event name -> (ao hook event, no matcher)."""
    return host_events(CODEX)


def merged_hooks(data: dict[str, Any] | None, ao: str) -> tuple[dict[str, Any], list[str]]:
    return hook_settings.merged_settings(data, ao, codex_events())


class CodexUnavailable(Exception):
    """Codex is not installed or its app-server did not answer: trust cannot be read."""


@dataclass
class HookTrust:
    key: str
    event: str
    command: str
    status: str  # Codex's own word: trusted, untrusted, modified, ...
    current_hash: str
    ours: bool

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


def list_hooks(root: Path, *, codex: str | None = None) -> list[HookTrust]:
    """Every hook Codex sees for `root`, with the trust status Codex gives it."""
    with _AppServer(root, codex) as server:
        return _listed(server.request("hooks/list", {"cwds": [str(root)]}), root)


def trust_ours(root: Path, *, codex: str | None = None) -> list[HookTrust]:
    """Trust ao's own hook definitions in this repository's .codex/hooks.json (only
    those: a user's other hooks keep the status they have), then list again."""
    with _AppServer(root, codex) as server:
        hooks = _listed(server.request("hooks/list", {"cwds": [str(root)]}), root)
        pending = {h.key: {"trusted_hash": h.current_hash} for h in hooks if h.ours and h.status != "trusted"}
        if pending:
            server.request(
                "config/batchWrite",
                {
                    "edits": [{"keyPath": "hooks.state", "value": pending, "mergeStrategy": "upsert"}],
                    "filePath": None,
                    "expectedVersion": None,
                    "reloadUserConfig": True,
                },
            )
        return _listed(server.request("hooks/list", {"cwds": [str(root)]}), root)


def _listed(result: dict[str, Any], root: Path) -> list[HookTrust]:
    ours_file = os.path.realpath(root / HOOKS_FILE)
    out: list[HookTrust] = []
    for entry in result.get("data") or []:
        for hook in entry.get("hooks") or []:
            command = str(hook.get("command") or "")
            source = os.path.realpath(str(hook.get("sourcePath") or ""))
            ours = source == ours_file and hook_settings._ao_event(command) is not None
            out.append(
                HookTrust(
                    key=str(hook.get("key") or ""),
                    event=str(hook.get("eventName") or ""),
                    command=command,
                    status=str(hook.get("trustStatus") or "unknown"),
                    current_hash=str(hook.get("currentHash") or ""),
                    ours=ours,
                )
            )
    return out


class _AppServer:
    """One `codex app-server` process spoken to over stdio (JSON-RPC, one message a line)."""

    def __init__(self, root: Path, codex: str | None) -> None:
        self.root = root
        self.program = codex or shutil.which("codex")
        self.proc: subprocess.Popen[bytes] | None = None
        self.next_id = 0
        self._pending = b""  # bytes read past the last whole line

    def __enter__(self) -> _AppServer:
        if not self.program:
            raise CodexUnavailable("codex is not on PATH (npm install -g @openai/codex)")
        try:
            self.proc = subprocess.Popen(
                [self.program, "app-server"],
                cwd=self.root,
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
            )
        except OSError as exc:
            raise CodexUnavailable(f"cannot start `codex app-server`: {exc}") from None
        self.request("initialize", {"clientInfo": {"name": "agentops", "title": "AgentOps", "version": "1"}})
        self._send({"jsonrpc": "2.0", "method": "initialized"})
        return self

    def __exit__(self, *exc: object) -> None:
        if self.proc is not None:
            self.proc.kill()
            self.proc.wait(timeout=10)

    def _send(self, message: dict[str, Any]) -> None:
        assert self.proc is not None and self.proc.stdin is not None
        try:
            self.proc.stdin.write((json.dumps(message) + "\n").encode())
            self.proc.stdin.flush()
        except (BrokenPipeError, OSError):
            raise CodexUnavailable("`codex app-server` exited before answering") from None

    def _lines(self, deadline: float) -> Iterator[bytes]:
        """Whole lines from stdout until the deadline.

        Read from the raw descriptor with our own buffer: `select` sees only the pipe, so a
        second message that arrived in the same chunk as the first must not sit unseen in
        a file object's buffer while `select` waits for more.
        """
        assert self.proc is not None and self.proc.stdout is not None
        fd = self.proc.stdout.fileno()
        while True:
            while b"\n" in self._pending:
                line, self._pending = self._pending.split(b"\n", 1)
                yield line
            left = deadline - time.monotonic()
            if left <= 0:
                return
            ready, _, _ = select.select([fd], [], [], min(left, 0.5))
            if not ready:
                continue
            chunk = os.read(fd, 65536)
            if not chunk:
                raise EOFError
            self._pending += chunk

    def request(self, method: str, params: dict[str, Any]) -> dict[str, Any]:
        self.next_id += 1
        wanted = self.next_id
        self._send({"jsonrpc": "2.0", "id": wanted, "method": method, "params": params})
        try:
            for line in self._lines(time.monotonic() + APP_SERVER_TIMEOUT_S):
                try:
                    message = json.loads(line)
                except ValueError:
                    continue
                if not isinstance(message, dict) or message.get("id") != wanted:
                    continue  # a notification, or an answer to someone else
                if "error" in message:
                    error = message["error"]
                    raise CodexUnavailable(f"codex app-server {method}: {error.get('message', error)}")
                return dict(message.get("result") or {})
        except EOFError:
            raise CodexUnavailable(f"`codex app-server` exited during {method}") from None
        waited = f"{APP_SERVER_TIMEOUT_S:.0f} s"
        raise CodexUnavailable(f"`codex app-server` did not answer {method} within {waited}")


def summary(hooks: list[HookTrust]) -> tuple[bool, str, str]:
    """(all of ours trusted, detail, fix) for `ao init` and `ao doctor`."""
    ours = [h for h in hooks if h.ours]
    if not ours:
        return (
            False,
            "Codex loads none of ao's hooks from .codex/hooks.json (is this project trusted in Codex?)",
            "trust the project in Codex (run `codex` here once and accept), then `ao init --trust-codex`",
        )
    waiting = [h for h in ours if h.status != "trusted"]
    if not waiting:
        return True, f"{len(ours)} ao hooks trusted by Codex", ""
    changed = [h for h in waiting if h.status == "modified"]
    names = ", ".join(sorted({h.event for h in waiting}))
    what = (
        f"{len(changed)} changed since you trusted them (Codex skips them until trusted again); "
        if changed
        else ""
    )
    return (
        False,
        f"{len(waiting)} of {len(ours)} ao hooks not trusted by Codex ({what}{names}): "
        "Codex skips them silently",
        "review them in Codex's /hooks, or run `ao init --trust-codex` to trust ao's own definitions",
    )
