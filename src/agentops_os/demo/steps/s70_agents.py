"""Install the SRE profile, lint its agents, and route a few tasks (one out of scope)."""

from __future__ import annotations

import json

from agentops_os.demo.runner import DemoContext, DemoStepFailed

TITLE = "Focused agents: install a profile and route tasks to specialists"

TASKS = [
    "error rate on checkout spiked right after the deploy",
    "write up the postmortem for Tuesday's outage",
    "add OpenTelemetry tracing to the payments service",
]
OUT_OF_SCOPE = "plan a birthday party for my daughter"


def run(ctx: DemoContext) -> None:
    ctx.ao("profile", "install", "sre")
    ctx.ao("agents", "list", "--kind", "agent")
    lint = ctx.ao("agents", "lint", expect=None)
    ctx.say("  " + (lint.stderr.strip().splitlines() or ["(no output)"])[0])
    routed = {}
    for task in TASKS:
        ctx.ao("route", "--top", "2", task)
        data = json.loads(ctx.ao("route", "--json", task, show=False).stdout)
        routed[task] = data["agent"]
    ctx.ao("route", "--explain", "--top", "1", TASKS[1])
    off = json.loads(ctx.ao("route", "--json", OUT_OF_SCOPE, show=False).stdout)
    ctx.ao("route", OUT_OF_SCOPE)
    if not off["abstained"]:
        raise DemoStepFailed(f"the router should abstain on {OUT_OF_SCOPE!r}, chose {off['agent']}")
    ctx.ao("route", "feedback", TASKS[0], "--agent", routed[TASKS[0]] or "incident-responder")
    ctx.facts["routed"] = routed
    ctx.say(f"routed {len(routed)} tasks: " + ", ".join(f"{a}" for a in routed.values()) +
            f"; abstained on {OUT_OF_SCOPE!r} ({off['reason']})")
