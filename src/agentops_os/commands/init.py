"""`ao init`: scaffold AgentOps into this git repository (merge, never clobber)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from agentops_os import render
from agentops_os.repo import require_root


@click.command("init")
@click.option("--dry-run", is_flag=True, help="Print the diff of what would change; change nothing.")
@click.option("--force", is_flag=True, help="Also replace scaffold files you have modified.")
@click.option("--json", "as_json", is_flag=True, help="Print the changes as JSON.")
@click.option("--profile", "profile", metavar="NAME|PATH",
              help="Also install a profile (see `ao profile list`), merged like `ao profile install`.")
@click.option("--trust-codex", is_flag=True,
              help="Trust ao's own hook definitions in Codex (through `codex app-server`).")
@click.option("--mcp", is_flag=True,
              help="Also register `ao mcp serve` for Claude Code (.mcp.json) and Codex (.codex/config.toml).")
def cli(dry_run: bool, force: bool, as_json: bool, profile: str | None, trust_codex: bool, mcp: bool) -> None:
    """Create .agents/, agentops.toml, agents, Claude Code, Codex and git hooks.

    Existing settings, hooks and files are merged or chained, never replaced; a second
    run changes nothing.
    """
    from agentops_os.setup import apply_init, plan_init

    root = require_root()
    if profile:
        from agentops_os.profiles.install import load_profile

        load_profile(profile)  # a bad name or archive fails here, before anything is written
    plan = plan_init(root, force=force, mcp=mcp)
    if dry_run and not as_json:
        for change in plan.changes:
            sys.stdout.write(change.diff())
    if not dry_run:
        apply_init(plan)
    report = None
    if profile:
        # After the scaffold exists: the profile's presets merge into the agentops.toml
        # and AGENTS.md that init just wrote.
        from agentops_os.profiles.install import install_profile

        report = install_profile(root, profile, dry_run=dry_run)
    profile_changes = [a for a in report.actions if a.action in ("create", "update")] if report else []
    codex = None if dry_run else _codex_trust(root, trust_codex)
    if as_json:
        render.emit_json({
            "root": str(root), "dry_run": dry_run,
            "changes": [{"path": c.rel, "what": c.what, **({"diff": c.diff()} if dry_run else {})}
                        for c in plan.changes],
            "skipped": plan.skipped, "notes": plan.notes,
            "profile": report.to_json() if report else None,
            "codex_trust": codex,
        })
    verb = "would change" if dry_run else "changed"
    for change in plan.changes:
        render.info(f"{verb} {change.rel}: {change.what}")
    for line in plan.skipped:
        render.info(f"left alone {line}")
    for line in plan.notes:
        render.info(f"note: {line}")
    if report is not None:
        for action in report.actions:
            if action.action in ("create", "update", "conflict", "keep"):
                detail = f" ({action.detail})" if action.detail else ""
                render.info(f"profile {report.profile}: {action.action} {action.target}{detail}")
    if codex is not None:
        render.info(f"codex: {codex['detail']}" + (f"; {codex['fix']}" if codex["fix"] else ""))
    if not plan.changes and not profile_changes:
        render.info("nothing to do: AgentOps is already set up here")
    elif not dry_run:
        render.info(f"initialised AgentOps in {root} ({len(plan.changes)} changes); "
                    "check it with `ao doctor`")


def _codex_trust(root: Path, trust: bool) -> dict[str, object] | None:
    """What Codex says of ao's hooks here (trusting them first with --trust-codex).
    Without Codex installed there is nothing to ask: said so only when trust was asked."""
    from agentops_os.errors import FatalError
    from agentops_os.setup import codex

    try:
        hooks = codex.trust_ours(root) if trust else codex.list_hooks(root)
    except codex.CodexUnavailable as exc:
        if trust:
            raise FatalError(f"--trust-codex: {exc}") from None
        return {"trusted": None, "detail": f"trust of ao's hooks in .codex/hooks.json not checked ({exc})",
                "fix": "Codex runs them only once trusted: `ao init --trust-codex`, or /hooks in Codex",
                "hooks": []}
    ok, detail, fix = codex.summary(hooks)
    return {"trusted": ok, "detail": detail, "fix": fix, "hooks": [h.as_dict() for h in hooks if h.ours]}
