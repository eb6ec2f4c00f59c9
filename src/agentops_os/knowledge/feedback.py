"""`ao feedback ID helpful|harmful`: move a learning's utility in its tracked file.

helpful: u += step * (1 - u); harmful: u -= step * u. Counts are kept next to it, so
the history of votes is visible in the file and survives an index rebuild.
"""

from __future__ import annotations

from agentops_os.config import load_config
from agentops_os.errors import FatalError
from agentops_os.knowledge import learnings
from agentops_os.knowledge.model import Learning
from agentops_os.store import Store

VERDICTS = ("helpful", "harmful")


def apply(store: Store, learning_id: str, verdict: str) -> tuple[Learning, float]:
    if verdict not in VERDICTS:
        raise FatalError(f"verdict must be one of {', '.join(VERDICTS)}, not {verdict!r}")
    step = float(load_config(store.root).get("learn.feedback_step"))
    item = learnings.get(store, learning_id)
    before = item.utility
    if verdict == "helpful":
        item.utility = before + step * (1.0 - before)
    else:
        item.utility = before - step * before
    item.utility = round(min(max(item.utility, 0.0), 1.0), 3)
    key = f"{verdict}_count"
    item.extra[key] = int(item.extra.get(key, 0)) + 1
    learnings.save(store, item)
    return item, before
