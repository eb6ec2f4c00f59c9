"""Stopping the machine or everyone's work on it: shutdown, reboot and their other
spellings (`systemctl reboot`, `init 0`, `telinit 6`, `loginctl terminate-user`), and
`kill -1`, `killall5`, and `kill` of every PID a listing prints (killall.py).

`reboot` is one spelling of many: systemd's `systemctl poweroff|halt|kexec|suspend|
hibernate|rescue|emergency` (and `isolate rescue.target`) take the machine, or every
session on it, down the same way, as do SysV runlevels (`init 0`, `telinit 6`) and
logind's `terminate-user`/`kill-user`, which end every process of a user (the agent's
own session and the person's). Each is asked, as `reboot` is; a status query passes."""

from __future__ import annotations

from agentops_os.guard.argv import operands

TYPE_CHECKING = False  # typing stays off the hook path
if TYPE_CHECKING:
    from agentops_os.guard.scope import Scope
    from agentops_os.guard.unwrap import Call
    from agentops_os.guard.verdict import Verdict

# systemctl verbs that stop, restart, suspend or strip down the whole machine
_SYSTEMCTL_POWER = frozenset(
    {"reboot", "soft-reboot", "poweroff", "halt", "kexec", "suspend", "hibernate", "hybrid-sleep",
     "suspend-then-hibernate", "sleep", "rescue", "emergency", "switch-root", "exit"}
)  # fmt: skip
# targets whose isolation is a shutdown, a reboot or single-user mode
_POWER_TARGETS = frozenset(
    {"rescue", "emergency", "poweroff", "reboot", "halt", "kexec", "shutdown", "runlevel0", "runlevel1",
     "runlevel6", "soft-reboot", "suspend", "hibernate", "sleep", "final"}
)  # fmt: skip
# systemctl options that take a value (the next word is not the verb)
_SYSTEMCTL_VALUED = frozenset(
    {"-H", "--host", "-M", "--machine", "-t", "--type", "-p", "--property", "-s", "--signal", "--state",
     "-o", "--output", "-n", "--lines", "--root", "--image", "--kill-whom", "--job-mode",
     "--boot-loader-entry", "--when", "--message", "--reboot-argument", "--timestamp", "--what",
     "--preset-mode"}
)  # fmt: skip
# loginctl verbs that end sessions or every process of a user, or stop the machine
_LOGINCTL_POWER = frozenset(
    {"terminate-user", "kill-user", "terminate-session", "kill-session", "terminate-seat", "poweroff",
     "reboot", "halt", "suspend", "hibernate", "hybrid-sleep", "kexec"}
)  # fmt: skip
# SysV runlevels that halt (0), reboot (6) or drop to single-user mode (1, s)
_RUNLEVELS = frozenset({"0", "1", "6", "s", "S", "single", "emergency"})


def _words(call: Call, valued: frozenset[str]) -> list[str]:
    return [w.text for w in operands(call.args, valued)]


def systemctl_power(judge: Scope, call: Call) -> Verdict | None:
    """`systemctl reboot`, `systemctl isolate rescue.target`, `systemctl start
    poweroff.target`: the machine goes down or to single-user mode."""
    words = _words(call, _SYSTEMCTL_VALUED)
    verb = words[0] if words else ""
    if verb in _SYSTEMCTL_POWER:
        return judge.verdict("power", "ask", f"systemctl {verb} stops or restarts the machine")
    if verb in ("isolate", "start", "restart", "reload-or-restart", "try-restart"):
        targets = [w for w in words[1:] if w.removesuffix(".target") in _POWER_TARGETS
                   and (verb == "isolate" or w.endswith(".target"))]
        if targets:
            reason = f"systemctl {verb} {targets[0]} stops the machine's services"
            return judge.verdict("power", "ask", reason)
    return None


def _loginctl(judge: Scope, call: Call) -> Verdict | None:
    words = _words(call, frozenset({"-H", "--host", "-M", "--machine", "-p", "--property", "-s",
                                         "--signal", "--kill-whom", "-o", "--output", "-n", "--lines"}))
    if words and words[0] in _LOGINCTL_POWER:
        what = f"loginctl {' '.join(words[:2])}"
        return judge.verdict("power", "ask", f"{what} ends sessions (every process of a user) or the machine")
    return None


def _runlevel(judge: Scope, call: Call) -> Verdict | None:
    """`init 0`, `telinit 6`, `init s`: halt, reboot or single-user mode (`telinit q`
    only reloads the configuration)."""
    levels = [w.text for w in operands(call.args) if w.text in _RUNLEVELS]
    if levels:
        reason = f"{call.name} {levels[0]} halts, reboots or stops the machine's services"
        return judge.verdict("power", "ask", reason)
    return None


def _power(judge: Scope, call: Call) -> Verdict | None:
    return judge.verdict("power", "ask", f"{call.name} stops the machine")


def _kill(judge: Scope, call: Call) -> Verdict | None:
    if "-1" in [w.text for w in operands(call.args)] or call.argv[-1:] == ["-1"]:
        return judge.verdict("power", "deny", "kill -1 kills every process you own")
    from agentops_os.guard.killall import kills_listing  # `ps -eo pid= | xargs kill -9`

    return kills_listing(judge, call)


def _killall5(judge: Scope, call: Call) -> Verdict | None:
    """SysV's `killall5 -9` signals every process outside the caller's session (the
    shutdown scripts' tool); `-o PID` only spares some."""
    return judge.verdict("kill-all", "ask", "killall5 signals every process on the machine")


RULES = {
    "shutdown": _power,
    "reboot": _power,
    "halt": _power,
    "poweroff": _power,
    "kexec": _power,
    "loginctl": _loginctl,
    "init": _runlevel,
    "telinit": _runlevel,
    "kill": _kill,
    "killall5": _killall5,
}
