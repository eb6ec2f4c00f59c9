"""`ao agents list|show|lint`: the catalog of focused agents and its lint rules."""

from __future__ import annotations

from pathlib import Path

import click

from agentops_os import render
from agentops_os.errors import CheckFailed, FatalError


@click.group("agents")
def cli() -> None:
    """Catalog and lint Claude Code subagents, commands, skills and Codex prompts."""


def _catalog(user: bool | None):  # type: ignore[no-untyped-def]
    from agentops_os.agents.catalog import load_catalog
    from agentops_os.config import load_config
    from agentops_os.repo import find_root

    root = find_root()
    config = load_config(root)
    include_user = config.get("agents.include_user") if user is None else user
    return root, config, load_catalog(root, include_user=bool(include_user))


@cli.command("list")
@click.option("--kind", type=click.Choice(["agent", "command", "skill", "codex-prompt", "codex-skill",
                                           "codex-agent"]),
              multiple=True, help="Only these kinds (repeatable).")
@click.option("--user/--no-user", default=None, help="Include ~/.claude and ~/.codex (config default).")
@click.option("--json", "as_json", is_flag=True, help="Print as JSON.")
def list_(kind: tuple[str, ...], user: bool | None, as_json: bool) -> None:
    """List every agent definition with its kind, scope and description."""
    root, _, catalog = _catalog(user)
    if root is not None:
        from agentops_os.agents.index_schema import sync
        from agentops_os.index import open_index

        with open_index(root) as index:
            sync(index, catalog)
    entries = [e for e in catalog.entries if not kind or e.kind in kind]
    for error in catalog.errors:
        render.info(f"ao: skipped {error}")
    if as_json:
        render.emit_json({"entries": [e.to_json() for e in entries], "errors": catalog.errors})
        return
    rows = []
    for e in entries:
        text = e.description if len(e.description) <= 70 else e.description[:67] + "..."
        rows.append((e.name + (" (shadowed)" if e.shadowed else ""), e.kind, e.scope, text))
    render.table(["name", "kind", "scope", "description"], rows)
    if catalog.errors:
        render.info(f"ao: {len(catalog.errors)} file(s) skipped: broken frontmatter")


@cli.command("show")
@click.argument("name")
@click.option("--user/--no-user", default=None, help="Include ~/.claude and ~/.codex (config default).")
@click.option("--json", "as_json", is_flag=True, help="Print as JSON.")
def show(name: str, user: bool | None, as_json: bool) -> None:
    """Show one agent: frontmatter fields, examples and prompt."""
    _, _, catalog = _catalog(user)
    found = catalog.find(name)
    if not found:
        raise FatalError(f"no agent, command or skill named '{name}' (see `ao agents list`)")
    entry = found[0]
    if as_json:
        render.emit_json(entry.to_json(body=True))
        return
    lines = [f"name:        {entry.name}", f"kind:        {entry.kind} ({entry.scope})",
             f"path:        {entry.path}", f"description: {entry.description}",
             f"tools:       {', '.join(entry.tools) if entry.tools is not None else '(inherits all)'}",
             f"model:       {entry.model or '(inherit)'}"]
    if entry.examples:
        lines.append("examples:")
        lines += [f"  - {x}" for x in entry.examples]
    click.echo("\n".join(lines))
    click.echo("")
    click.echo(entry.body.rstrip())
    for other in found[1:]:
        render.info(f"ao: also defined at {other.path} ({other.kind}, {other.scope})")


@cli.command("lint")
@click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path))
@click.option("--user", is_flag=True, help="Also lint ~/.claude and ~/.codex definitions.")
@click.option("--json", "as_json", is_flag=True, help="Print findings as JSON.")
def lint(paths: tuple[Path, ...], user: bool, as_json: bool) -> None:
    """Check agent definitions; exit 1 when any error is found.

    Without PATHS: the repo's .claude/ (and with --user, the user's). PATHS may be
    files or directories (a profile directory, a .claude directory).
    """
    from agentops_os.agents.catalog import load_catalog, load_paths
    from agentops_os.agents.lint import LintSettings, lint_catalog
    from agentops_os.config import load_config
    from agentops_os.repo import find_root

    root = find_root()
    config = load_config(root)
    catalog = load_paths(paths) if paths else load_catalog(root, include_user=user)
    findings = lint_catalog(catalog, LintSettings.from_config(config))
    errors = sum(1 for f in findings if f.severity == "error")
    warnings = len(findings) - errors
    if as_json:
        render.emit_json({"checked": len(catalog.entries) + len(catalog.errors), "errors": errors,
                          "warnings": warnings, "findings": [f.to_json() for f in findings]})
    else:
        import os

        here = Path(os.getcwd())
        for finding in findings:
            path = Path(finding.path)
            if path.is_absolute() and path.is_relative_to(here):
                finding.path = str(path.relative_to(here))  # shorter, still clickable
            click.echo(str(finding))
        render.info(f"ao: {len(catalog.entries) + len(catalog.errors)} definition(s) checked: "
                    f"{errors} error(s), {warnings} warning(s)")
    if errors:
        raise CheckFailed(f"agents lint: {errors} error(s)")
