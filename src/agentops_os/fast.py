"""Commands answered before click is imported.

`ao prime` opens sessions (`/prime`, scripts, workflow runners) and its budget is 150 ms
warm; importing click and the command tree costs ~60 ms of that. So, like `ao hook`,
its plain forms are dispatched from `entry.py`: this module parses exactly
`ao prime TASK [--budget N] [--model M] [--json]` and returns None for anything else
(`--help`, a typo, a missing task), which then goes to the click command in
`commands/prime.py`: the documented interface, with its help and usage errors.
"""

from __future__ import annotations

import sys

from agentops_os.errors import FatalError


def dispatch(args: list[str]) -> int | None:
    """The exit code of a command handled here, or None to let click handle `args`."""
    if args[:1] != ["prime"]:
        return None
    parsed = _prime_args(args[1:])
    if parsed is None:
        return None
    try:
        prime(*parsed)
    except FatalError as exc:
        sys.stderr.write(f"ao: {exc}\n")
        return exc.exit_code
    except BrokenPipeError:
        sys.stderr.close()
    return 0


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
                   rescan_seconds=float(config.get("context.index_rescan_seconds")))
    if as_json:
        from agentops_os import render

        render.emit_json(packet.to_json())
        return
    sys.stdout.write(packet.text)
    sys.stderr.write(f"prime: {packet.tokens}/{budget} tokens, {len(packet.items)} items"
                     + (f", {len(packet.dropped)} dropped for budget" if packet.dropped else "") + "\n")
