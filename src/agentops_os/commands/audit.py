"""`ao audit verify|log`: check the hash-chained ledger and read it."""

from __future__ import annotations

import re
import time

import click

from agentops_os import render
from agentops_os.errors import CheckFailed, FatalError
from agentops_os.repo import require_root


@click.group("audit")
def cli() -> None:
    """The hash-chained audit ledger: guard denials, gate verdicts, approvals, budget stops."""


@cli.command("verify")
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
def verify_cmd(as_json: bool) -> None:
    """Check every chain; exit 1 naming the first edited, deleted, reordered or cut record."""
    from agentops_os.audit.verify import verify

    result = verify(require_root())
    if as_json:
        render.emit_json(result)
    else:
        render.table(["writer", "records", "status"],
                     [(c["writer"], c["records"], "ok" if c["ok"] else "BROKEN") for c in result["chains"]])
    if not result["chains"]:
        render.info("audit ledger is empty (nothing to verify)")
    broken = [c for c in result["chains"] if not c["ok"]]
    if broken:
        raise CheckFailed(f"audit ledger broken: {broken[0]['problem']}")
    if result["chains"]:
        total = sum(c["records"] for c in result["chains"])
        render.info(f"audit ledger ok: {total} records in {len(result['chains'])} chain(s)")


def parse_since(text: str) -> str:
    """`7d`, `12h`, `30m` or an ISO date/time -> ISO timestamp (UTC) to compare with `at`."""
    match = re.fullmatch(r"(\d+)([dhm])", text.strip())
    if match:
        seconds = int(match.group(1)) * {"d": 86400, "h": 3600, "m": 60}[match.group(2)]
        return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(time.time() - seconds))
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2})?Z?)?", text.strip()):
        return text.strip().replace(" ", "T")
    raise FatalError(f"--since {text!r}: use 7d, 12h, 30m or a date like 2026-01-31")


@cli.command("log")
@click.option("--kind", help="Only records of this kind or kind prefix (guard, gate.verdict, approval...).")
@click.option("--since", help="Only records since 7d / 12h / 30m or an ISO date.")
@click.option("--json", "as_json", is_flag=True, help="Print records as JSON.")
def log_cmd(kind: str | None, since: str | None, as_json: bool) -> None:
    """List ledger records, oldest first."""
    from agentops_os.audit.ledger import iter_records

    cutoff = parse_since(since) if since else None
    errors: list[str] = []
    rows = []
    for record in iter_records(require_root(), errors):
        if kind and not (record.get("kind") == kind or str(record.get("kind", "")).startswith(kind + ".")):
            continue
        if cutoff and str(record.get("at", "")) < cutoff:
            continue
        rows.append(record)
    for problem in errors:
        render.info(f"skipped: {problem}")
    if as_json:
        render.emit_json({"records": rows, "skipped": len(errors)})
        return
    render.table(["at", "kind", "writer", "summary"],
                 [(r.get("at"), r.get("kind"), r.get("writer"), _summary(r)) for r in rows])


def _summary(record: dict[str, object]) -> str:
    for key in ("reason", "summary", "subject", "path"):
        value = record.get(key)
        if isinstance(value, str) and value:
            return value[:90]
    return ""
