"""`ao gate run NAME`: run a gate set, write its JUnit report, record the verdict in the
audit ledger and show it. One function for both entry points (`agentops_os.fast`, which
answers before click is imported, and `commands/gate.py`)."""

from __future__ import annotations

from typing import Any

from agentops_os.errors import FatalError


def gate_run(name: str, changed: bool, jobs: int | None, junit: str | None, no_cache: bool,
             as_json: bool) -> None:
    """`ao gate run` (both entry points); raises CheckFailed when a check fails."""
    from pathlib import Path

    from agentops_os import render
    from agentops_os.config import load_config
    from agentops_os.errors import CheckFailed
    from agentops_os.gates.config import load_gates
    from agentops_os.gates.runner import run_gate
    from agentops_os.repo import require_root

    root = require_root()
    config = load_config(root)
    gates = load_gates(config)
    if name not in gates.sets:
        known = ", ".join(sorted(gates.sets)) or "none"
        raise FatalError(f"unknown gate set '{name}' (defined: {known}); add it under [gates.sets]")
    result = run_gate(root, gates, name, changed=changed, jobs=jobs, use_cache=not no_cache)
    if junit:
        from agentops_os.gates.junit import write_junit

        write_junit(result, Path(junit))
    _record_gate(root, result, config)
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


def _record_gate(root: Any, result: Any, config: Any) -> None:
    """The verdict into the audit ledger (`ao metrics` reads failed gates per commit)."""
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
