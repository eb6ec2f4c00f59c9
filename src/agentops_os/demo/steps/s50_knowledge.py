"""Forge candidate learnings from commits and a transcript, review one, find it again."""

from __future__ import annotations

import json

from agentops_os.demo.runner import DemoContext, DemoStepFailed
from agentops_os.knowledge.samples import DEMO_SESSION, DEMO_TURNS, write_claude_session

TITLE = "Knowledge flywheel: forge, review and search learnings"

COMMITS = [
    ("shop/discounts.py", "DISCOUNT_CODES = {'WELCOME10': 10}\n",
     "feat(orders): add discount codes\n\n"
     "Context: marketing needs welcome codes.\n"
     "Solution: a table of codes applied before tax.\n"
     "Learning: apply percentage discounts before tax, never after, or totals drift by a cent.\n"
     "Impact: checkout supports WELCOME10.\n"),
    ("shop/retry.py", "RETRIES = 3\n",
     "fix(payments): retry the gateway with jitter\n\n"
     "The gateway rate-limits bursts; we retry until it answers, still bounded.\n\n"
     "Context: checkout failed during a gateway brown-out.\n"
     "Solution: exponential backoff with full jitter, three attempts.\n"
     "Learning: retries without jitter synchronise clients and amplify an outage\n"
     "Impact: checkout rides out short gateway outages.\n"),
]


def run(ctx: DemoContext) -> None:
    if not (ctx.repo / ".git").exists():
        ctx.git("init", "-q", "-b", "main")
    for path, content, message in COMMITS:
        target = ctx.repo / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(content)
        ctx.git("add", path)
        ctx.git("commit", "-q", "-m", message)
    # Our own Claude Code transcript, in its real line shapes (other steps may add more).
    write_claude_session(ctx.home, ctx.repo, DEMO_SESSION, DEMO_TURNS)

    forged = json.loads(ctx.ao("forge", "--json", show=False).stdout)
    ctx.ao("forge", "--dry-run")  # shows nothing new: the run above wrote them all
    ctx.ao("learn", "review")
    lessons = [c for c in forged["candidates"] if "jitter" in c["title"]]
    rules = {c["source"]["type"] for c in forged["candidates"]}
    if not lessons or "session" not in rules or "commit" not in rules:
        raise DemoStepFailed(f"forge missed expected candidates: {forged['candidates']}")
    if any("until" in c["title"].lower() and "TIL" in c["title"] for c in forged["candidates"]):
        raise DemoStepFailed("forge matched TIL inside 'until'")
    chosen = lessons[0]["id"]
    accepted = json.loads(ctx.ao("learn", "review", "--accept", chosen, "--json").stdout)
    learning_id = accepted[0]["learning"]
    ctx.ao("learn", "show", learning_id)
    found = ctx.ao("search", "retry jitter outage", "--json", show=False)
    hits = json.loads(found.stdout)["hits"]
    ctx.ao("search", "retry jitter outage", "--limit", "3")
    if not hits or hits[0]["id"] != learning_id:
        raise DemoStepFailed(f"search did not rank the accepted learning first: {hits[:2]}")
    ctx.ao("feedback", learning_id, "helpful")
    ctx.facts["learning_id"] = learning_id
