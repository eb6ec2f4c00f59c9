"""`ao approve request|grant|deny|check|list`: human approvals bound to file content."""

from __future__ import annotations

from pathlib import Path

import click

from agentops_os import render
from agentops_os.errors import CheckFailed
from agentops_os.repo import require_root


@click.group("approve")
def cli() -> None:
    """Approvals bound to a file's content hash (editing the file un-approves it)."""


def _show(item, as_json: bool) -> None:  # type: ignore[no-untyped-def]
    if as_json:
        render.emit_json(item.to_dict())
    else:
        render.table(["id", "kind", "path", "status", "by"],
                     [(item.id, item.kind, item.path, item.status, item.decided_by or item.requested_by)])


@cli.command("request")
@click.argument("kind")
@click.argument("path", type=click.Path(path_type=Path))
@click.option("--by", default="", help="Who asks (default: blank).")
@click.option("--comment", default="", help="Why this needs approval.")
@click.option("--json", "as_json", is_flag=True, help="Print the request as JSON.")
def request_cmd(kind: str, path: Path, by: str, comment: str, as_json: bool) -> None:
    """Ask for approval of KIND (plan, deploy, ...) for PATH as it is now."""
    from agentops_os.approvals.core import request

    _show(request(require_root(), kind, str(path), by, comment), as_json)


def _decide(ident: str, by: str, comment: str, as_json: bool, grant: bool) -> None:
    from agentops_os.approvals.core import decide

    _show(decide(require_root(), ident, grant, by, comment), as_json)


@cli.command("grant")
@click.argument("ident", metavar="ID")
@click.option("--by", required=True, help="Who approves.")
@click.option("--comment", default="")
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
def grant_cmd(ident: str, by: str, comment: str, as_json: bool) -> None:
    """Approve request ID (refused if the file changed since the request)."""
    _decide(ident, by, comment, as_json, True)


@cli.command("deny")
@click.argument("ident", metavar="ID")
@click.option("--by", required=True, help="Who denies.")
@click.option("--comment", default="")
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
def deny_cmd(ident: str, by: str, comment: str, as_json: bool) -> None:
    """Deny request ID."""
    _decide(ident, by, comment, as_json, False)


@cli.command("check")
@click.argument("kind")
@click.argument("path", type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
def check_cmd(kind: str, path: Path, as_json: bool) -> None:
    """Exit 0 only if PATH's current content has a granted KIND approval."""
    from agentops_os.approvals.core import check

    ok, why = check(require_root(), kind, str(path))
    if as_json:
        render.emit_json({"approved": ok, "reason": why})
    if not ok:
        raise CheckFailed(why)
    if not as_json:
        render.info(why)


@cli.command("list")
@click.option("--pending", is_flag=True, help="Only requests awaiting a decision.")
@click.option("--json", "as_json", is_flag=True, help="Print as JSON.")
def list_cmd(pending: bool, as_json: bool) -> None:
    """All approval requests and their state."""
    from agentops_os.approvals.core import approvals

    items = [a for a in approvals(require_root()).values() if not pending or a.status == "pending"]
    if as_json:
        render.emit_json({"approvals": [a.to_dict() for a in items]})
        return
    render.table(["id", "kind", "path", "status", "requested", "decided by"],
                 [(a.id, a.kind, a.path, a.status, a.requested_at, a.decided_by) for a in items])
