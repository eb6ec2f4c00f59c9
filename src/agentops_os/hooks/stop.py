"""Stop: add a backlog item (`ao improve`) once a session has many tool errors, and,
with `otel.export_live`, start the export of what the turn did.

Runs at the end of every agent turn, so the common path is a marker read and the new
bytes of the transcript: a per-session marker in `.agents/.index/improve-stop/` keeps the
offset read so far and the count of tool results marked `"is_error":true` (Claude
Code's compact JSON). When the count reaches `improve.stop_hook_tool_errors` the item
for the tool-error cause is created or extended through `improve.backlog.observe`
(imported only then), once per session. A later `ao improve scan` replaces the hook's
count with the session summary's exact one.

The live export only decides and spawns: `otel.export_live` comes from the hooks'
settings snapshot (`base.snapshot`), and when it is on, `ao export otel --session ID
--live` is started detached, as the SessionEnd hook starts its export; the OpenTelemetry
SDK is imported by that process, never here. Imports only `os` here.
"""

from __future__ import annotations

import os

from agentops_os.base.layout import index_path
from agentops_os.hooks.protocol import HookContext, HookResult

_NEEDLE = b'"is_error":true'
_SAFE = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.")


def handle(context: HookContext) -> HookResult | None:
    _count_tool_errors(context)
    _export_live(context)
    return None


def _count_tool_errors(context: HookContext) -> None:
    transcript = context.payload.get("transcript_path")
    if not isinstance(transcript, str) or not transcript:
        return
    session = "".join(c if c in _SAFE else "-" for c in context.session_id)[:120] or "unknown"
    marker = index_path(context.root_str, "improve-stop", session)
    offset, count = _read_marker(marker)
    if offset < 0:
        return  # already reported for this session
    try:
        with open(os.path.expanduser(transcript), "rb") as handle:
            if handle.seek(0, os.SEEK_END) < offset:  # rewritten shorter: count it afresh
                offset, count = 0, 0
            # Each read starts len(needle) - 1 bytes before the previous end: a needle cut
            # by that end is counted now, and none fits wholly in the overlap twice.
            # 1 MB at a time, so a long transcript read for the first time stays small.
            end = max(offset - len(_NEEDLE) + 1, 0)
            handle.seek(end)
            tail = b""
            while chunk := handle.read(1 << 20):
                data = tail + chunk
                count += data.count(_NEEDLE)
                tail = data[-(len(_NEEDLE) - 1):]
                end += len(chunk)
    except OSError:
        return
    threshold = _threshold(context.root_str)
    if threshold <= 0 or count < threshold:
        _write_marker(marker, end, count)
        return
    _add_item(context.root_str, context.session_id, count)
    _write_marker(marker, -1, count)


def _read_marker(path: str) -> tuple[int, int]:
    try:
        with open(path, encoding="ascii") as handle:
            offset, count = handle.read().split()
        return int(offset), int(count)
    except (OSError, ValueError):
        return 0, 0


def _write_marker(path: str, offset: int, count: int) -> None:
    try:
        os.makedirs(os.path.dirname(path), exist_ok=True)
        tmp = f"{path}.{os.getpid()}.tmp"
        with open(tmp, "w", encoding="ascii") as handle:
            handle.write(f"{offset} {count}\n")
        os.replace(tmp, path)
    except OSError:
        pass  # a read-only checkout: the next Stop counts again


def _threshold(root: str) -> int:
    """`improve.stop_hook_tool_errors`, from the hooks' settings snapshot."""
    from agentops_os.base.snapshot import settings

    return int(settings(root).get("improve.stop_hook_tool_errors", 0))  # a malformed file: logged


def _export_live(context: HookContext) -> None:
    """`otel.export_live` (default off): start `ao export otel --session ID --live` in its
    own process group, stdin and stdout closed, errors to `.agents/.index/otel-export.log`,
    and return at once (the same way `hooks/session_end.py` starts the session-end
    export). That process sends what is new since the session's last export."""
    session = context.payload.get("session_id")
    if not isinstance(session, str) or not session or not _live_export_on(context.root_str):
        return
    import subprocess
    import sys

    log_dir = index_path(context.root_str)
    os.makedirs(log_dir, exist_ok=True)
    with open(os.path.join(log_dir, "otel-export.log"), "ab") as log:
        command = [sys.executable, "-m", "agentops_os", "export", "otel", "--session", session, "--live"]
        subprocess.Popen(command, cwd=context.root_str, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                         stderr=log, start_new_session=True)


def _live_export_on(root: str) -> bool:
    """`otel.export_live`, from the hooks' settings snapshot; a malformed agentops.toml
    starts nothing (the hook entry logs it)."""
    from agentops_os.base.snapshot import settings
    from agentops_os.errors import FatalError

    try:
        return settings(root).get("otel.export_live") is True
    except FatalError:
        return False


def _add_item(root: str, session: str, count: int) -> None:
    from pathlib import Path

    from agentops_os.config import load_config
    from agentops_os.improve import backlog, signals
    from agentops_os.improve.model import Occurrence
    from agentops_os.improve.settings import Settings
    from agentops_os.store import Store

    settings = Settings.of(load_config(Path(root)))
    threshold = settings.tool_error_threshold
    seen = Occurrence(ref=f"session:{session}", cost=count * settings.cost("tool_error"),
                      at=backlog.now_iso(), detail=f"{count} tool errors so far (counted by the Stop hook)")
    goal = signals.GOALS["tools"].format(threshold=threshold)
    signal = signals.Signal("tools:errors", "tools", "", goal, [seen])
    signals.retitle(signal)
    backlog.observe(Store.open(Path(root)), signal, settings.evidence_kept)
