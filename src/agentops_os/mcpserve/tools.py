"""The eight tools `ao mcp serve` offers, as plain functions of a repository.

Each runs the `ao` command a user would run (`--json`), so an agent reaching ao through
MCP gets exactly the CLI's behaviour: its redaction before anything is stored, its config,
its errors. Answers are short on purpose: `search` gives ids and one line each, `fetch`
gives one whole item. Everything returned is passed through the repo's redaction step,
since an answer lands in the agent's context and from there in its transcript. The
learnings `search` and `prime` serve and the agents `route` picks are recorded with
`by: mcp` (docs/report.md). No `mcp` import here: the SDK is only needed by `server.py`.
"""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path
from typing import Any

import orjson

from agentops_os import procs
from agentops_os.knowledge.retrievals import CALLER_ENV

MAX_ANSWER_CHARS = 12_000  # one answer stays well inside an agent's context budget
_SHA = re.compile(r"^[0-9a-f]{7,40}$")
_LEARNING = re.compile(r"^l-[0-9a-f]{6,}$")


class ToolError(Exception):
    """The command failed; the message is its one-line error, shown to the agent."""


class AoTools:
    def __init__(self, root: Path, timeout: float = 300.0) -> None:
        self.root = root
        self.timeout = timeout

    # -- the tools ----------------------------------------------------------------------

    def search(self, query: str, limit: int = 5) -> str:
        data = self._json("search", query, "--limit", str(max(1, min(limit, 50))))
        hits = data.get("hits") or []
        if not hits:
            return "no matches"
        lines = [f"{h.get('sha', '')[:12] if h.get('sha') else h.get('id')}  {h.get('type')}  "
                 f"{(h.get('date') or '')[:10]}  {h.get('title', '')[:100]}" for h in hits]
        lines.append("fetch(id) returns one whole item.")
        return self._clean("\n".join(lines))

    def fetch(self, item: str) -> str:
        item = item.strip()
        if _LEARNING.match(item):
            return self._clean(self._text("learn", "show", item))
        if _SHA.match(item):
            return self._clean(self._git("show", "--stat", "--format=commit %H%nAuthor: %an%nDate: %aI%n%n%B",
                                         item))
        path = (self.root / item).resolve()
        if not path.is_relative_to(self.root) or not path.is_file():
            raise ToolError(f"{item!r}: not a learning id, commit SHA or file of this repository")
        return self._clean(path.read_text(encoding="utf-8", errors="replace"))

    def prime(self, task: str) -> str:
        return self._clean(self._text("prime", task))

    def learn_add(self, title: str, body: str = "", tags: list[str] | None = None) -> str:
        args = ["learn", "add", title]
        if body:
            args += ["--body", body]
        for tag in tags or []:
            args += ["--tag", tag]
        data = self._json(*args)
        return self._clean(f"{data.get('action', 'added')} {data.get('id')} ({data.get('path')})")

    def handoff_save(self, goal: str = "") -> str:
        data = self._json("handoff", "save", *(["--goal", goal] if goal else []))
        return self._clean(f"handoff written: {data.get('path') or data.get('id')}")

    def route(self, task: str) -> str:
        data = self._json("route", task)
        if data.get("abstained"):
            return self._clean(f"no good match ({data.get('reason')})")
        best = ", ".join(f"{m['name']} {m['score']:.2f}" for m in (data.get("matches") or [])[:3])
        return self._clean(f"{data.get('agent')} ({best})")

    def usage_summary(self, since: str = "") -> str:
        data = self._json("usage", "daily", *(["--since", since] if since else []))
        t = data.get("totals") or {}
        line = (f"{t.get('total_tokens', 0):,} tokens ({t.get('input_tokens', 0):,} in, "
                f"{t.get('output_tokens', 0):,} out, {t.get('cache_read_tokens', 0):,} cache read, "
                f"{t.get('cache_creation_tokens', 0):,} cache write), ${t.get('cost_usd', 0):.2f}, "
                f"{t.get('requests', 0)} requests over {len(data.get('daily') or [])} day(s)")
        if data.get("cost_partial"):
            line += f"; cost is partial: no price for {', '.join(data.get('unpriced_models') or [])}"
        return self._clean(line)

    def gate_run(self, name: str = "quick") -> str:
        data = self._json("gate", "run", name, ok_codes=(0, 1))
        checks = data.get("checks") or data.get("results") or []
        lines = [f"gate {name}: {'passed' if data.get('passed', data.get('ok')) else 'FAILED'}"]
        for check in checks:
            state = check.get("status") or ("pass" if check.get("ok", check.get("passed")) else "fail")
            lines.append(f"  {check.get('name', '?')}: {state}")
        return self._clean("\n".join(lines))

    # -- running ao -------------------------------------------------------------------

    def _run(self, args: list[str], ok_codes: tuple[int, ...] = (0,)) -> str:
        # The learnings `search` and `prime` serve, and the `route` decisions, are recorded
        # as served through MCP (agentops_os.knowledge.retrievals).
        proc = procs.run(args, cwd=self.root, timeout=self.timeout, env={**os.environ, CALLER_ENV: "mcp"})
        if proc.timed_out:
            raise ToolError(f"`{' '.join(args[2:4])}` took longer than {self.timeout:.0f}s")
        if proc.returncode not in ok_codes:
            message = (proc.stderr.strip().splitlines() or [f"exit {proc.returncode}"])[-1]
            raise ToolError(self._clean(message))
        return proc.stdout

    def _text(self, *args: str) -> str:
        return self._run([sys.executable, "-m", "agentops_os", *args])

    def _json(self, *args: str, ok_codes: tuple[int, ...] = (0,)) -> dict[str, Any]:
        out = self._run([sys.executable, "-m", "agentops_os", *args, "--json"], ok_codes)
        try:
            data = orjson.loads(out)
        except orjson.JSONDecodeError as exc:
            raise ToolError(f"`ao {args[0]}` printed no JSON") from exc
        return data if isinstance(data, dict) else {"items": data}

    def _git(self, *args: str) -> str:
        return self._run(["git", *args])

    def _clean(self, text: str) -> str:
        from agentops_os.store.redact import redactor_for

        text = redactor_for(self.root).text(text)
        if len(text) > MAX_ANSWER_CHARS:
            text = text[:MAX_ANSWER_CHARS] + f"\n... ({len(text) - MAX_ANSWER_CHARS} more characters)"
        return text
