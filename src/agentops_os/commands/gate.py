"""`ao gate run|list|install`: declarative, cached, parallel validation gates."""

from __future__ import annotations

from pathlib import Path

import click

from agentops_os import render
from agentops_os.errors import CheckFailed, FatalError
from agentops_os.repo import require_root

HOOKS = {"quick": ("pre-commit", "ao gate run quick --changed"), "ci": ("pre-push", "ao gate run ci")}


@click.group("gate")
def cli() -> None:
    """Run named gate sets of checks from agentops.toml ([gates.checks.*], [gates.sets])."""


def _load(root: Path):  # type: ignore[no-untyped-def]
    from agentops_os.config import load_config
    from agentops_os.gates.config import load_gates

    config = load_config(root)
    gates = load_gates(config)
    gates.config = config  # reused for the ledger record (no second parse)
    return gates


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
    from agentops_os.gates.runner import run_gate

    root = require_root()
    gates = _load(root)
    if name not in gates.sets:
        known = ", ".join(sorted(gates.sets)) or "none"
        raise FatalError(f"unknown gate set '{name}' (defined: {known}); add it under [gates.sets]")
    result = run_gate(root, gates, name, changed=scope == "changed", jobs=jobs, use_cache=not no_cache)
    if junit:
        from agentops_os.gates.junit import write_junit

        write_junit(result, junit)
    _record(root, result, gates.config)
    if as_json:
        render.emit_json(result.to_dict())
    else:
        if not result.checks:
            render.info(f"gate '{name}' has no checks (add names to [gates.sets] {name} = [...])")
        render.table(["check", "status", "time", "detail"],
                     [(c.name, c.status.upper() + (" (cached)" if c.cached else ""),
                       "-" if c.cached or c.status == "skip" else f"{c.seconds:.2f}s", c.reason)
                      for c in result.checks], title=f"gate {name}")
        for check in result.checks:
            if check.status == "fail" and check.output.strip():
                lines = check.output.rstrip().splitlines()[-gates.output_lines:]
                render.info(f"--- {check.name} ({check.reason}) ---")
                for line in lines:
                    render.info(line)
    if not result.passed:
        failed = [c.name for c in result.checks if c.status == "fail"]
        raise CheckFailed(f"gate '{name}' failed: {', '.join(failed)}")
    render.info(f"gate '{name}' passed in {result.seconds:.2f}s")


def _record(root: Path, result, config) -> None:  # type: ignore[no-untyped-def]
    from agentops_os.audit.ledger import append, writer_id
    from agentops_os.git import head_sha
    from agentops_os.store.redact import Redactor

    redactor = Redactor(config.get("redaction.extra_patterns"))
    writer = writer_id(str(config.get("audit.writer", "")))
    append(root, "gate.verdict", {
        "gate": result.gate, "passed": result.passed,
        # The commit the verdict was reached on: `ao metrics` counts a session's commit as
        # failed when a gate failed on it (a failing pre-commit gate blocks the commit anyway).
        "commit": head_sha(root),
        "checks": {c.name: c.status + (" (cached)" if c.cached else "") for c in result.checks},
        "summary": f"gate {result.gate} {'passed' if result.passed else 'FAILED'}",
    }, writer=writer, redactor=redactor)


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
