"""Set up AgentOps in the sample repository and show the commit-message hook at work."""

from __future__ import annotations

from agentops_os.demo.runner import DemoContext, DemoStepFailed

TITLE = "ao init: scaffold, idempotent re-run, doctor, Law 3 commit hook"

GOOD_MESSAGE = (
    "Round order totals once\n\n"
    "Context: totals drifted by a cent with discounts.\n"
    "Solution: round once at the end of total().\n"
    "Learning: float sums drift; round money once.\n"
    "Impact: invoices match the payment provider.\n"
)


def run(ctx: DemoContext) -> None:
    first = ctx.ao("init", show=False)
    changes = [line for line in first.stderr.splitlines() if line.startswith("changed ")]
    ctx.say(f"$ ao init\n  {len(changes)} changes, e.g.:")
    for line in changes:
        if any(key in line for key in ("CONSTITUTION", "settings.json", "hooks/commit-msg", "AGENTS.md")):
            ctx.say("  " + line)
    again = ctx.ao("init", show=False)
    ctx.say("$ ao init   # again\n  " + again.stderr.strip())
    if "nothing to do" not in again.stderr:
        raise DemoStepFailed("second `ao init` was not a no-op")
    ctx.ao("doctor")
    ctx.git("add", "-A")
    ctx.git("commit", "-q", "-m", "Initialise AgentOps", "-m", "Context: operate agents with AgentOps.",
            "-m", "Solution: ao init.", "-m", "Learning: scaffold once, merge forever.",
            "-m", "Impact: hooks record sessions and check commits.")

    (ctx.repo / "shop" / "orders.py").write_text(
        "def total(items):\n"
        "    \"\"\"Sum of price * quantity, rounded once.\"\"\"\n"
        "    return round(sum(i['price'] * i['qty'] for i in items), 2)\n"
    )
    ctx.git("add", "-A")
    rejected = ctx.run(["git", "commit", "-q", "-m", "Round totals"], check=False)
    ctx.say("$ git commit -m 'Round totals'")
    for line in rejected.stderr.strip().splitlines()[:3]:
        ctx.say("  " + line)
    if rejected.returncode == 0:
        raise DemoStepFailed("the commit-msg hook accepted a message without Context/Solution/...")
    message = ctx.repo.parent / "commit-message.txt"
    message.write_text(GOOD_MESSAGE)
    ctx.ao("commit", "check", str(message))
    ctx.git("commit", "-q", "-F", str(message))
    ctx.say("$ git commit -F commit-message.txt\n  " + ctx.git("log", "-1", "--format=%h %s").strip())
    ctx.facts["init_changes"] = len(changes)
