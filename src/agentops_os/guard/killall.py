"""`kill` of every PID a process listing prints (`kill-all`, ask).

`ps -eo pid= | xargs kill -9` and `kill -9 $(ps -eo pid=)` are `kill -9 -1` spelled with a
listing: every process there is, the agent's own session and the person's with it. So are
`pgrep . | xargs kill`, `pgrep -u me`, `pgrep -v NAME` (all but one) and a bare `lsof -t`.
A listing narrowed before the kill passes: by PID, name or parent (`ps -p`, `ps -C`,
`pgrep -f myserver`, `lsof -t -i:8000`), or by a filter in the pipeline (`ps aux | grep
python | awk '{print $2}' | xargs kill`). Stages that only reshape the listing (`awk
'{print $2}'`, `awk 'NR>1 …'`, `tail -n +2`, `cut`, `sort`, `grep -v grep`, a grep for
digits) keep it whole."""

from __future__ import annotations

from agentops_os.guard.argv import search

TYPE_CHECKING = False  # typing stays off the hook path
if TYPE_CHECKING:
    from agentops_os.guard.scope import Scope
    from agentops_os.guard.shell import Command
    from agentops_os.guard.unwrap import Call
    from agentops_os.guard.verdict import Verdict

# ps options that pick some processes (by PID, command name, parent, session, terminal)
_PS_NARROW = frozenset({"-p", "--pid", "-C", "--ppid", "-q", "--quick-pid", "-s", "--sid", "-t", "--tty"})
_PGREP_VALUED = frozenset({"-d", "--delimiter", "-u", "-U", "--uid", "--euid", "-g", "-G", "--pgroup",
                           "--group", "-P", "--parent", "-s", "--session", "-t", "--terminal", "--ns",
                           "--nslist", "-F", "--pidfile", "-r", "--runstates", "--signal"})
# pgrep options whose value narrows the listing to a few processes
_PGREP_NARROW = frozenset({"-P", "--parent", "-s", "--session", "-t", "--terminal", "-F", "--pidfile", "-g",
                           "--pgroup", "--ns"})
_MATCH_ALL = frozenset({".", ".*", "^", "", "$", "^.*$", ".+"})
# stages that reshape a listing without choosing among its processes
_RESHAPE = frozenset({"cut", "tr", "sort", "uniq", "tail", "head", "tac", "column", "cat", "xargs", "sed",
                      "awk", "gawk", "mawk", "nawk", "grep", "egrep", "rg", "paste", "fmt"})


def kills_listing(judge: Scope, call: Call) -> Verdict | None:
    """`call` (a kill) kills every PID of a listing of all processes, from a pipe into
    xargs or from a command substitution among its arguments."""
    from agentops_os.guard.shell import commands_of

    pipelines: list[list[Command]] = []
    if call.xargs and call.upstream:
        pipelines.append(list(call.upstream))
    for word in call.args:
        for tokens in word.subs:
            pipelines.append(commands_of(tokens))
    for pipeline in pipelines:
        listing = _everything(pipeline)
        if listing is not None:
            reason = f"{call.name} of every PID `{listing[:40]}` prints kills every process"
            return judge.verdict("kill-all", "ask", reason)
    return None


def _everything(pipeline: list[Command]) -> str | None:
    """The listing of every process the pipeline passes on whole, if it has one."""
    listing = None
    for command in pipeline:
        argv = command.argv
        if not argv:
            continue
        name = argv[0].rsplit("/", 1)[-1]
        if name in ("ps", "pgrep", "lsof"):
            if not _lists_all(name, argv[1:]):
                return None
            listing = " ".join(argv)
        elif listing is not None and not _reshapes(name, argv[1:]):
            return None  # `| grep python`: some processes, not all
    return listing


def _lists_all(name: str, args: list[str]) -> bool:
    if name == "ps":
        return not any(a.split("=", 1)[0] in _PS_NARROW or a.isdigit() for a in args)
    if name == "lsof":
        return all(a in ("-t", "-n", "-P", "-w", "-nP", "-tn", "-nt") for a in args) and "-t" in "".join(args)
    patterns: list[str] = []
    by_user = inverse = False
    j = 0
    while j < len(args):
        arg = args[j]
        option = arg.split("=", 1)[0]
        if option in _PGREP_VALUED:
            if option in _PGREP_NARROW:
                return False
            by_user = by_user or option in ("-u", "-U", "--uid", "--euid")
            j += 1 if "=" in arg else 2
            continue
        if arg in ("-v", "--inverse"):
            inverse = True
        elif not arg.startswith("-"):
            patterns.append(arg)
        j += 1
    return inverse or (by_user and not patterns) or any(p in _MATCH_ALL for p in patterns)


def _reshapes(name: str, args: list[str]) -> bool:
    """Whether a stage passes every process of the listing on (only reshaped)."""
    if name not in _RESHAPE:
        return False
    words = [a for a in args if not a.startswith("-")]
    if name in ("grep", "egrep", "rg"):
        if "-v" in args or "--invert-match" in args or any(
            a.startswith("-") and not a.startswith("--") and "v" in a for a in args
        ):
            return True  # `grep -v grep`: all but the grep
        pattern = words[0] if words else ""
        return not search(r"[A-Za-z]", pattern.replace("\\d", "").replace("[:digit:]", "")
                          .replace("[:space:]", "").replace("\\s", ""))
    if name in ("awk", "gawk", "mawk", "nawk"):
        program = words[0] if words else ""
        head, _, body = program.partition("{")
        header_skip = search(r"^\s*(?:NR\s*(?:>|>=|!=)\s*[01]\s*)?$", head) is not None
        return header_skip and not search(r"\bif\b|~|==|\bnext\b", body)
    if name == "sed":
        return not any("/" in w for w in words)
    return True
