"""File commands that come as packages rather than with the system: `del-cli`/`del` and
`trash-put` delete their operands (recursively, like rimraf and trash), `shx CMD ARGS`
runs the shelljs version of rm, cp, mv, sed -i …, judged as that command line.

del-cli expands its operands as globs itself (`del-cli '/home/bench/**'`): a quoted
pattern still names everything below its directory, so the operands are judged as
unquoted globs. A negated pattern (`'!keep'`) deletes nothing."""

from __future__ import annotations

from agentops_os.guard.shell import Word
from agentops_os.guard.verdict import Verdict

TYPE_CHECKING = False  # typing stays off the hook path
if TYPE_CHECKING:
    from agentops_os.guard.scope import Scope
    from agentops_os.guard.unwrap import Call


def _deletes(judge: Scope, call: Call) -> Verdict | None:
    from agentops_os.guard.rules_delete import delete_targets

    argv = call.argv
    if "--dry-run" in argv or ("-d" in argv and call.name in ("del", "del-cli")):
        return None
    targets = []
    for word in call.args:
        text = word.text
        if text.startswith("-") or text.startswith("!") or not text:
            continue
        globbed = call.name in ("del", "del-cli") and any(c in text for c in "*?[{")
        targets.append(Word(text, word.quoted and not globbed, word.dynamic, globbed or word.glob,
                            tilde=word.tilde))
    return delete_targets(judge, call, targets, True)


def _shx(judge: Scope, call: Call) -> Verdict | None:
    from agentops_os.guard.rebuild import shell_line, shell_word

    args = call.args
    j = 0
    while j < len(args) and args[j].text.startswith("--"):  # `shx --silent rm …`
        j += 1
    if j >= len(args):
        return None
    line = shell_line(shell_word(args[j]), args[j + 1 :])
    verdict = judge.inner(line)
    if verdict.decision == "allow":
        return None
    return Verdict(verdict.decision, f"shx runs `{line[:60]}`: {verdict.reason}", verdict.rule)


RULES = {
    "del": _deletes,
    "del-cli": _deletes,
    "trash-put": _deletes,
    "shx": _shx,
}
