"""`ao gate run|list|install`: declarative, cached, parallel validation gates."""

from __future__ import annotations

from pathlib import Path

import click

from agentops_os import render
from agentops_os.repo import require_root

HOOKS = {"quick": ("pre-commit", "ao gate run quick --changed"), "ci": ("pre-push", "ao gate run ci")}


@click.group("gate")
def cli() -> None:
    """Run named gate sets of checks from agentops.toml ([gates.checks.*], [gates.sets])."""


def _load(root: Path):  # type: ignore[no-untyped-def]
    from agentops_os.config import load_config
    from agentops_os.gates.config import load_gates

    return load_gates(load_config(root))


@cli.command("run")
@click.argument("name")
@click.option("--changed", "scope", flag_value="changed", help="Only checks whose files changed vs HEAD.")
@click.option("--all", "scope", flag_value="all", default=True, help="Every check of the set (default).")
@click.option("-j", "--jobs", type=click.IntRange(min=1), help="Checks run at once (default gates.jobs).")
@click.option("--junit", "junit", type=click.Path(dir_okay=False, path_type=Path), help="Write JUnit XML.")
@click.option("--no-cache", is_flag=True, help="Run every check even if its inputs are unchanged.")
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
def run_cmd(name: str, scope: str, jobs: int | None, junit: Path | None, no_cache: bool,
            as_json: bool) -> None:
    """Run gate set NAME; exit 1 if any check fails."""
    # The same function answers `ao gate run` before click is imported (agentops_os.fast).
    from agentops_os.gates.usecase import gate_run

    gate_run(name, scope == "changed", jobs, str(junit) if junit else None, no_cache, as_json)


@cli.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print as JSON.")
def list_cmd(as_json: bool) -> None:
    """Show gate sets and their checks."""
    gates = _load(require_root())
    if as_json:
        render.emit_json({"sets": gates.sets,
                          "checks": {n: {**c.fingerprint(), "description": c.description}
                                     for n, c in gates.checks.items()}})
        return
    rows = []
    for set_name, members in sorted(gates.sets.items()):
        for member in members or ["(empty)"]:
            check = gates.checks.get(member)
            command = "" if check is None else (
                " ".join(check.command) if isinstance(check.command, tuple) else check.command)
            rows.append((set_name, member, command, ", ".join(check.files) if check else ""))
    render.table(["set", "check", "command", "files"], rows)


@cli.command("install")
@click.option("--dry-run", is_flag=True, help="Say what would change, change nothing.")
def install_cmd(dry_run: bool) -> None:
    """Run `quick` on pre-commit and `ci` on pre-push (existing hooks are kept and run first)."""
    from agentops_os.githooks import install_git_hook

    root = require_root()
    gates = _load(root)
    for set_name, (hook, command) in HOOKS.items():
        if not gates.sets.get(set_name):
            render.info(f"{hook}: not installed, gate set '{set_name}' has no checks "
                        f"(add them under [gates.sets] {set_name} = [...])")
            continue
        what = install_git_hook(root, hook, command, dry_run=dry_run)
        render.info(("would change " if dry_run and what else "") + (what or f"{hook}: already installed"))
