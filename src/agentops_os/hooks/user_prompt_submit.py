"""UserPromptSubmit: a note in the agent's context when the session passes 40% of its
window (suggest a handoff) and a firm one past 60% (hand off and start fresh).

Runs on every prompt, so it is cheap by design: reads only the transcript's last
`context.tail_bytes` through `context.tail` (os + the `_json` scanner) and the settings
snapshot (`base.snapshot`); no pathlib, dataclasses, typing or re (bench/hook_latency).
"""

from __future__ import annotations

import os

from agentops_os.hooks.protocol import HookContext, HookResult


def note_for(tokens: int, window: int, warn: float, stop: float) -> str | None:
    share = tokens / window if window else 0.0
    used = f"{share:.0%} of its {window // 1000}k-token context window ({tokens:,} tokens)"
    if share >= stop:
        return (f"AgentOps: this session now uses {used}, past the {stop:.0%} limit. "
                "Before doing more work, write a handoff (`ao handoff save`), then continue in a "
                "fresh session that starts with `ao resume`.")
    if share >= warn:
        return (f"AgentOps: this session uses {used}, past the {warn:.0%} rule. At the next "
                "natural break, consider `ao handoff save` and a fresh session.")
    return None


def handle(context: HookContext) -> HookResult | None:
    transcript = context.payload.get("transcript_path")
    if not isinstance(transcript, str) or not transcript:
        return None
    from agentops_os.base.snapshot import settings
    from agentops_os.context.tail import last_usage

    config = settings(context.root_str)
    usage = last_usage(os.path.expanduser(transcript), int(config.get("context.tail_bytes")))
    if usage is None:
        return None
    tokens, model, reported_window = usage
    window = reported_window or config.window_for(model)
    note = note_for(tokens, window, float(config.get("context.warn_fraction")),
                    float(config.get("context.stop_fraction")))
    return HookResult(additional_context=note) if note else None
