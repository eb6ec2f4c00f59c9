"""A shell or interpreter inside `>( … )` runs what the outer command writes into it.

`tee >(sh) <<< 'rm -rf ~'`, `echo 'rm -rf ~' > >(bash -s)` and `cat payload > >(python3)`
hand a program its code through a process substitution: the program at the far end
reads its standard input as a script, exactly as in `… | sh`. So what the outer command
writes there is judged like a pipe into that program (rules_code.pipe_to_shell):
computed text (`echo`, `printf`, a here-string or here-document that `tee` or `cat`
passes on) as the code it is, a download as `pipe-to-shell`, anything else (a file, a
program's output, another descriptor) asked, since what would run cannot be seen.
"""

from __future__ import annotations

from agentops_os.guard.shell import Command, Word
from agentops_os.guard.unwrap import Call

TYPE_CHECKING = False  # typing stays off the hook path
if TYPE_CHECKING:
    from agentops_os.guard.scope import Scope
    from agentops_os.guard.verdict import Verdict

_STDIN = frozenset({"<", "<<", "<<-", "<<<", "<&", "<>"})
_HERE = frozenset({"<<", "<<-", "<<<"})


def fed_code(judge: Scope, call: Call) -> Verdict | None:
    """The verdict on what `call` (a shell or interpreter inside `>( … )`) reads as code."""
    fed = call.command.fed_by
    if fed is None or call.upstream or any(r.op in _STDIN for r in call.command.redirects):
        return None  # it reads its own pipe or file, judged as such
    from agentops_os.guard.rules_code import pipe_to_shell

    feeder, how = fed
    piped = Call(call.name, call.args, call.command, call.via, upstream=written(feeder, how))
    return pipe_to_shell(judge, piped)


def written(feeder: Command, how: str) -> list[Command]:
    """A pipeline that writes what `feeder` writes into the process substitution:
    itself for its standard output; for a file operand of `tee`, tee's own input (its
    pipeline and here-documents); something unknown otherwise."""
    name = _program(feeder)
    if how == "stdout":
        return [*feeder.upstream, feeder]
    if how == "argument" and name == "tee":
        here = [r for r in feeder.redirects if r.op in _HERE]
        if here or not any(r.op in _STDIN for r in feeder.redirects):
            return [*feeder.upstream, Command([Word("cat")], here)]
    return [*feeder.upstream, feeder, Command([Word("$output", dynamic=True)])]


def _program(command: Command) -> str:
    for word in command.words:
        name, eq, _ = word.text.partition("=")
        if not (eq and name.isidentifier()):
            return word.text.rsplit("/", 1)[-1]
    return ""
