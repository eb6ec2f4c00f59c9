"""Rules about what one command of a line prepares for a later one.

Each command of `wget URL -O /tmp/i.sh && bash /tmp/i.sh` is harmless alone: together
they download code and run it, the same thing as `curl URL | sh`. `ln -s ~ h && rm -rf h/`
deletes the home through a link that did not exist when the guard looked. An alias
defined now runs its text later. So the dispatcher tells this module about every call
in order (`remember`), and the later calls are judged with what the earlier ones made:
linefiles notes what a call downloads, writes, copies or unpacks, linerun judges a later
call that runs, builds or loads it.
"""

from __future__ import annotations

import os

from agentops_os.guard.argv import has_short, operands
from agentops_os.guard.linefiles import note
from agentops_os.guard.verdict import Verdict

TYPE_CHECKING = False  # typing stays off the hook path
if TYPE_CHECKING:
    from agentops_os.guard.scope import Scope
    from agentops_os.guard.unwrap import Call

def remember(judge: Scope, call: Call) -> Verdict | None:
    """Note the files a call downloads, writes, copies or unpacks (linefiles) and the
    links `ln -s` makes, for later calls; what it writes to a file a tool runs later by
    itself (a CI workflow, `.envrc`, a git hook) is judged now (plantwrite)."""
    if call.name == "ln" and (has_short(call.argv, "s") or "--symbolic" in call.argv):
        _remember_link(judge, call)
        return None
    targets = note(judge, call)
    if not targets:
        return None
    from agentops_os.guard.plantwrite import planted

    return planted(judge, call, targets)


def runs_download(judge: Scope, call: Call) -> Verdict | None:
    """A call that runs, sources, builds or loads a file an earlier command of the line
    downloaded or wrote (linerun), or loads a library through `LD_PRELOAD`."""
    from agentops_os.guard.linerun import runs

    return runs(judge, call)


def alias(judge: Scope, call: Call) -> Verdict | None:
    """`alias ll='rm -rf ~'`: the text runs whenever the name is typed, so judge it now."""
    verdicts: list[Verdict] = []
    for word in call.args:
        name, eq, body = word.text.partition("=")
        if eq and name and body.strip():
            inner = judge.inner(body)
            if inner.decision != "allow":
                verdicts.append(Verdict(inner.decision, f"alias {name} runs: {inner.reason}", inner.rule))
    return max(verdicts, key=lambda v: v.decision == "deny", default=None)


def trap(judge: Scope, call: Call) -> Verdict | None:
    """`trap 'rm -rf ~' EXIT`: the handler runs when the shell exits or gets the signal,
    which is about always, so it is judged now as the command line it is."""
    args = [w for w in call.args if w.text not in ("--", "-p", "-l")]
    if len(args) < 2 or not args[0].text.strip() or args[0].text == "-":
        return None  # `trap - EXIT` resets, `trap -p` lists, `trap '' INT` ignores
    inner = judge.inner(args[0].text)
    if inner.decision == "allow":
        return None
    return Verdict(inner.decision, f"trap handler runs: {inner.reason}", inner.rule)


def _remember_link(judge: Scope, call: Call) -> None:
    positional = operands(call.args, frozenset({"-t", "--target-directory", "-S", "--suffix"}))
    if len(positional) != 2:
        return
    target = judge.resolve_word(positional[0])
    link = judge.resolve_word(positional[1])
    if target is None or link is None:
        return
    no_deref = has_short(call.argv, "n") or has_short(call.argv, "T") or "--no-dereference" in call.argv
    if os.path.isdir(link) and not (no_deref and os.path.islink(link)):
        link = os.path.join(link, os.path.basename(target))
    judge.links[link] = target


RULES = {"alias": alias, "trap": trap}
