"""A guard verdict and how verdicts combine (the strongest wins). The leaf module of the
guard: it imports nothing (but for typing), every other guard module may import it."""

from __future__ import annotations

TYPE_CHECKING = False  # typing stays off the hook path
if TYPE_CHECKING:
    from agentops_os.guard.scope import Scope

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


def runs_text(judge: Scope, program: str, how: str, text: str) -> Verdict | None:
    """The verdict on `text`, a command line `program` hands to a shell (`how` says in what
    way), judged as if typed; None when it passes. Shared by the rules of programs that
    run commands (launchers, editors, shell escapes)."""
    if not text.strip():
        return None
    verdict = judge.inner(text)
    if verdict.decision == "allow":
        return None
    return Verdict(verdict.decision, f"{program} {how} `{text[:60]}`: {verdict.reason}", verdict.rule)
