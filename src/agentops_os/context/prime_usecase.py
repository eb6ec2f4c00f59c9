"""`ao prime TASK`: the packet for a task within a token budget, on stdout (its size on
stderr). One function for both entry points (`agentops_os.fast`, which answers before
click is imported, and `commands/prime.py`)."""

from __future__ import annotations

import sys
from typing import Any

from agentops_os.errors import FatalError


def _prime_items(config: Any) -> int:
    from agentops_os.improve.settings import Settings

    return Settings.of(config).prime_items


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
    from agentops_os.knowledge.retrievals import record_packet  # for `ao report` (docs/report.md)

    record_packet(root, packet)
    if as_json:
        from agentops_os import render

        render.emit_json(packet.to_json())
        return
    sys.stdout.write(packet.text)
    sys.stderr.write(f"prime: {packet.tokens}/{budget} tokens, {len(packet.items)} items"
                     + (f", {len(packet.dropped)} dropped for budget" if packet.dropped else "") + "\n")
