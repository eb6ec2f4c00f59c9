"""Stop: add a backlog item (`ao improve`) once a session has many tool errors.

Runs at the end of every agent turn, so the common path is a marker read and the new
bytes of the transcript: a per-session marker in `.agents/.index/improve-stop/` keeps the
offset read so far and the count of tool results marked `"is_error":true` (Claude
Code's compact JSON). When the count reaches `improve.stop_hook_tool_errors` the item
for the tool-error cause is created or extended through `improve.backlog.observe`
(imported only then), once per session. A later `ao improve scan` replaces the hook's
count with the session summary's exact one. Imports only `os` here.
"""

from __future__ import annotations

import os

from agentops_os.base.layout import index_path
from agentops_os.hooks.protocol import HookContext, HookResult

_NEEDLE = b'"is_error":true'
_SAFE = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.")


def handle(context: HookContext) -> HookResult | None:
    transcript = context.payload.get("transcript_path")
    if not isinstance(transcript, str) or not transcript:
        return None
    session = "".join(c if c in _SAFE else "-" for c in context.session_id)[:120] or "unknown"
    marker = index_path(context.root_str, "improve-stop", session)
    offset, count = _read_marker(marker)
    if offset < 0:
        return None  # already reported for this session
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
        return None
    threshold = _threshold(context.root_str)
    if threshold <= 0 or count < threshold:
        _write_marker(marker, end, count)
        return None
    _add_item(context.root_str, context.session_id, count)
    _write_marker(marker, -1, count)
    return None


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
    """`improve.stop_hook_tool_errors`; agentops.toml is parsed only when it mentions
    `improve` outside comments (most files do not: then the default is all we need)."""
    from agentops_os.improve.config_defaults import DEFAULTS

    default = int(DEFAULTS["improve"]["stop_hook_tool_errors"])
    try:
        with open(os.path.join(root, "agentops.toml"), encoding="utf-8") as handle:
            mentions = any("improve" in line.split("#", 1)[0] for line in handle)
    except (OSError, UnicodeDecodeError):
        return default
    if not mentions:
        return default
    from pathlib import Path

    from agentops_os.config import load_config
    from agentops_os.improve.settings import Settings

    return Settings.of(load_config(Path(root))).stop_hook_tool_errors  # a bad value: logged


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
