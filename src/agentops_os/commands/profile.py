"""`ao profile list|show|install|diff|uninstall|pack`: installable bundles of agents."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from agentops_os import render


@click.group("profile")
def cli() -> None:
    """Install profiles (product-dev, devops, sre, data-eng, or your own archive)."""


def _render_report(report, as_json: bool) -> None:  # type: ignore[no-untyped-def]
    if as_json:
        render.emit_json(report.to_json())
    else:
        render.table(["action", "target", "detail"], [(a.action, a.target, a.detail) for a in report.actions])
    verb = "would change" if report.dry_run else "changed"
    changed = sum(1 for a in report.actions if a.action in ("create", "update", "remove"))
    render.info(f"ao: {report.profile} {report.version}: {verb} {changed} target(s), "
                f"{len(report.conflicts)} conflict(s) left alone")


@cli.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print as JSON.")
def list_(as_json: bool) -> None:
    """Bundled profiles and which ones this repo has installed."""
    from agentops_os.profiles.archive import builtin_names, load_profile
    from agentops_os.profiles.install import installed
    from agentops_os.repo import find_root

    root = find_root()
    have = installed(root) if root else {}
    rows: list[dict[str, Any]] = []
    for name in sorted(set(builtin_names()) | set(have)):
        profile = load_profile(name) if name in builtin_names() else None
        rows.append({"name": name, "version": profile.version if profile else None,
                     "description": profile.description if profile else "",
                     "agents": profile.agents if profile else [],
                     "installed": have[name].get("version") if name in have else None})
    if as_json:
        render.emit_json({"profiles": rows})
        return
    render.table(["name", "version", "installed", "agents", "description"],
                 [(r["name"], r["version"] or "", r["installed"] or "-", len(r["agents"]), r["description"])
                  for r in rows])


@cli.command("show")
@click.argument("name_or_path")
@click.option("--json", "as_json", is_flag=True, help="Print as JSON.")
def show(name_or_path: str, as_json: bool) -> None:
    """What a profile contains: agents, commands, presets and constitution addendum."""
    from agentops_os.profiles.archive import load_profile, sha256
    from agentops_os.profiles.install import items

    profile = load_profile(name_or_path)
    targets = items(profile)
    if as_json:
        render.emit_json({"name": profile.name, "version": profile.version,
                          "description": profile.description, "source": profile.source,
                          "agents": profile.agents,
                          "files": [{"path": p, "sha256": sha256(d)}
                                    for p, d in sorted(profile.files.items())],
                          "targets": [t.target for t in targets]})
        return
    click.echo(f"{profile.name} {profile.version}: {profile.description}")
    click.echo(f"agents: {', '.join(profile.agents)}")
    for item in targets:
        click.echo(f"  {item.target}")


@cli.command("install")
@click.argument("name_or_path")
@click.option("--dry-run", is_flag=True, help="Show what would change; change nothing.")
@click.option("--json", "as_json", is_flag=True, help="Print as JSON.")
def install(name_or_path: str, dry_run: bool, as_json: bool) -> None:
    """Install a bundled profile, a profile directory or a verified .tar.gz archive."""
    from agentops_os.profiles.install import install_profile
    from agentops_os.repo import require_root

    _render_report(install_profile(require_root(), name_or_path, dry_run=dry_run), as_json)


@cli.command("uninstall")
@click.argument("name")
@click.option("--dry-run", is_flag=True, help="Show what would be removed; change nothing.")
@click.option("--json", "as_json", is_flag=True, help="Print as JSON.")
def uninstall(name: str, dry_run: bool, as_json: bool) -> None:
    """Remove what NAME installed, except files you changed since."""
    from agentops_os.profiles.install import uninstall_profile
    from agentops_os.repo import require_root

    _render_report(uninstall_profile(require_root(), name, dry_run=dry_run), as_json)


@cli.command("diff")
@click.argument("name_or_path")
@click.option("--json", "as_json", is_flag=True, help="Print as JSON.")
def diff(name_or_path: str, as_json: bool) -> None:
    """Compare the repo's files with a profile (unified diff where they differ)."""
    from agentops_os.profiles.install import diff_profile
    from agentops_os.repo import require_root

    result = diff_profile(require_root(), name_or_path)
    if as_json:
        render.emit_json({"targets": [{**a.to_json(), "diff": d} for a, d in result]})
        return
    render.table(["state", "target", "detail"], [(a.action, a.target, a.detail) for a, _ in result])
    for _, text in result:
        if text:
            click.echo(text.rstrip("\n"))


@cli.command("pack")
@click.argument("directory", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="Archive to write.")
@click.option("--force", is_flag=True, help="Overwrite an existing archive.")
@click.option("--json", "as_json", is_flag=True, help="Print the manifest as JSON.")
def pack(directory: Path, output: Path | None, force: bool, as_json: bool) -> None:
    """Build NAME-VERSION.tar.gz with a manifest of sha256 hashes; agents must lint clean."""
    from agentops_os.agents.catalog import load_paths
    from agentops_os.agents.lint import LintSettings, lint_catalog
    from agentops_os.config import load_config
    from agentops_os.errors import CheckFailed, FatalError
    from agentops_os.profiles.archive import pack as pack_profile
    from agentops_os.repo import find_root

    findings = lint_catalog(load_paths([directory]), LintSettings.from_config(load_config(find_root())))
    errors = [f for f in findings if f.severity == "error"]
    for finding in errors:
        click.echo(str(finding), err=True)
    if errors:
        raise CheckFailed(f"{directory}: {len(errors)} lint error(s); fix them before packing")
    if output is not None and output.exists() and not force:
        raise FatalError(f"{output}: already exists (use --force to overwrite)")
    path, manifest = pack_profile(directory, output)
    if as_json:
        render.emit_json({"archive": str(path), "manifest": manifest})
    else:
        render.info(f"ao: wrote {path} ({manifest['name']} {manifest['version']}, "
                    f"{len(manifest['files'])} files)")
