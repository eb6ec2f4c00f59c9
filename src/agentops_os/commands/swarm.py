"""`ao swarm run|status|list|report|merge|resume|cancel|gc`: parallel agents in worktrees."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from agentops_os import render
from agentops_os.errors import CheckFailed, FatalError
from agentops_os.repo import require_root


@click.group("swarm")
def cli() -> None:
    """Parallel agents, each in its own git worktree and branch (see docs/swarm.md)."""


@cli.command("run")
@click.argument("tasks_file", required=False, type=click.Path(path_type=Path))
@click.option("--from-plan", "plan_run", help="One task per step of this rpi run's approved plan.")
@click.option("--from-beads", is_flag=True, help="The issues `bd ready` lists (claimed, closed on success).")
@click.option("--workers", "-j", type=int, help="Tasks at once (default: swarm.workers).")
@click.option("--runtime", help="claude, codex, api or scripted (default: runtimes.default).")
@click.option(
    "--script",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Script of the scripted runtime.",
)
@click.option("--model", default="", help="Model the runtime asks for.")
@click.option("--gates", "gate_set", help="Gate set every task must pass (default: swarm.gates).")
@click.option("--engine", type=click.Choice(["local", "temporal"]), default="local",
              help="local: threads here; temporal: workflows that `ao swarm worker`s pick up.")
@click.option("--address", default="", help="--engine temporal: the Temporal frontend, HOST:PORT.")
@click.option("--queue", default="", help="--engine temporal: task queue (default agentops-swarm).")
@click.option("--remote", default="origin", help="--engine temporal: git remote shared with the workers.")
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
def run_cmd(
    tasks_file: Path | None,
    plan_run: str | None,
    from_beads: bool,
    workers: int | None,
    runtime: str | None,
    script: Path | None,
    model: str,
    gate_set: str | None,
    engine: str,
    address: str,
    queue: str,
    remote: str,
    as_json: bool,
) -> None:
    """Run TASKS_FILE (YAML), a plan's steps, or beads' ready issues."""
    from agentops_os.config import load_config
    from agentops_os.workflows.swarm import coordinator, sources, tasks

    root = require_root()
    chosen = [x for x in (tasks_file, plan_run, from_beads or None) if x]
    if len(chosen) != 1:
        raise FatalError("give exactly one of TASKS_FILE, --from-plan RUN or --from-beads")
    config = load_config(root)
    if tasks_file:
        loaded, source = tasks.load_file(tasks_file), str(tasks_file)
    elif plan_run:
        loaded, source = sources.from_plan(root, plan_run), f"plan:{plan_run}"
    else:
        loaded = sources.from_beads(root, str(config.get("swarm.beads_command")))
        source = "beads"
    options = coordinator.Options(
        workers=workers or int(config.get("swarm.workers")),
        runtime=runtime or str(config.get("runtimes.default")),
        script=str(script.resolve()) if script else "",
        model=model,
        gates=str(config.get("swarm.gates")) if gate_set is None else gate_set,
        beads_command=str(config.get("swarm.beads_command")),
        engine=engine,
        address=address,
        queue=queue,
        remote=remote,
    )
    coordinator.executor_for(vars(options))  # a bad engine setting is exit 2 before anything runs
    state = coordinator.start(root, loaded, options, report=render.info, source=source)
    _show_report(root, state["id"], as_json)


@cli.command("resume")
@click.argument("swarm", default="latest")
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
def resume_cmd(swarm: str, as_json: bool) -> None:
    """Run the tasks of SWARM that have not finished (after a crash or a cancel)."""
    from agentops_os.workflows.swarm import coordinator

    root = require_root()
    state = coordinator.resume(root, swarm, report=render.info)
    _show_report(root, state["id"], as_json)


@cli.command("cancel")
@click.argument("swarm", default="latest")
def cancel_cmd(swarm: str) -> None:
    """Stop SWARM: every task's agent process group is killed."""
    from agentops_os.workflows.swarm import coordinator

    state = coordinator.cancel(require_root(), swarm)
    render.info(f"swarm {state['id']}: {state['status']}")


@cli.command("report")
@click.argument("swarm", default="latest")
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
def report_cmd(swarm: str, as_json: bool) -> None:
    """Per task: status, branch, commits, gate verdict, diff stat, tokens, cost, duration."""
    _show_report(require_root(), swarm, as_json, final=False)


@cli.command("status")
@click.argument("swarm", default="latest")
@click.option("--json", "as_json", is_flag=True, help="Print the state as JSON.")
def status_cmd(swarm: str, as_json: bool) -> None:
    """Where each task of SWARM stands."""
    from agentops_os.workflows import runs

    state = runs.find(require_root(), swarm, "swarm").load()
    if as_json:
        render.emit_json(state)
        return
    click.echo(f"{state['id']}  {state['status']}  ({state.get('source') or 'tasks file'})")
    render.table(
        ["Task", "Status", "Attempts"],
        [
            (t["id"], state["progress"][t["id"]]["status"], state["progress"][t["id"]]["attempts"])
            for t in state["tasks"]
        ],
    )


@cli.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print the swarms as JSON.")
def list_cmd(as_json: bool) -> None:
    """Every swarm of this repository, oldest first."""
    from agentops_os.workflows import runs

    states = [r.load() for r in runs.iter_runs(require_root(), "swarm")]
    if as_json:
        render.emit_json({"swarms": states})
        return
    if not states:
        render.info("no swarms yet: start one with `ao swarm run TASKS.yaml`")
        return
    render.table(
        ["Swarm", "Status", "Tasks", "Passed", "Source"],
        [
            (
                s["id"],
                s["status"],
                len(s["tasks"]),
                sum(1 for p in s["progress"].values() if p["status"] == "passed"),
                s.get("source") or "",
            )
            for s in states
        ],
    )


@cli.command("merge")
@click.argument("swarm", default="latest")
def merge_cmd(swarm: str) -> None:
    """Merge SWARM's passing branches into the current branch, dependencies first; stop
    at the first conflict."""
    from agentops_os.workflows.swarm import coordinator

    merged = coordinator.merge(require_root(), swarm, report=render.info)
    render.info(f"merged {len(merged)} branch(es)")


@cli.command("gc")
@click.option("--dry-run", is_flag=True, help="Say what would be removed; change nothing.")
@click.option("--json", "as_json", is_flag=True, help="Print what was collected as JSON.")
def gc_cmd(dry_run: bool, as_json: bool) -> None:
    """Remove worktrees left by dead tasks (kill their agents); keep branches with commits."""
    from dataclasses import asdict

    from agentops_os.workflows.swarm.gc import collect

    found = collect(require_root(), dry_run=dry_run)
    if as_json:
        render.emit_json(asdict(found))
        return
    verb = "would remove" if dry_run else "removed"
    render.info(
        f"{verb} {len(found.removed)} orphaned worktree(s)"
        + (f": {', '.join(found.removed)}" if found.removed else "")
        + (f"; killed {len(found.killed)} agent group(s)" if found.killed else "")
        + (f"; kept branches {', '.join(found.kept_branches)}" if found.kept_branches else "")
        + (f"; {len(found.alive)} still running" if found.alive else "")
    )


def _show_report(root: Path, swarm: str, as_json: bool, final: bool = True) -> None:
    from agentops_os.workflows import runs
    from agentops_os.workflows.swarm.coordinator import build_report

    run = runs.find(root, swarm, "swarm")
    report: dict[str, Any] = build_report(run, run.load())
    if as_json:
        render.emit_json(report)
    else:
        render.table(
            ["Task", "Status", "Branch", "Commits", "Gate", "Diff", "Tokens", "Cost", "Time"],
            [
                (
                    r["id"],
                    r["status"],
                    r["branch"] or "",
                    len(r["commits"] or []),
                    _gate(r["gate"]),
                    r["diff_stat"] or "",
                    f"{int(r['tokens'] or 0):,}",
                    f"${float(r['cost_usd'] or 0):.4f}",
                    f"{float(r['duration_s'] or 0):.1f}s",
                )
                for r in report["tasks"]
            ],
            title=f"{report['swarm']}: {report['passed']}/{report['total']} passed",
        )
    if final and report["passed"] < report["total"]:
        raise CheckFailed(
            f"swarm {report['swarm']}: {report['total'] - report['passed']} of "
            f"{report['total']} task(s) did not pass"
        )


def _gate(gate: dict[str, Any] | None) -> str:
    if not gate:
        return ""
    if gate.get("skipped"):
        return "skipped"
    return "pass" if gate.get("passed") else "fail"


@cli.command("worker")
@click.option("--address", required=True, help="The Temporal frontend, HOST:PORT.")
@click.option("--queue", default="", help="Task queue (default agentops-swarm).")
@click.option("--remote", default="origin", help="Git remote shared with the coordinator.")
@click.option("--concurrent", default=1, type=int, help="Tasks this worker runs at once.")
def worker_cmd(address: str, queue: str, remote: str, concurrent: int) -> None:
    """Run swarm tasks from a Temporal task queue in this clone until interrupted."""
    from agentops_os.workflows.swarm.temporal_engine import TASK_QUEUE, serve

    root = require_root()
    if concurrent < 1:
        raise FatalError(f"--concurrent {concurrent}: must be 1 or more")
    render.info(f"swarm worker {root}: polling {queue or TASK_QUEUE} at {address}")
    serve(root, address, queue=queue or TASK_QUEUE, remote=remote, concurrent=concurrent)
