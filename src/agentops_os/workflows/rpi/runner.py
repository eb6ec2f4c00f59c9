"""The RPI state machine: which phase runs next, what it gets, and what it leaves on disk.

Every step is written before the next begins (`state.json`, one event file per step), so
a runner killed at any point resumes from disk: a phase that was running is run again
from its start in a fresh context, and a finished phase is never run again. Validation
failures send the run back to implement with the failures (bounded by `rpi.max_attempts`);
once validation passed, progress only moves forward.
"""

from __future__ import annotations

import contextlib
import os
import re
import signal
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from agentops_os import git
from agentops_os.config import Config, load_config
from agentops_os.errors import FatalError
from agentops_os.runtimes import events as ev
from agentops_os.runtimes import make as make_runtime
from agentops_os.workflows import runs, strays, worktree
from agentops_os.workflows.rpi import prompts
from agentops_os.workflows.rpi.records import (
    CANCELLED,
    DONE,
    FAILED,
    PHASES,
    STOPPED,
    WAITING,
    Asker,
    Reporter,
    Settings,
    cited_files,
    cleanup_worktree,
    commit_message,
    document,
    user_name,
)


class _Stop(Exception):
    """Ends `drive`: the run reached a status other than running."""

    def __init__(self, status: str, message: str = "") -> None:
        super().__init__(message)
        self.status = status


class Runner:
    def __init__(self, root: Path, run: runs.RunDir, state: dict[str, Any], *,
                 report: Reporter | None, ask: Asker | None) -> None:
        self.root = root
        self.run = run
        self.state = state
        self.report = report or (lambda line: None)
        self.ask = ask
        self.config: Config = load_config(root)
        settings = state["settings"]
        self.settings = Settings(**{k: v for k, v in settings.items() if k in Settings.__dataclass_fields__})
        self.runtime = make_runtime(self.settings.runtime, self.config, script=self.settings.script)
        self.cancel = ev.Cancel()  # the run's: set by a signal, checked between steps
        self.call_cancel = ev.Cancel()  # the current agent call's: also set by its live budget
        self._packet: str | None = None

    # -- the loop -------------------------------------------------------------------------
    def drive(self) -> dict[str, Any]:
        self.run.write_lock(runner_pid=os.getpid(), agent_pgid=0, cancel_requested=False)
        try:
            with self._signals():
                while True:
                    phase = next((p for p in PHASES if self.state["phases"][p]["status"] != "done"), None)
                    if phase is None:
                        self._finish(DONE)
                        break
                    self._check_cancel()
                    self.state["phase"] = phase
                    self._mark(phase, "running")
                    self.report(f"{phase}: started")
                    getattr(self, f"_{phase}")()
        except _Stop as stop:
            self._finish(stop.status, str(stop))
        except FatalError as exc:  # git, a gate config, a store write: the run fails, resumably
            self._finish(FAILED, f"{self.state['phase']}: {exc}")
        except Exception as exc:
            self._finish(FAILED, f"{self.state['phase']}: internal error: {type(exc).__name__}: {exc}")
            raise
        finally:
            self.run.clear_lock()
        return self.state

    @contextlib.contextmanager
    def _signals(self) -> Iterator[None]:
        def on_signal(signum: int, frame: Any) -> None:
            reason = "cancelled by signal " + signal.Signals(signum).name
            self.cancel.set(reason)
            self.call_cancel.set(reason)

        old = {sig: signal.signal(sig, on_signal) for sig in (signal.SIGTERM, signal.SIGINT)}
        try:
            yield
        finally:
            for sig, handler in old.items():
                signal.signal(sig, handler)

    def _check_cancel(self) -> None:
        if self.cancel.is_set() or self.run.read_lock().get("cancel_requested"):
            raise _Stop(CANCELLED, self.cancel.reason or "cancelled by `ao rpi cancel`")

    def _mark(self, phase: str, status: str, **data: Any) -> None:
        self.state["phases"][phase].update(status=status, **data)
        self.run.save(self.state)
        self.run.event(f"phase.{status}", phase=phase, **data)

    def _finish(self, status: str, message: str = "") -> None:
        self.state["status"] = status
        self.state["error"] = message if status != DONE else ""
        for phase in PHASES:
            if self.state["phases"][phase]["status"] == "running":
                self.state["phases"][phase]["status"] = "pending"
        self.run.save(self.state)
        self.run.event(f"run.{status}", error=message)
        if status != WAITING:
            cleanup_worktree(self.root, self.run, self.state)
        self.report(f"run {self.run.id}: {status}" + (f": {message}" if message and status != DONE else ""))

    # -- agent calls ------------------------------------------------------------------------
    def _call(self, phase: str, prompt: str, cwd: Path) -> ev.RunResult:
        self._check_cancel()
        spent = float(self.state["cost_usd"])
        limit = self.settings.max_cost_usd
        if limit and spent >= limit:
            raise _Stop(STOPPED, f"cost limit reached before {phase}: ${spent:.4f} of ${limit:.4f}")
        attempts = self.state["attempts"]
        attempts[phase] = attempt = int(attempts.get(phase, 0)) + 1
        number = len(self.state["calls"]) + 1
        folder = f"calls/{number:03d}-{phase}"
        self.run.save(self.state)  # a killed attempt still counts: resume starts the next one
        self.run.write_text(f"{folder}/prompt.md", prompt)
        session = str(uuid.uuid4())
        options = ev.RunOptions(
            model=self.settings.model, session_id=session, timeout=self.settings.timeout
            or float(self.config.get("runtimes.timeout_seconds")),
            allowed_tools=tuple(self.config.get(f"rpi.tools.{phase}", ())),
            context_limit=self.settings.context_limit, max_cost_usd=max(0.0, limit - spent) if limit else 0.0,
            cancel=self._fresh_call_cancel())
        env = {"AO_RUN_ID": self.run.id, "AO_RUN_PHASE": phase, "AO_RUN_ATTEMPT": str(attempt)}
        self.runtime.on_spawn = lambda pgid: self.run.write_lock(agent_pgid=pgid)
        self.run.event("agent.started", phase=phase, attempt=attempt, runtime=self.runtime.name, call=number)
        try:
            result = self.runtime.run(prompt, cwd, env, options, self._listener(phase))
        finally:
            # the agent's group is gone; hooks and daemons it started in sessions of their own
            # may not be, and would write into the worktree after a cancel removes it
            strays.stop(env)
        self.run.write_lock(agent_pgid=0)
        record = {**result.to_dict(), "run": self.run.id, "phase": phase, "attempt": attempt}
        self.run.write_text(f"{folder}/output.md", result.text + "\n" if result.text else "")
        self.run.write_json(f"{folder}/result", record)
        self.state["cost_usd"] = round(spent + float(result.cost_usd or 0.0), 6)
        self.state["tokens"] = int(self.state["tokens"]) + result.usage.total
        self.state["calls"].append({
            "call": number, "phase": phase, "attempt": attempt, "status": result.status,
            "session_id": result.session_id, "cost_usd": result.cost_usd, "tokens": result.usage.total,
            "peak_fraction": round(result.peak_fraction, 4), "duration_s": result.duration_s,
            "transcript": result.transcript, "folder": folder})
        self.run.save(self.state)
        self.run.event("agent.finished", phase=phase, attempt=attempt, status=result.status,
                       error=result.error, session_id=result.session_id)
        self._record_session(phase, attempt, result)
        self.report(f"{phase}: {result.status} ({result.usage.total:,} tokens, context peak "
                    f"{result.peak_fraction:.0%}, {result.duration_s:.1f} s)"
                    + (f": {result.error}" if result.error else ""))
        return result

    def _fresh_call_cancel(self) -> ev.Cancel:
        self.call_cancel = ev.Cancel()
        if self.cancel.is_set():
            self.call_cancel.set(self.cancel.reason)
        return self.call_cancel

    def _listener(self, phase: str) -> ev.Listener:
        def listen(event: ev.Event) -> None:
            if isinstance(event, ev.ToolCall):
                shown = event.input.get("command") or event.input.get("file_path") \
                    if isinstance(event.input, dict) else None
                self.report(f"  {phase}: {event.name}" + (f" {str(shown)[:80]}" if shown else ""))
            elif isinstance(event, ev.ToolResult) and event.is_error:
                self.report(f"  {phase}: tool error: {' '.join(event.text.split())[:100]}")
        return listen

    def _record_session(self, phase: str, attempt: int, result: ev.RunResult) -> None:
        """Tag the session with run and phase, and read its transcript into the ledger."""
        from agentops_os.sessions import tags

        if not result.session_id:
            return
        tags.write(self.run.store, result.session_id, run=self.run.id, workflow="rpi", phase=phase,
                   attempt=attempt, runtime=result.runtime, status=result.status,
                   context_peak=result.context_peak, context_window=result.context_window,
                   limit=self.settings.context_limit)
        if result.transcript:
            from agentops_os.sessions.service import ingest, open_ledger

            try:
                ledger = open_ledger(self.root)
                try:
                    ingest(ledger, paths=[Path(result.transcript)])
                finally:
                    ledger.close()
            except FatalError as exc:  # the run goes on; the ledger can catch up later
                self.run.event("ledger.ingest_failed", error=str(exc))

    def _agent_phase(self, phase: str, values: dict[str, str], cwd: Path) -> ev.RunResult:
        """One agent phase, restarted fresh from a handoff whenever it hits the context limit."""
        restarts = 0
        handoff = ""
        while True:
            prompt, _ = prompts.build(self.root, phase, {**values, "handoff": handoff, "run": self.run.id})
            result = self._call(phase, prompt, cwd)
            if result.status == ev.BUDGET and result.error.startswith("context limit"):
                if restarts >= int(self.config.get("rpi.budget_restarts")):
                    raise _Stop(STOPPED,
                                f"{phase} hit the context limit {restarts + 1} times: {result.error}")
                restarts += 1
                handoff = self._context_handoff(phase, result)
                self.run.event("phase.restarted", phase=phase, reason=result.error, restart=restarts)
                self.report(f"{phase}: context limit reached; handoff saved, starting fresh")
                continue
            if result.status == ev.BUDGET:
                raise _Stop(STOPPED, result.error)
            if result.status == ev.CANCELLED:
                raise _Stop(CANCELLED, result.error)
            if not result.ok:
                raise _Stop(FAILED, f"{phase}: {result.error or result.status}")
            return result

    def _context_handoff(self, phase: str, result: ev.RunResult) -> str:
        from agentops_os.context import handoff as handoffs

        transcript = Path(result.transcript) if result.transcript else None
        note = handoffs.build(self.root, transcript, trigger="rpi-context-limit",
                              session_id=result.session_id, goal=self.state["goal"])
        note.state = f"{phase} of run {self.run.id} stopped at the context limit ({result.error})."
        path = handoffs.save(self.root, note)
        self.run.event("handoff.saved", phase=phase, path=str(path.relative_to(self.root)))
        return ("## Handoff from the previous attempt (it ran out of context)\n\n"
                "Continue from here; do not redo what is listed as done.\n\n" + note.body())

    # -- phases -------------------------------------------------------------------------------
    def _context(self) -> str:
        """The `ao prime` packet for the goal, built once per runner (research and plan
        both start from it)."""
        if self._packet is None:
            from agentops_os.context import prime

            budget = prime.default_budget(self.config, self.settings.model or None)
            self._packet = prime.build(self.root, self.state["goal"], budget).text
        return self._packet

    def _bundle(self, text: str) -> str:
        """The previous phase's output as the next phase gets it: whole when short,
        compressed (a bundle, as `ao bundle` makes) when long."""
        from agentops_os.context.compress import compress
        from agentops_os.context.tokens import estimate_tokens

        if estimate_tokens(text) <= int(self.config.get("rpi.bundle_above_tokens")):
            return text
        return compress(text, float(self.config.get("rpi.bundle_ratio")))

    def _research(self) -> None:
        result = self._agent_phase("research", {"goal": self.state["goal"], "context": self._context()},
                                   self.root)
        cites = cited_files(self.root, result.text)
        text = document("Research", self.state, result.text, cites=cites)
        self.run.write_text("research.md", text)
        self._mark("research", "done", output=f"{self.run.rel}/research.md", cites=cites)

    def _plan(self) -> None:
        research = self._bundle(self.run.read_text("research.md"))
        result = self._agent_phase("plan", {"goal": self.state["goal"], "context": self._context(),
                                            "research": research}, self.root)
        missing = [s for s in ("Steps", "Files in scope", "Tests to add", "Checklist")
                   if not re.search(rf"^#+\s*{s}\b", result.text, re.IGNORECASE | re.MULTILINE)]
        self.run.write_text("plan.md", document("Plan", self.state, result.text))
        if missing:
            self.run.event("plan.incomplete", missing=missing)
            self.report(f"plan: missing sections: {', '.join(missing)}")
        self._mark("plan", "done", output=f"{self.run.rel}/plan.md", missing=missing)

    def _approve(self) -> None:
        from agentops_os.approvals import core as approvals

        plan = self.run.path / "plan.md"
        if self.settings.approve == "auto":
            self._mark("approve", "done", decision="skipped (--approve auto)")
            return
        sha = approvals.content_hash(self.root, str(plan.relative_to(self.root)))
        ok, message = approvals.check(self.root, "plan", str(plan))
        if ok:
            self._mark("approve", "done", decision=message)
            return
        mine = [a for a in approvals.approvals(self.root).values()
                if a.kind == "plan" and a.sha256 == sha and a.path == str(plan.relative_to(self.root))]
        if any(a.status == "denied" for a in mine):
            raise _Stop(FAILED, f"plan denied: {message}")
        pending = next((a for a in mine if a.status == "pending"), None)
        if pending is None:
            pending = approvals.request(self.root, "plan", str(plan), by="ao rpi",
                                        comment=f"run {self.run.id}: {self.state['goal'][:80]}")
            self.run.event("approval.requested", id=pending.id, sha256=sha)
        self.state["approval"] = pending.id
        self.run.save(self.state)
        if self.ask is not None:
            granted = self.ask(str(plan.relative_to(self.root)), plan.read_text(encoding="utf-8"))
            decided = approvals.decide(self.root, pending.id, granted, by=user_name(),
                                       comment="ao rpi prompt")
            if decided.status != "granted":
                raise _Stop(FAILED, f"plan denied ({pending.id})")
            self._mark("approve", "done", decision=f"granted at the prompt ({pending.id})")
            return
        raise _Stop(WAITING, f"plan awaits approval: `ao approve grant {pending.id}` (or deny), "
                             f"then `ao rpi resume {self.run.id}`")

    def _worktree(self) -> Path:
        repo = self.state["repo"]
        if not repo["branch"]:
            repo["branch"] = str(self.config.get("rpi.branch_prefix")) + self.run.id.removeprefix("rpi-")
        path = worktree.create(self.root, self.run.id, repo["branch"], repo["base_commit"])
        repo["worktree"] = str(path)
        self.run.save(self.state)
        return path

    def _implement(self) -> None:
        tree = self._worktree()
        failures = self.state["failures"]
        values = {"goal": self.state["goal"], "plan": self.run.read_text("plan.md"),
                  "branch": self.state["repo"]["branch"],
                  "failures": ("## Validation failed on the previous attempt\n\nFix these:\n\n" + failures)
                  if failures else ""}
        result = self._agent_phase("implement", values, tree)
        sha = worktree.commit_all(tree, commit_message(self.state, result.text, worktree.diff_stat(
            tree, "HEAD") or "see the run's validation"))
        commits = worktree.commits_since(tree, self.state["repo"]["base_commit"])
        self._mark("implement", "done", commit=sha or "", commits=len(commits),
                   attempt=self.state["attempts"].get("implement", 1))

    def _validate(self) -> None:
        tree = Path(self.state["repo"]["worktree"]) if self.state["repo"]["worktree"] else self._worktree()
        base = self.state["repo"]["base_commit"]
        problems: list[str] = []
        verdict: dict[str, Any] = {}
        if not worktree.commits_since(tree, base):
            problems.append("implement changed nothing: the plan's steps are not in the branch")
        gate = self._gate(tree)
        verdict["gate"] = gate
        if gate.get("failed"):
            problems.extend(gate["failed"])
        findings = self._diff_check(tree, base)
        verdict["diff_check"] = findings
        problems.extend(f"ao check diff: {f}" for f in findings["blocking"])
        if problems:
            self._validation_failed(problems, verdict)
            return
        self.state["failures"] = ""
        self._mark("validate", "done", **verdict, diff_stat=worktree.diff_stat(tree, base))
        self._deliver(tree)

    def _gate(self, tree: Path) -> dict[str, Any]:
        from agentops_os.gates.config import load_gates
        from agentops_os.gates.runner import run_gate

        name = str(self.config.get("rpi.gate"))
        gates = load_gates(load_config(tree))
        if not gates.sets.get(name):
            return {"set": name, "skipped": f"gate set {name!r} has no checks"}
        result = run_gate(tree, gates, name)
        failed = [f"gate {name} / {c.name}: {c.status}"
                  + (f"\n{c.output.strip()[-1500:]}" if c.output else "")
                  for c in result.checks if c.status not in ("pass", "skip")]
        return {"set": name, "passed": result.passed, "failed": failed,
                "checks": {c.name: c.status for c in result.checks}}

    def _diff_check(self, tree: Path, base: str) -> dict[str, Any]:
        from agentops_os.diffcheck.checks import Settings as DiffSettings
        from agentops_os.diffcheck.checks import check_diff

        findings = check_diff(tree, DiffSettings.from_config(load_config(tree)), rev=f"{base}..HEAD")
        return {"blocking": [f"{f.location}: {f.message}" for f in findings if f.severity == "block"],
                "warnings": [f"{f.location}: {f.message}" for f in findings if f.severity != "block"]}

    def _validation_failed(self, problems: list[str], verdict: dict[str, Any]) -> None:
        attempts = int(self.state["attempts"].get("implement", 1))
        self.state["failures"] = "\n".join(f"- {p}" for p in problems)
        self.run.event("validate.failed", problems=problems, attempt=attempts)
        self.report(f"validate: failed ({len(problems)} problem(s)) after implement attempt {attempts}")
        if attempts >= int(self.config.get("rpi.max_attempts")):
            self.state["phases"]["validate"].update(status="failed", **verdict)
            raise _Stop(FAILED, f"validation failed after {attempts} implement attempt(s): {problems[0]}")
        self.state["phases"]["implement"]["status"] = "pending"
        self._mark("validate", "pending", **verdict)

    def _deliver(self, tree: Path) -> None:
        repo = self.state["repo"]
        outcome = "review"
        how = str(self.config.get("rpi.on_success"))
        if how == "merge":
            outcome = self._merge(repo)
        self.state["outcome"] = outcome
        self.run.save(self.state)
        self.run.event("run.delivered", outcome=outcome, branch=repo["branch"])
        shown = {"merged": "merged", "review": "left for review"}.get(outcome, outcome)
        self.report(f"validate: passed; branch {repo['branch']} {shown}")

    def _merge(self, repo: dict[str, Any]) -> str:
        current = git.current_branch(self.root)
        if current != repo["base_branch"]:
            return f"left for review: {current or 'detached HEAD'} is checked out, not {repo['base_branch']}"
        if git.run(["status", "--porcelain", "--untracked-files=no"], self.root).strip():
            return "left for review: the working tree has uncommitted changes"
        proc = git.run(["merge", "--ff-only", "--quiet", repo["branch"]], self.root, check=False)
        if git.head_sha(self.root) != git.run(["rev-parse", repo["branch"]], self.root).strip():
            return f"left for review: {repo['base_branch']} moved on, no fast-forward {proc.strip()}".strip()
        return "merged"

    def _learn(self) -> None:
        from agentops_os.knowledge.forge import forge

        written = 0
        for call in self.state["calls"]:
            if call.get("session_id") and call.get("status") == ev.OK:
                written += len(forge(self.root, session=call["session_id"]).written)
        self._mark("learn", "done", candidates=written)
        if written:
            self.report(f"learn: {written} learning candidate(s) in .agents/pending (ao learn review)")

    def _handoff(self) -> None:
        from agentops_os.context import handoff as handoffs

        last = next((c for c in reversed(self.state["calls"]) if c.get("transcript")), None)
        note = handoffs.build(self.root, Path(last["transcript"]) if last else None, trigger="rpi",
                              session_id=last["session_id"] if last else None, goal=self.state["goal"])
        repo = self.state["repo"]
        note.state = (f"RPI run {self.run.id} finished: branch {repo['branch']} "
                      f"({self.state['outcome']}); {len(self.state['calls'])} agent call(s), "
                      f"${float(self.state['cost_usd']):.4f}.")
        note.next_steps = ([f"review and merge branch {repo['branch']}"] if self.state["outcome"] != "merged"
                           else []) + ["review the learning candidates: ao learn review"]
        path = handoffs.save(self.root, note)
        self.state["handoff"] = str(path.relative_to(self.root))
        self._mark("handoff", "done", path=self.state["handoff"])


