"""A guard verdict and how verdicts combine (the strongest wins). The leaf module of the
guard: it imports nothing, every other guard module may import it."""

from __future__ import annotations

RANK = {"allow": 0, "ask": 1, "deny": 2}


class Verdict:
    __slots__ = ("decision", "reason", "rule")

    def __init__(self, decision: str, reason: str, rule: str = "") -> None:
        self.decision = decision  # "allow" | "ask" | "deny"
        self.reason = reason
        self.rule = rule

    def __repr__(self) -> str:
        return f"Verdict({self.decision!r}, {self.reason!r}, {self.rule!r})"

    def to_dict(self) -> dict[str, str]:
        return {"decision": self.decision, "reason": self.reason, "rule": self.rule}


ALLOW = Verdict("allow", "no rule objected")


def worst(verdicts: list[Verdict | None]) -> Verdict:
    best = ALLOW
    for verdict in verdicts:
        if verdict is not None and RANK[verdict.decision] > RANK[best.decision]:
            best = verdict
    return best
