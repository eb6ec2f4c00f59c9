"""Approvals live in the audit ledger: a request names KIND, PATH and the sha256 of PATH's
content; a grant or denial names the request. `check` passes only if the *current*
content of PATH has a granted request, so editing an approved plan un-approves it.
Because records are hash-chained, an approval cannot be forged by editing a file."""

from __future__ import annotations

import hashlib
import os
import re
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from agentops_os.audit.ledger import append, iter_records
from agentops_os.errors import CheckFailed, FatalError

_KIND = re.compile(r"^[a-z][a-z0-9_-]{0,40}$")


@dataclass
class Approval:
    id: str
    kind: str
    path: str
    sha256: str
    status: str  # pending | granted | denied
    requested_by: str = ""
    requested_at: str = ""
    decided_by: str = ""
    decided_at: str = ""
    comment: str = ""

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def relative(root: Path, path: str) -> str:
    full = Path(os.path.abspath(path))
    try:
        rel = full.resolve().relative_to(root.resolve())
    except ValueError:
        raise FatalError(f"{path}: outside the repository {root}") from None
    if not full.is_file():
        raise FatalError(f"{path}: no such file")
    return rel.as_posix()


def content_hash(root: Path, rel: str) -> str:
    return hashlib.sha256((root / rel).read_bytes()).hexdigest()


def _check_kind(kind: str) -> None:
    if not _KIND.match(kind):
        raise FatalError(f"approval kind {kind!r}: use a lowercase word like plan, deploy, migration")


def approvals(root: Path) -> dict[str, Approval]:
    found: dict[str, Approval] = {}
    for record in iter_records(root):
        kind = record.get("kind")
        if kind == "approval.request":
            found[str(record["id"])] = Approval(
                str(record["id"]), str(record["approval_kind"]), str(record["path"]), str(record["sha256"]),
                "pending", str(record.get("by", "")), str(record.get("at", "")),
                comment=str(record.get("comment", "")))
        elif kind in ("approval.grant", "approval.deny") and str(record.get("id")) in found:
            item = found[str(record["id"])]
            if record.get("sha256") != item.sha256:
                continue  # a decision about other content does not apply
            item.status = "granted" if kind == "approval.grant" else "denied"
            item.decided_by = str(record.get("by", ""))
            item.decided_at = str(record.get("at", ""))
            item.comment = str(record.get("comment", "")) or item.comment
    return found


def request(root: Path, kind: str, path: str, by: str = "", comment: str = "") -> Approval:
    _check_kind(kind)
    rel = relative(root, path)
    sha = content_hash(root, rel)
    for item in approvals(root).values():
        if item.kind == kind and item.path == rel and item.sha256 == sha and item.status != "denied":
            return item  # the same content is already requested or granted
    ident = "ap-" + hashlib.sha256(f"{kind}|{rel}|{sha}".encode()).hexdigest()[:10]
    record = append(root, "approval.request", {"id": ident, "approval_kind": kind, "path": rel, "sha256": sha,
                                               "by": by, "comment": comment})
    return Approval(ident, kind, rel, sha, "pending", by, str(record["at"]), comment=comment)


def decide(root: Path, ident: str, grant: bool, by: str, comment: str = "") -> Approval:
    if not by.strip():
        raise FatalError("--by NAME is required: an approval must say who decided")
    items = approvals(root)
    if ident not in items:
        raise FatalError(f"no approval request {ident!r} (see `ao approve list`)")
    item = items[ident]
    current = content_hash(root, item.path) if (root / item.path).is_file() else "missing"
    if grant and current != item.sha256:
        raise CheckFailed(f"{item.path} changed since approval {ident} was requested "
                          f"(requested {item.sha256[:12]}, now {current[:12]}); request approval again")
    append(root, "approval.grant" if grant else "approval.deny",
           {"id": ident, "approval_kind": item.kind, "path": item.path, "sha256": item.sha256, "by": by,
            "comment": comment})
    return approvals(root)[ident]


def check(root: Path, kind: str, path: str) -> tuple[bool, str]:
    _check_kind(kind)
    rel = relative(root, path)
    sha = content_hash(root, rel)
    from agentops_os.audit.verify import verify

    broken = [c for c in verify(root)["chains"] if not c["ok"]]
    if broken:  # a tampered ledger could carry a forged grant: trust nothing in it
        problem = broken[0]["problem"]
        return False, f"the audit ledger does not verify, so no approval can be trusted: {problem}"
    mine = [a for a in approvals(root).values() if a.kind == kind and a.path == rel]
    for item in mine:
        if item.sha256 == sha and item.status == "granted":
            return True, f"{rel}: {kind} approved by {item.decided_by} at {item.decided_at} ({item.id})"
    for item in mine:
        if item.sha256 == sha and item.status == "denied":
            return False, f"{rel}: {kind} denied by {item.decided_by} ({item.id})"
    for item in mine:
        if item.sha256 == sha:
            return False, f"{rel}: {kind} approval {item.id} is still pending"
    if any(a.status == "granted" for a in mine):
        return False, f"{rel}: edited after its {kind} approval (approved content differs); request again"
    return False, f"{rel}: no {kind} approval (run `ao approve request {kind} {rel}`)"
