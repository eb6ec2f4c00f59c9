"""`ao route "TASK"`: rank agents for a task; `ao route feedback` records an outcome."""

from __future__ import annotations

import click

from agentops_os import render


class RouteGroup(click.Group):
    """`ao route TASK...` routes; `ao route feedback ...` is the one subcommand."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        first = args[0] if args else ""
        if first and first not in self.commands and first not in ("-h", "--help"):
            args = ["task", *args]
        return super().parse_args(ctx, args)


@click.group("route", cls=RouteGroup)
def cli() -> None:
    """Send a task to the best-fit agent: ao route "TASK" [--top K] [--explain] [--json].

    Abstains ("no good match", exit 0) when no agent fits well enough.
    """


@cli.command("task", hidden=True)
@click.argument("words", nargs=-1, required=True)
@click.option("--top", "top", type=click.IntRange(1, 50), default=None, help="How many agents to show.")
@click.option("--explain", is_flag=True, help="Show the words and examples that decided.")
@click.option("--json", "as_json", is_flag=True, help="Print as JSON.")
def task(words: tuple[str, ...], top: int | None, explain: bool, as_json: bool) -> None:
    from agentops_os.agents.routing import check_task, load_router
    from agentops_os.repo import require_root

    text = " ".join(words)
    check_task(text)
    router = load_router(require_root())
    for error in router.errors:
        render.info(f"ao: skipped {error}")
    result = router.route(text, top, explain=explain)
    from agentops_os.knowledge.retrievals import record_route  # for `ao report` (docs/report.md)

    record_route(require_root(), result)
    if as_json:
        render.emit_json(result.to_json())
        return
    if result.abstained:
        click.echo(f"no good match: {result.reason}")
    rows = [(i + 1, m.name, f"{m.score:.2f}") for i, m in enumerate(result.matches)]
    render.table(["rank", "agent", "score"], rows)
    if explain:
        for match in result.matches:
            click.echo(f"\n{match.name}:")
            words_text = ", ".join(f"{w} (+{v:.2f})" for w, v in match.words) or "(none)"
            click.echo(f"  deciding words: {words_text}")
            for example, sim in match.examples:
                click.echo(f"  similar: {example!r} ({sim:.2f})")
    render.info(f"ao: {result.reason}" + (" (model rebuilt)" if router.rebuilt else ""))


@cli.command("feedback")
@click.argument("task_text", metavar="TASK")
@click.option("--agent", required=True, help="The agent that handled the task.")
@click.option("--outcome", type=click.Choice(["success", "failure"]), default="success", show_default=True)
@click.option("--json", "as_json", is_flag=True, help="Print as JSON.")
def feedback(task_text: str, agent: str, outcome: str, as_json: bool) -> None:
    """Record that AGENT handled TASK; successes train the router."""
    from agentops_os.agents.catalog import load_catalog
    from agentops_os.agents.routing import record_outcome
    from agentops_os.errors import FatalError
    from agentops_os.repo import require_root

    root = require_root()
    if not load_catalog(root).find(agent):
        raise FatalError(f"no agent named '{agent}' (see `ao agents list`)")
    path = record_outcome(root, task_text, agent, outcome)
    if as_json:
        render.emit_json({"task": task_text, "agent": agent, "outcome": outcome, "log": str(path)})
    else:
        render.info(f"ao: recorded {outcome} of {agent} in {path.relative_to(root)}")
