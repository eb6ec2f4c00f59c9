"""Judge a whole shell command line: parse it, unwrap every simple command to the
program that really runs, and ask each rule module about it. The only guard module that
knows all rule modules; none of them imports it back."""

from __future__ import annotations

from agentops_os.guard import rules_code, rules_delete, rules_files, rules_git, rules_infra
from agentops_os.guard.argv import DB_CLIENTS, EXEC_SINKS, READERS, search
from agentops_os.guard.shell import ShellSyntaxError, parse
from agentops_os.guard.unwrap import Call, calls_of
from agentops_os.guard.userrules import user_rules
from agentops_os.guard.verdict import Verdict, worst

TYPE_CHECKING = False  # typing stays off the hook path
if TYPE_CHECKING:
    from collections.abc import Callable

    from agentops_os.guard.scope import Scope

_FORK_BOMB = r"(\S+)\s*\(\s*\)\s*\{\s*\1\s*\|\s*\1\s*&"


def judge_command(judge: Scope, command: str) -> Verdict:
    """The strongest verdict over every command `command` would run."""
    judge.inner = lambda text: judge_command(judge, text)
    user = user_rules(judge, command)
    if user is not None and user.decision == "allow":
        return user
    if "()" in command.replace(" ", "") and search(_FORK_BOMB, command):
        verdict = judge.verdict("fork-bomb", "deny", "runs a fork bomb")
        if verdict:
            return verdict
    try:
        steps = [(cmd, calls_of(cmd)) for cmd in parse(command)]
    except ShellSyntaxError as exc:
        return worst([user, judge.verdict("unparseable", "ask",
                                          f"the guard cannot parse this command ({exc}); please confirm")])
    verdicts: list[Verdict | None] = [user]
    start = judge.cwd
    try:
        for cmd, calls in steps:
            verdicts.extend(rules_files.redirects(judge, cmd))
            for call in calls:
                verdicts.extend(_judge_call(judge, call))
                if call.name in ("cd", "pushd"):  # later relative paths are relative to the new directory
                    judge.cwd = _cd(judge, call)
    finally:
        judge.cwd = start
    return worst(verdicts)


def _judge_call(judge: Scope, call: Call) -> list[Verdict | None]:
    verdicts: list[Verdict | None] = []
    rule = RULES.get(call.name)
    if rule is not None:
        verdicts.append(rule(judge, call))
    verdicts.append(rules_code.dynamic_name(judge, call))
    if call.name in EXEC_SINKS:
        verdicts.append(rules_code.pipe_to_shell(judge, call))
        if call.command.redirects:
            verdicts.append(rules_code.stdin_script(judge, call))
    if call.name in READERS:
        verdicts.append(rules_files.reads(judge, call))
    if call.name in DB_CLIENTS:
        verdicts.append(rules_infra.sql(judge, call))
    return verdicts


def _cd(judge: Scope, call: Call) -> str | None:
    args = [w for w in call.args if not (w.text.startswith("-") and w.text != "-")]
    if not args:
        return judge.home
    word = args[0]
    if word.text == "-":
        return None
    return judge.resolve(word.text, dynamic=word.dynamic, quoted=word.quoted)


# One table of program -> rule, merged from the rule modules (a program in two modules
# would be a bug: the later one would silently win, so the merge checks).
RULES: dict[str, Callable[[Scope, Call], Verdict | None]] = {}
for _module in (rules_delete, rules_files, rules_git, rules_code, rules_infra):
    for _program, _rule in _module.RULES.items():
        assert _program not in RULES, _program
        RULES[_program] = _rule
