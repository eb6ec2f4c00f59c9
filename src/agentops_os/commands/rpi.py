"""`ao rpi "GOAL"` and `ao rpi status|list|show|resume|cancel`: multi-phase agent runs."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from agentops_os import render
from agentops_os.errors import CheckFailed
from agentops_os.repo import require_root

EXIT_BY_STATUS = {"done": 0, "awaiting-approval": 0}


class _GoalFirst(click.Group):
    """`ao rpi "GOAL" [options]` means `ao rpi start "GOAL" [options]`."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if args and args[0] not in self.commands and args[0] not in ("-h", "--help"):
            args = ["start", *args]
        return super().parse_args(ctx, args)


@click.group("rpi", cls=_GoalFirst)
def cli() -> None:
    """Research -> Plan -> approval -> Implement -> Validate -> Learn -> Handoff, a fresh
    agent context per phase (see docs/rpi.md). `ao rpi "GOAL"` starts a run."""


@cli.command("start")
@click.argument("goal")
@click.option("--runtime", help="claude, codex, api or scripted (default: runtimes.default).")
@click.option("--approve", type=click.Choice(["auto", "ask"]), help="Plan approval (default: rpi.approve).")
@click.option("--max-cost", type=float, help="Stop once the run's estimated spend passes this many USD.")
@click.option("--budget", type=float, help="Live context limit per phase, % of the window (default 40).")
@click.option("--script", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Script of the scripted runtime.")
@click.option("--model", default="", help="Model the runtime asks for.")
@click.option("--timeout", type=float, default=0.0, help="Seconds one agent call may take (0: config).")
@click.option("--json", "as_json", is_flag=True, help="Print the final run state as JSON.")
def start_cmd(goal: str, runtime: str | None, approve: str | None, max_cost: float | None,
              budget: float | None, script: Path | None, model: str, timeout: float, as_json: bool) -> None:
    """Start a run for GOAL."""
    from agentops_os.config import load_config
    from agentops_os.workflows.rpi.control import start
    from agentops_os.workflows.rpi.records import Settings

    root = require_root()
    config = load_config(root)
    settings = Settings(
        runtime=runtime or str(config.get("runtimes.default")),
        approve=approve or str(config.get("rpi.approve")),
        max_cost_usd=float(config.get("rpi.max_cost_usd")) if max_cost is None else max_cost,
        context_limit=float(config.get("runtimes.context_limit")) if budget is None else budget / 100,
        script=str(script.resolve()) if script else "", model=model, timeout=timeout)
    state = start(root, goal, settings, report=_report(as_json), ask=_asker(settings.approve))
    _finish(state, as_json)


@cli.command("resume")
@click.argument("run", default="latest")
@click.option("--json", "as_json", is_flag=True, help="Print the final run state as JSON.")
def resume_cmd(run: str, as_json: bool) -> None:
    """Continue RUN (default: the latest) from its first unfinished phase."""
    from agentops_os.workflows.rpi.control import resume

    root = require_root()
    state = resume(root, run, report=_report(as_json), ask=_asker("ask"))
    _finish(state, as_json)


@cli.command("cancel")
@click.argument("run", default="latest")
@click.option("--json", "as_json", is_flag=True, help="Print the run state as JSON.")
def cancel_cmd(run: str, as_json: bool) -> None:
    """Stop RUN: its agent's whole process group is killed; the run can be resumed."""
    from agentops_os.workflows.rpi.control import cancel

    state = cancel(require_root(), run)
    if as_json:
        render.emit_json(state)
    else:
        render.info(f"run {state['id']}: cancelled (resume with `ao rpi resume {state['id']}`)")


@cli.command("status")
@click.argument("run", default="latest")
@click.option("--json", "as_json", is_flag=True, help="Print the run state as JSON.")
def status_cmd(run: str, as_json: bool) -> None:
    """Where RUN (default: the latest) stands: phase by phase."""
    from agentops_os.workflows import runs
    from agentops_os.workflows.rpi.records import PHASES

    state = runs.find(require_root(), run, "rpi").load()
    if as_json:
        render.emit_json(state)
        return
    click.echo(f"{state['id']}  {state['status']}  {state['goal'][:70]}")
    rows = []
    for phase in PHASES:  # in the order they run (state.json keeps its keys sorted)
        info = state["phases"][phase]
        calls = [c for c in state["calls"] if c["phase"] == phase]
        rows.append((phase, info["status"], len(calls), sum(c.get("tokens") or 0 for c in calls),
                     max((c.get("peak_fraction") or 0 for c in calls), default=0)))
    render.table(["Phase", "Status", "Calls", "Tokens", "Peak"],
                 [(p, s, c, f"{t:,}", f"{k:.0%}" if c else "") for p, s, c, t, k in rows])
    if state.get("error"):
        click.echo(state["error"])


@cli.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print the runs as JSON.")
def list_cmd(as_json: bool) -> None:
    """Every RPI run of this repository, oldest first."""
    from agentops_os.workflows import runs

    states = [r.load() for r in runs.iter_runs(require_root(), "rpi")]
    if as_json:
        render.emit_json({"runs": states})
        return
    if not states:
        render.info('no runs yet: start one with `ao rpi "GOAL"`')
        return
    render.table(["Run", "Status", "Phase", "Runtime", "Cost", "Goal"],
                 [(s["id"], s["status"], s["phase"], s["settings"]["runtime"], f"${s['cost_usd']:.4f}",
                   s["goal"][:50]) for s in states])


@cli.command("show")
@click.argument("run", default="latest")
@click.option("--json", "as_json", is_flag=True, help="Print state, calls and events as JSON.")
def show_cmd(run: str, as_json: bool) -> None:
    """RUN in full: its agent calls and its event log."""
    from agentops_os.workflows import runs

    found = runs.find(require_root(), run, "rpi")
    state, events = found.load(), found.events()
    if as_json:
        render.emit_json({"state": state, "events": events})
        return
    click.echo(f"run      {state['id']} ({state['status']})\ngoal     {state['goal']}\n"
               f"runtime  {state['settings']['runtime']}\nbranch   {state['repo']['branch'] or '-'}"
               f"\noutcome  {state['outcome'] or '-'}\ncost     ${state['cost_usd']:.4f}\n"
               f"handoff  {state['handoff'] or '-'}")
    render.table(["#", "Phase", "Try", "Status", "Session", "Tokens", "Peak", "Time"],
                 [(c["call"], c["phase"], c["attempt"], c["status"], (c["session_id"] or "")[:8],
                   f"{c['tokens']:,}", f"{c['peak_fraction']:.0%}", f"{c['duration_s']:.1f}s")
                  for c in state["calls"]])
    for event in events:
        extra = {k: v for k, v in event.items() if k not in ("kind", "at", "schema_version")}
        click.echo(f"{event['at']}  {event['kind']}" + (f"  {extra}" if extra else ""))


def _report(as_json: bool) -> Any:
    def report(line: str) -> None:
        render.info(line)
    return report


def _asker(approve: str) -> Any:
    """Ask at the terminal when there is one; otherwise the run waits for `ao approve`."""
    if approve != "ask" or not (sys.stdin.isatty() and sys.stderr.isatty()):
        return None

    def ask(path: str, text: str) -> bool:
        click.echo(f"\n--- {path} ---\n{text.strip()[:4000]}\n---", err=True)
        return click.confirm("Approve this plan?", default=False, err=True)
    return ask


def _finish(state: dict[str, Any], as_json: bool) -> None:
    if as_json:
        render.emit_json(state)
    status = state["status"]
    if status == "awaiting-approval":
        render.info(state["error"])
    elif status == "done" and not as_json:
        click.echo(f"{state['id']}: done; branch {state['repo']['branch']} ({state['outcome']}); "
                   f"handoff {state['handoff']}")
    if status not in EXIT_BY_STATUS:
        raise CheckFailed(f"run {state['id']} {status}: {state['error']}")
