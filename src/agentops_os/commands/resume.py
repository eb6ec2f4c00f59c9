"""`ao resume`: the latest handoff of this branch plus what changed since it."""

from __future__ import annotations

import sys

import click

from agentops_os import render


@click.command("resume")
@click.option("--branch", help="Resume another branch's latest handoff.")
@click.option("--json", "as_json", is_flag=True, help="Print as JSON.")
def cli(branch: str | None, as_json: bool) -> None:
    """Print the latest handoff of this branch and the commits and files changed since."""
    from agentops_os.context.handoff import resume
    from agentops_os.repo import require_root

    root = require_root()
    found = resume(root, branch)
    doc = found.handoff
    rel = str(doc.path.relative_to(root))
    if as_json:
        render.emit_json({"path": rel, "meta": doc.meta, "body": doc.body,
                          "commits_since": found.commits, "files_changed_since": found.files,
                          "commit_known": found.commit_known})
        return
    out = sys.stdout
    out.write(f"# Resume from {rel}\n")
    out.write(f"(written {doc.get('created')} on {doc.get('branch')} at "
              f"{str(doc.get('commit') or '?')[:10]}, trigger {doc.get('trigger')})\n\n")
    out.write(doc.body.rstrip() + "\n\n## Since this handoff\n\n")
    if not found.commit_known:
        out.write("- the handoff's commit is not in this repository (rebased?); "
                  "compare by hand\n")
    else:
        out.write(f"Commits ({len(found.commits)}):\n")
        out.writelines(f"- {c}\n" for c in found.commits) if found.commits else out.write("- none\n")
        out.write(f"\nFiles changed ({len(found.files)}):\n")
        out.writelines(f"- {f}\n" for f in found.files) if found.files else out.write("- none\n")
