"""Ingest a realistic sample of agent transcripts and show usage and metrics."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from agentops_os.demo.runner import DemoContext
from agentops_os.sessions.sample import write_sample_corpus

TITLE = "Session ledger: ingest transcripts, usage and metrics"


def run(ctx: DemoContext) -> None:
    # Three Claude Code sessions (one with a subagent, one compacted) and a Codex rollout,
    # the last session still running now, all in this repo -- as if agents had worked here.
    start = datetime.now(tz=UTC) - timedelta(minutes=22)
    paths = write_sample_corpus(ctx.home, ctx.repo, sessions=3, seed=0, start=start,
                                spacing=timedelta(minutes=10))
    ctx.facts["sample_transcripts"] = [str(p) for p in paths]
    ctx.say(f"wrote {len(paths)} sample transcripts under {ctx.home}/.claude and {ctx.home}/.codex")
    # The agent's work lands as a commit during the last session.
    orders = ctx.repo / "shop" / "orders.py"
    orders.write_text(orders.read_text().replace("i['qty']", "i.get('qty', 1)"))
    ctx.git("add", "shop/orders.py")
    ctx.commit("Default a missing quantity to 1",
               context="orders without a qty field crashed total().",
               solution="treat a missing quantity as 1.",
               learning="validate optional fields at the boundary, not deep in the sum.",
               impact="old orders total correctly again.")
    ctx.ao("sessions", "ingest")
    ctx.ao("sessions", "ingest")  # unchanged: nothing is read again
    listing = ctx.ao("sessions", "list", "--json", show=False)
    import json

    sessions = json.loads(listing.stdout)["sessions"]
    ctx.facts["sessions"] = [s["key"] for s in sessions]
    ctx.ao("sessions", "list")
    ctx.ao("usage", "daily", "--breakdown")
    ctx.ao("usage", "blocks")
    compacted = next(s for s in sessions if s["compactions"])
    ctx.ao("sessions", "show", compacted["session_id"][:8])
    ctx.ao("sessions", "mark", compacted["session_id"][:8], "fail", "--note", "context collapsed")
    ctx.ao("metrics", "--by", "agent")
    if not any(s["commits"] for s in sessions):
        from agentops_os.demo.runner import DemoStepFailed

        raise DemoStepFailed("the commit made during the last session was not attributed to it")
