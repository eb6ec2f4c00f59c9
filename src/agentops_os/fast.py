"""Commands answered before click is imported.

`ao prime` opens sessions (`/prime`, scripts, workflow runners) and its budget is 150 ms
warm; importing click and the command tree costs ~60 ms of that. `ao gate run` runs in
git hooks on every commit and push, where a fully cached gate should cost little more
than starting Python. So, like `ao hook`, their plain forms are dispatched from
`entry.py`: this module parses exactly `ao prime TASK [--budget N] [--model M] [--json]`
and `ao gate run NAME [--changed|--all] [-j N] [--junit PATH] [--no-cache] [--json]`, and
returns None for anything else (`--help`, a typo, a missing argument), which then goes to
the click commands (`commands/prime.py`, `commands/gate.py`): the documented interface,
with its help and usage errors. Both paths run the same functions below.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from typing import Any

from agentops_os.errors import FatalError


def dispatch(args: list[str]) -> int | None:
    """The exit code of a command handled here, or None to let click handle `args`."""
    if args[:1] == ["prime"]:
        parsed_prime = _prime_args(args[1:])
        if parsed_prime is None:
            return None
        return _guarded(args, lambda: prime(*parsed_prime))
    if args[:2] == ["gate", "run"]:
        parsed_gate = _gate_args(args[2:])
        if parsed_gate is None:
            return None
        return _guarded(args, lambda: gate_run(*parsed_gate))
    return None


def _guarded(args: list[str], run: Callable[[], None]) -> int:
    """Errors as `main.main` reports them: one line, the documented exit codes."""
    try:
        run()
    except FatalError as exc:
        sys.stderr.write(f"ao: {exc}\n")
        return exc.exit_code
    except BrokenPipeError:
        sys.stderr.close()
    except KeyboardInterrupt:
        sys.stderr.write("ao: interrupted\n")
        return 130
    except Exception as exc:  # noqa: BLE001 - as in main.main: a crash log, not a traceback
        from agentops_os.main import report_crash

        return report_crash(args, exc)
    return 0


def _gate_args(args: list[str]) -> tuple[str, bool, int | None, str | None, bool, bool] | None:
    name: str | None = None
    changed, no_cache, as_json = False, False, False
    jobs: int | None = None
    junit: str | None = None
    rest = list(args)
    while rest:
        arg = rest.pop(0)
        option, eq, inline = arg.partition("=")
        if arg in ("--changed", "--all"):
            changed = arg == "--changed"
        elif arg == "--no-cache":
            no_cache = True
        elif arg == "--json":
            as_json = True
        elif option in ("-j", "--jobs", "--junit") or (arg.startswith("-j") and arg[2:].isdigit()):
            if arg.startswith("-j") and arg[2:].isdigit():
                inline, eq = arg[2:], "="
            if not eq:
                if not rest:
                    return None
                inline = rest.pop(0)
            if option == "--junit":
                if os.path.isdir(inline):
                    return None  # click says a directory is no place for the XML file
                junit = inline
            elif inline.isdigit() and int(inline) >= 1:
                jobs = int(inline)
            else:
                return None  # click says what is wrong with it
        elif arg.startswith("-") or name is not None:
            return None
        else:
            name = arg
    return None if name is None else (name, changed, jobs, junit, no_cache, as_json)


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


def _prime_items(config: Any) -> int:
    from agentops_os.improve.settings import Settings

    return Settings.of(config).prime_items


def _prime_args(args: list[str]) -> tuple[str, int | None, str | None, bool] | None:
    task: str | None = None
    budget: int | None = None
    model: str | None = None
    as_json = False
    rest = list(args)
    while rest:
        arg = rest.pop(0)
        name, eq, inline = arg.partition("=")
        if arg == "--json":
            as_json = True
        elif name in ("--budget", "--model"):
            if not eq:
                if not rest:
                    return None
                inline = rest.pop(0)
            if name == "--model":
                model = inline
            else:
                try:
                    budget = int(inline)
                except ValueError:
                    return None
        elif arg.startswith("-") or task is not None:
            return None
        else:
            task = arg
    return None if task is None else (task, budget, model, as_json)


def prime(task: str, budget: int | None, model: str | None, as_json: bool) -> None:
    """`ao prime` (both entry points): the packet on stdout, its size on stderr."""
    from agentops_os.config import load_config
    from agentops_os.context.prime import build, default_budget
    from agentops_os.repo import require_root

    root = require_root()
    config = load_config(root)
    window = config.window_for(model)
    if budget is None:
        budget = default_budget(config, model)
    if not 0 < budget <= window:
        raise FatalError(f"--budget must be between 1 and the window ({window}), got {budget}")
    packet = build(root, task, budget,
                   rescan_seconds=float(config.get("context.index_rescan_seconds")),
                   improve_items=_prime_items(config))
    if as_json:
        from agentops_os import render

        render.emit_json(packet.to_json())
        return
    sys.stdout.write(packet.text)
    sys.stderr.write(f"prime: {packet.tokens}/{budget} tokens, {len(packet.items)} items"
                     + (f", {len(packet.dropped)} dropped for budget" if packet.dropped else "") + "\n")
