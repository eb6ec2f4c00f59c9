"""`ao audit verify`: walk every chain and name the first record that does not hold."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import orjson

from agentops_os import git
from agentops_os.audit.ledger import GENESIS, audit_dir, chain_files, digest


def verify(root: Path) -> dict[str, Any]:
    """{"ok": bool, "chains": [{"writer", "records", "ok", "problem", "line"}...]}."""
    chains: list[dict[str, Any]] = []
    seen: set[str] = set()
    for path in chain_files(root):
        writer = path.stem
        seen.add(writer)
        chains.append(_verify_chain(root, path, writer))
    directory = audit_dir(root)
    if directory.is_dir():
        for head in sorted(directory.glob("*.head.json")):
            writer = head.name[: -len(".head.json")]
            if writer not in seen:
                chains.append({"writer": writer, "file": str(head.relative_to(root)), "records": 0,
                               "ok": False, "line": None,
                               "problem": f"chain file {writer}.jsonl is missing but its head file exists"})
    return {"ok": all(c["ok"] for c in chains), "chains": chains}


def _verify_chain(root: Path, path: Path, writer: str) -> dict[str, Any]:
    rel = str(path.relative_to(root))
    result: dict[str, Any] = {"writer": writer, "file": rel, "records": 0, "ok": True, "problem": None,
                              "line": None}

    def broken(line: int | None, problem: str) -> dict[str, Any]:
        result.update(ok=False, line=line, problem=problem)
        return result

    raw = path.read_bytes()
    lines = raw.split(b"\n")
    if lines and lines[-1] == b"":
        lines.pop()
    elif raw:
        return broken(len(lines), f"{rel}:{len(lines)}: last record is cut off (no final newline)")
    prev, seq = GENESIS, 0
    for number, line in enumerate(lines, start=1):
        try:
            record = orjson.loads(line)
        except orjson.JSONDecodeError:
            return broken(number, f"{rel}:{number}: not valid JSON (record edited or corrupted)")
        if not isinstance(record, dict) or "hash" not in record:
            return broken(number, f"{rel}:{number}: not a ledger record")
        label = f"{rel}:{number} (seq {record.get('seq')}, {record.get('kind')}, {record.get('at')})"
        if digest(record) != record["hash"]:
            return broken(number, f"{label}: content does not match its hash (record edited)")
        if record.get("prev") != prev:
            return broken(number, f"{label}: previous-hash link broken "
                                  f"(a record before it was deleted, inserted or reordered)")
        if record.get("seq") != seq + 1:
            return broken(number, f"{label}: sequence jumps from {seq} to {record.get('seq')} "
                                  f"(records deleted or reordered)")
        prev, seq = record["hash"], record["seq"]
        result["records"] = number
    head_path = path.with_name(f"{writer}.head.json")
    if head_path.exists():
        try:
            head = orjson.loads(head_path.read_bytes())
        except orjson.JSONDecodeError:
            return broken(None, f"{head_path.relative_to(root)}: not valid JSON")
        if head.get("seq") != seq or head.get("hash") != prev:
            return broken(len(lines) + 1 if head.get("seq", 0) > seq else None,
                          f"{rel}: chain ends at seq {seq} but its head file records seq {head.get('seq')} "
                          f"(records cut off the end: first missing is seq {seq + 1})"
                          if head.get("seq", 0) > seq else
                          f"{rel}: head file does not match the end of the chain (head edited)")
    committed = _committed(root, rel)
    if committed is not None and not raw.startswith(committed):
        old = committed.split(b"\n")
        for number, line in enumerate(old, start=1):
            if number > len(lines) or lines[number - 1] != line:
                if number > len(lines):
                    return broken(number, f"{rel}:{number}: record committed in HEAD is missing "
                                          f"(ledger truncated since the last commit)")
                return broken(number, f"{rel}:{number}: differs from the committed ledger "
                                      f"(rewritten since the last commit)")
    return result


def _committed(root: Path, rel: str) -> bytes | None:
    """The chain as committed in HEAD, or None if it is not committed (or no git)."""
    try:
        if not git.head_sha(root) or not git.run(["ls-tree", "HEAD", "--", rel], root).strip():
            return None
        return git.run(["show", f"HEAD:{rel}"], root).encode("utf-8")
    except git.GitError:
        return None
