"""The app-server client against a peer that speaks JSON-RPC over stdio.

The peer is a small Python script standing in for `codex app-server` (the real one is
exercised by tests/e2e/test_codex.py); it controls exactly how the bytes arrive, which
is what these tests are about.
"""

from __future__ import annotations

import sys
import textwrap
from pathlib import Path

import pytest

from agentops_os.setup import codex

PEER = """\
import json, sys
for raw in sys.stdin:
    msg = json.loads(raw)
    if "id" not in msg:
        continue
    if msg["method"] == "initialize":
        out = {"id": msg["id"], "result": {}}
        sys.stdout.write(json.dumps(out) + "\\n")
    elif msg["method"] == "hooks/list":
        MODE
    sys.stdout.flush()
"""

TOGETHER = """\
note = {"method": "configWarning", "params": {"summary": "x"}}
answer = {"id": msg["id"], "result": {"data": [{"hooks": [{"key": "k", "eventName": "Stop",
          "command": "ao hook stop", "trustStatus": "untrusted", "currentHash": "h",
          "sourcePath": "/nowhere"}]}]}}
sys.stdout.write(json.dumps(note) + "\\n" + json.dumps(answer) + "\\n")"""


def _peer(tmp_path: Path, mode: str) -> str:
    script = tmp_path / "peer.py"
    script.write_text(PEER.replace("MODE", textwrap.indent(mode, " " * 8).lstrip()))
    program = tmp_path / "codex"
    program.write_text(f"#!/bin/sh\nexec {sys.executable} {script}\n")
    program.chmod(0o755)
    return str(program)


def test_an_answer_that_arrives_with_a_notification_in_one_write_is_read(tmp_path: Path) -> None:
    program = _peer(tmp_path, TOGETHER)
    hooks = codex.list_hooks(tmp_path, codex=program)
    assert [(h.event, h.status, h.ours) for h in hooks] == [("Stop", "untrusted", False)]


def test_a_peer_that_exits_mid_request_is_a_one_line_error(tmp_path: Path) -> None:
    program = _peer(tmp_path, "sys.exit(0)")
    with pytest.raises(codex.CodexUnavailable, match="exited during hooks/list"):
        codex.list_hooks(tmp_path, codex=program)


def test_a_peer_that_never_answers_times_out(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(codex, "APP_SERVER_TIMEOUT_S", 1.0)
    program = _peer(tmp_path, "pass")
    with pytest.raises(codex.CodexUnavailable, match="did not answer hooks/list within 1 s"):
        codex.list_hooks(tmp_path, codex=program)
