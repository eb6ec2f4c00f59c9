"""Commands answered before click is imported.

`ao prime` opens sessions (`/prime`, scripts, workflow runners) and its budget is 150 ms
warm; importing click and the command tree costs ~60 ms of that. `ao gate run` runs in
git hooks on every commit and push, where a fully cached gate should cost little more
than starting Python. So, like `ao hook`, their plain forms are dispatched from
`entry.py`: this module parses exactly `ao prime TASK [--budget N] [--model M] [--json]`
and `ao gate run NAME [--changed|--all] [-j N] [--junit PATH] [--no-cache] [--json]`, and
returns None for anything else (`--help`, a typo, a missing argument), which then goes to
the click commands (`commands/prime.py`, `commands/gate.py`): the documented interface,
with its help and usage errors. Both paths run the same use cases
(`context.prime_usecase.prime`, `gates.usecase.gate_run`); this module only parses argv.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable

from agentops_os.errors import FatalError


def dispatch(args: list[str]) -> int | None:
    """The exit code of a command handled here, or None to let click handle `args`."""
    if args[:1] == ["prime"]:
        parsed_prime = _prime_args(args[1:])
        if parsed_prime is None:
            return None
        from agentops_os.context.prime_usecase import prime

        return _guarded(args, lambda: prime(*parsed_prime))
    if args[:2] == ["gate", "run"]:
        parsed_gate = _gate_args(args[2:])
        if parsed_gate is None:
            return None
        from agentops_os.gates.usecase import gate_run

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
