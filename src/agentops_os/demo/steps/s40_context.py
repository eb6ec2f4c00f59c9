"""Context engineering: the 40% rule, a primed packet, a bundle, a handoff and resume."""

from __future__ import annotations

import json

from agentops_os.base.layout import AGENTS_DIR
from agentops_os.context import sample
from agentops_os.demo.runner import DemoContext, DemoStepFailed

TITLE = "Context: 40% budget, prime packet, bundle, handoff and resume"

SESSION = "d40c0de0-4040-4040-8040-404040404040"

CONSTITUTION = """# Constitution

## The 40% rule

- No phase uses more than 40% of the context window; hand off before that.

## Laws

1. Extract learnings from every session.
2. Improve the system, not only the code.
3. Document context in commits.
4. Validate before you execute.
5. Always suggest the next workflow.
"""

LEARNING = """---
title: Money is integer cents
---
Float prices in shop/orders.py rounded discounted totals wrong by a cent (9.99 vs 10.0).
Store prices as integer cents; round once at display time.
"""

NOTES = """# Research: order totals

So, basically I spent the morning reading the order code and talking to people about it.
As mentioned, nobody was sure why totals drift, and in general the code looks fine.
The bug: `total()` in shop/orders.py sums float prices, so 3 x 3.33 gives 9.99 instead of 10.0.
We decided to store prices as integer cents instead of floats because rounding must happen once.
Open question: should discounts round per line or per order?
""" + "".join(f"2026-11-03T12:00:{i:02d}Z INFO test run {i}: 12 passed in 0.{i:02d}s\n" for i in range(40))


def run(ctx: DemoContext) -> None:
    agents = ctx.repo / AGENTS_DIR
    if not (agents / "CONSTITUTION.md").exists():  # normally scaffolded by `ao init`
        agents.mkdir(exist_ok=True)
        (agents / "CONSTITUTION.md").write_text(CONSTITUTION)
    (agents / "learnings").mkdir(parents=True, exist_ok=True)
    (agents / "learnings" / "money-is-integer-cents.md").write_text(LEARNING)
    (ctx.repo / "notes").mkdir(exist_ok=True)
    (ctx.repo / "notes" / "research-totals.md").write_text(NOTES)
    transcript = sample.claude_path(ctx.home, ctx.repo, SESSION)
    sample.write(transcript, str(ctx.repo.resolve()), session_id=SESSION, branch="main",
                 peak_tokens=92_000)
    ctx.say(f"a Claude Code session transcript: {transcript.relative_to(ctx.home)}")

    ctx.ao("context", "check", ".", "--model", "claude-sonnet-4-5")
    ctx.ao("context", "check", "notes", "--window", "2000", expect=1)
    status = json.loads(ctx.ao("context", "status", "--session", SESSION, "--json", show=False).stdout)
    ctx.say(f"session {SESSION[:8]} holds {status['current_tokens']} tokens = "
            f"{status['current']:.0%} of its window (level: {status['level']})")
    payload = {"session_id": SESSION, "transcript_path": str(transcript), "cwd": str(ctx.repo),
               "hook_event_name": "UserPromptSubmit", "prompt": "keep going"}
    hook = ctx.ao("hook", "user-prompt-submit", input=json.dumps(payload), show=False)
    note = json.loads(hook.stdout)["hookSpecificOutput"]["additionalContext"] if hook.stdout else ""
    if "ao handoff save" not in note:
        raise DemoStepFailed("UserPromptSubmit gave no 40% note past 40%")
    ctx.say(f"UserPromptSubmit hook note: {note}")

    primed = ctx.ao("prime", "fix the discount rounding in order totals")
    if "integer cents" not in primed.stdout or "(source: .agents/CONSTITUTION.md)" not in primed.stdout:
        raise DemoStepFailed("prime packet lacks the constitution or the learning")

    ctx.ao("bundle", "create", "research-totals", "notes/research-totals.md", "--force")
    loaded = ctx.ao("bundle", "load", "research-totals")
    if "integer cents" not in loaded.stdout:
        raise DemoStepFailed("bundle lost the decision")

    ctx.ao("handoff", "save", "--session", SESSION)
    (ctx.repo / "shop" / "money.py").write_text("def cents(value):\n    return round(value * 100)\n")
    ctx.git("add", "shop/money.py")
    ctx.commit("Add integer-cents helper",
               context="money was summed as floats.",
               solution="an integer-cents helper in shop/money.py.",
               learning="keep money in integer cents end to end.",
               impact="totals no longer drift by a cent.")
    resumed = ctx.ao("resume")
    if "Add integer-cents helper" not in resumed.stdout:
        raise DemoStepFailed("resume did not show the commit made since the handoff")
    ctx.facts["context"] = {"session": SESSION, "utilisation": status["current"]}
