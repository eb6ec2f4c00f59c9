"""The `api` runtime: a model behind an HTTP API, with ao's own small tool loop.

For teams that call a model directly (Anthropic, an OpenAI-compatible endpoint, or a local
model server) instead of through Claude Code or Codex. Every tool call goes through the
same guard as a hook does (`api_tools`). The session is written as a transcript in Claude
Code's JSONL format under ao's data directory (never into the user's Claude Code folder,
whose `/resume` list it would clutter), so the ledger reads it like any other session.
"""

from __future__ import annotations

import json
import os
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path
from typing import Any

from agentops_os.runtimes import events as ev
from agentops_os.runtimes.api_tools import ToolBox
from agentops_os.runtimes.api_wires import WIRES, Exchange, Turn, Wire, sse
from agentops_os.runtimes.tracker import Price, Tracker

VERSION = "ao-api"
REQUEST_TIMEOUT_S = 600


def transcripts_dir(env: dict[str, str]) -> Path:
    base = env.get("XDG_DATA_HOME") or str(Path(env.get("HOME") or Path.home()) / ".local" / "share")
    return Path(base) / "agentops" / "transcripts"


class ApiRuntime:
    name = "api"

    def __init__(self, wire: str, base_url: str, key_env: str, model: str, *, max_tokens: int = 8192,
                 max_turns: int = 40, window: int = 200_000, price: Price | None = None) -> None:
        if wire not in WIRES:
            from agentops_os.errors import FatalError

            raise FatalError(f"runtimes.api.wire {wire!r}: expected one of {', '.join(WIRES)}")
        self.wire: Wire = WIRES[wire]()
        self.base_url = base_url.rstrip("/")
        self.key_env = key_env
        self.model = model
        self.max_tokens = max_tokens
        self.max_turns = max_turns
        self.window = window
        self.price = price
        self.on_spawn: Any = None  # no child process: nothing for a supervisor to record

    @classmethod
    def from_config(cls, config: Any, *, price: Price | None = None) -> ApiRuntime:
        model = str(config.get("runtimes.api.model"))
        return cls(str(config.get("runtimes.api.wire")), str(config.get("runtimes.api.base_url")),
                   str(config.get("runtimes.api.key_env")), model,
                   max_tokens=int(config.get("runtimes.api.max_tokens")),
                   max_turns=int(config.get("runtimes.api.max_turns")), window=config.window_for(model),
                   price=price)

    def run(self, prompt: str, cwd: Path, env: dict[str, str] | None = None,
            options: ev.RunOptions | None = None, listener: ev.Listener | None = None) -> ev.RunResult:
        options = options or ev.RunOptions()
        full_env = {**os.environ, **(env or {})}
        model = options.model or self.model
        tracker = Tracker(self.name, options, options.context_window or self.window, listener, self.price)
        started = time.monotonic()
        session = options.session_id or str(uuid.uuid4())
        transcript = Transcript(transcripts_dir(full_env), cwd, session, model)
        key = full_env.get(self.key_env, "") if self.key_env else ""
        if self.key_env and not key:
            tracker(ev.Failed(f"no API key: set {self.key_env} (runtimes.api.key_env names the variable)"))
            return self._finish(tracker, started, options, transcript, returncode=None)
        tools = ToolBox(cwd, session, transcript.path, full_env, options.allowed_tools)
        tracker(ev.Started(session, model, str(cwd)))
        transcript.user(prompt)
        history: list[Exchange] = []
        for _ in range(self.max_turns):
            if options.cancel.is_set() or self._timed_out(started, options):
                break
            try:
                turn = self._request(model, options.append_system_prompt, prompt, history, tools, key,
                                     options)
            except _Cancelled:
                break
            except WireFailure as exc:
                tracker(ev.Failed(str(exc)))
                break
            tracker(ev.UsageReport(turn.usage, turn.model or model, turn.id))
            if turn.text:
                tracker(ev.Text(turn.text))
            transcript.assistant(turn)
            if turn.error:
                tracker(ev.Failed(f"model error: {turn.error}"))
                break
            if not turn.calls:
                tracker(ev.Finished(turn.text))
                break
            results = []
            for call in turn.calls:
                tracker(ev.ToolCall(call.id, call.name, call.input))
                output, failed = tools.call(call.name, call.input)
                tracker(ev.ToolResult(call.id, failed, output))
                results.append((call.id, output, failed))
            transcript.tool_results(results)
            history.append(Exchange(turn, results))
        else:
            tracker(ev.Failed(f"stopped after {self.max_turns} turns (runtimes.api.max_turns)"))
        return self._finish(tracker, started, options, transcript, returncode=0)

    def _timed_out(self, started: float, options: ev.RunOptions) -> bool:
        return bool(options.timeout) and time.monotonic() - started > options.timeout

    def _finish(self, tracker: Tracker, started: float, options: ev.RunOptions, transcript: Transcript,
                returncode: int | None) -> ev.RunResult:
        timed_out = self._timed_out(started, options)
        result = tracker.finish(returncode=returncode, timed_out=timed_out,
                                cancelled=options.cancel.is_set() and not timed_out, stderr_tail="",
                                duration_s=time.monotonic() - started,
                                describe_failure=lambda failure, code: failure or "the model gave no answer")
        result.transcript = str(transcript.path) if transcript.path.is_file() else ""
        return result

    def _request(self, model: str, system: str, prompt: str, history: list[Exchange], tools: ToolBox,
                 key: str, options: ev.RunOptions) -> Turn:
        body = self.wire.body(model, system, prompt, history, tools.schemas(), self.max_tokens)
        request = urllib.request.Request(
            self.base_url + self.wire.path, data=json.dumps(body).encode("utf-8"), method="POST",
            headers={"content-type": "application/json", "accept": "text/event-stream",
                     **self.wire.headers(key)})
        try:
            with urllib.request.urlopen(request, timeout=REQUEST_TIMEOUT_S) as response:  # noqa: S310
                return self.wire.read(sse(_until_cancelled(response, options.cancel)))
        except urllib.error.HTTPError as exc:
            raise WireFailure(_http_error(exc, self.key_env)) from None
        except (TimeoutError, urllib.error.URLError, ConnectionError) as exc:
            reason = getattr(exc, "reason", exc)
            raise WireFailure(f"cannot reach {self.base_url}: {reason}") from None


class WireFailure(Exception):
    pass


class _Cancelled(Exception):
    pass


def _until_cancelled(response: Any, cancel: ev.Cancel) -> Any:
    for line in response:
        if cancel.is_set():
            raise _Cancelled
        yield line


def _http_error(exc: urllib.error.HTTPError, key_env: str) -> str:
    try:
        detail = exc.read().decode("utf-8", "replace")
        message = json.loads(detail).get("error", {})
        detail = str(message.get("message") if isinstance(message, dict) else message) or detail
    except (ValueError, OSError, AttributeError):
        detail = ""
    detail = " ".join(detail.split())[:200]
    if exc.code in (401, 403):
        return f"authentication failed (HTTP {exc.code}): check {key_env or 'the API key'}" + \
            (f": {detail}" if detail else "")
    return f"HTTP {exc.code} from the model API" + (f": {detail}" if detail else "")


class Transcript:
    """Claude Code's transcript records, so that ingest, tail and forge read api sessions."""

    def __init__(self, base: Path, cwd: Path, session: str, model: str) -> None:
        from agentops_os.transcripts.locate import claude_project_slug

        self.path = base / "projects" / claude_project_slug(cwd.resolve()) / f"{session}.jsonl"
        self.cwd = cwd
        self.session = session
        self.model = model
        self.parent: str | None = None

    def _write(self, record: dict[str, Any]) -> None:
        ident = str(uuid.uuid4())
        line = {"parentUuid": self.parent, "isSidechain": False, "type": record["type"],
                "cwd": str(self.cwd), "sessionId": self.session, "version": VERSION, "uuid": ident,
                "timestamp": time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime()) + "Z", **record}
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with open(self.path, "a", encoding="utf-8") as handle:
            handle.write(json.dumps(line) + "\n")
        self.parent = ident

    def user(self, text: str) -> None:
        self._write({"type": "user", "message": {"role": "user", "content": text}})

    def assistant(self, turn: Turn) -> None:
        content: list[dict[str, Any]] = [{"type": "text", "text": turn.text}] if turn.text else []
        content += [{"type": "tool_use", "id": c.id, "name": c.name, "input": c.input} for c in turn.calls]
        usage = {"input_tokens": turn.usage.input, "output_tokens": turn.usage.output,
                 "cache_read_input_tokens": turn.usage.cache_read,
                 "cache_creation_input_tokens": turn.usage.cache_write}
        self._write({"type": "assistant", "requestId": turn.id or str(uuid.uuid4()),
                     "message": {"id": turn.id or f"msg_{uuid.uuid4().hex[:16]}", "type": "message",
                                 "role": "assistant", "model": turn.model or self.model, "content": content,
                                 "stop_reason": turn.stop, "usage": usage}})

    def tool_results(self, results: list[tuple[str, str, bool]]) -> None:
        content = [{"type": "tool_result", "tool_use_id": i, "content": out, "is_error": err}
                   for i, out, err in results]
        self._write({"type": "user", "message": {"role": "user", "content": content}})
