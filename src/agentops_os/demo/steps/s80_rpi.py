"""A whole RPI run with the scripted runtime: research, plan, approval, implement, a failed
gate and a retry, learn, handoff; then where its sessions show up."""

from __future__ import annotations

import json

from agentops_os.demo.runner import DemoContext, DemoStepFailed

TITLE = "Multi-phase work: ao rpi with a fresh context per phase, a plan approval and a gate retry"
GOAL = "Add an optional discount to shop.orders.total"


def run(ctx: DemoContext) -> None:
    # The run branches from HEAD: commit what the earlier steps set up (gates, agents).
    ctx.git("add", "-A")
    ctx.git("commit", "-q", "--no-verify", "-m", "Set up AgentOps")
    ctx.ao("rpi", GOAL, "--runtime", "scripted", "--approve", "ask")
    state = json.loads(ctx.ao("rpi", "status", "--json", show=False).stdout)
    if state["status"] != "awaiting-approval":
        raise DemoStepFailed(f"the run should wait for the plan's approval, it is {state['status']}")
    ctx.ao("approve", "grant", state["approval"], "--by", "lead")
    ctx.ao("rpi", "resume", state["id"])
    ctx.ao("rpi", "show", state["id"])
    done = json.loads(ctx.ao("rpi", "status", "--json", show=False).stdout)
    if done["status"] != "done":
        raise DemoStepFailed(f"the run ended {done['status']}: {done['error']}")
    implements = [c for c in done["calls"] if c["phase"] == "implement"]
    if len(implements) != 2:
        raise DemoStepFailed(f"expected a gate failure and one retry, got {len(implements)} implement calls")
    ctx.say("$ git log --oneline " + done["repo"]["branch"])
    for line in ctx.git("log", "--oneline", "-3", done["repo"]["branch"]).splitlines():
        ctx.say("  " + line)
    ctx.ao("usage", "session", "--run", done["id"])
    ctx.ao("metrics", "--by", "agent")
    ctx.facts["rpi"] = done["id"]
    ctx.say(f"run {done['id']}: {len(done['calls'])} fresh agent contexts, "
            f"branch {done['repo']['branch']} left for review, handoff {done['handoff']}")
