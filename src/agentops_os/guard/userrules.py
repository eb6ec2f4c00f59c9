"""`[[guard.rules]]`: the user's own rules, matched on a subject string.

For shell commands the subject is one whole simple command (see `commands`), never the
whole command line: `^npm test$` allows `npm test`, not `npm test && rm -rf ~`.
"""

from __future__ import annotations

from agentops_os.guard.verdict import Verdict, worst

TYPE_CHECKING = False
if TYPE_CHECKING:
    from agentops_os.guard.scope import Scope


def user_rules(judge: Scope, subject: str) -> Verdict | None:
    """The strongest matching user rule (None if none matched)."""
    found: list[Verdict | None] = []
    for rule in judge.policy.rules:
        if rule.search(subject):
            found.append(Verdict(rule.decision, rule.reason, "user-rule"))
    return worst(found) if found else None
