"""Persistence the other rules do not see as a program of their own (`persistence`, ask).

Windows' schedulers and autostart keys, reached from WSL or a Windows shell:
`schtasks[.exe] /create` (and `/change`), `reg[.exe] add|import|copy|restore` of a key that
runs a program at logon or start (`…\\CurrentVersion\\Run`, `RunOnce`, `Winlogon`, `Image
File Execution Options`, `AppInit_DLLs`, the `Command Processor` AutoRun, `Services`),
`sc[.exe] create|config … binPath=`, PowerShell's `Register-ScheduledTask`/`New-Service`
and `New-ItemProperty`/`Set-ItemProperty` of a Run key; `cmd[.exe] /c CMD` is judged as CMD.
macOS login hooks: `defaults write com.apple.loginwindow LoginHook|LogoutHook SCRIPT` and
login items; `plutil … -o OUT` is judged as the write of OUT (a launch agent in
`~/Library/LaunchAgents` is asked as that write is).

A beacon: an endless loop that talks to the network (`while true`, `while :`, `while
sleep 60`, `until false`, `for ((;;))` around curl, wget, nc, ssh, a `/dev/tcp` socket …)
started detached from the session, by `nohup`, `setsid`, `disown`, `daemonize`, `screen
-dm`, `tmux new -d`, `systemd-run`, or `&` after the loop. It keeps calling out after the
agent is gone, as a cron job would. The same loop in the foreground (polling a dev server
until the agent stops it) passes, as does a detached endless loop that stays local
(`nohup sh -c 'while true; do pytest; sleep 5; done' &`) and a detached server (`nohup npm
run dev &`)."""

from __future__ import annotations

TYPE_CHECKING = False  # typing stays off the hook path
if TYPE_CHECKING:
    from agentops_os.guard.scope import Scope
    from agentops_os.guard.unwrap import Call
    from agentops_os.guard.verdict import Verdict

# (patterns as text: `re` is imported only for a line that may hold them)
_LOOP = (
    r"(?<![\w-])(?:while\s+(?:true|:|\[\s*1\s*\]|\[\[\s*1\s*\]\]|\(\(\s*1\s*\)\)|/bin/true|sleep\s+[\w.$]+)"
    r"|until\s+(?:false|/bin/false)|for\s*\(\(\s*;\s*;\s*\)\))\s*;?\s*do\b(?P<body>.*?)\bdone\b"
)
_NETWORK = (
    r"(?<![\w.$-])(?:curl|wget|nc|ncat|netcat|socat|telnet|ssh|scp|rsync|sftp|http|https|xh|nslookup|dig|"
    r"ping|iwr|irm|invoke-webrequest|invoke-restmethod|aria2c|ftp|tftp|openssl\s+s_client)(?![\w-])"
    r"|/dev/(?:tcp|udp)/|\burlopen\b|\brequests\.(?:get|post)\b|\bfetch\s*\(|\bsocket\."
)
_DETACHED = (
    r"(?<![\w-])(?:nohup|setsid|disown|daemonize|start-stop-daemon|systemd-run)(?![\w-])"
    r"|(?<![\w-])screen\s+(?:-\S+\s+)*-\w*d\w*m|(?<![\w-])tmux\s+new(?:-session)?(?:\s+-\S+)*\s+-\w*d"
)
_FOREGROUND_RUN = r"systemd-run\b[^;|&]*\s--(?:wait|pty|scope|pipe)\b"
_BACKGROUND = r"(?<![&>|])&(?![&>])"
_POWERSHELL = (
    r"(?<![\w-])(?:register-scheduledtask|set-scheduledtask|new-service|register-wmievent|set-wmiinstance)"
    r"(?![\w-])|(?:new|set)-itemproperty\b[^;|]*currentversion\\?run"
)
# Interpreter code that loops for ever (Python, JavaScript, Ruby, Perl); the rest of the line is its body.
_CODE_LOOP = (r"\bwhile\s+(?:True|1)\s*:|\bwhile\s*\(\s*(?:true|1)\s*\)|\bsetInterval\s*\(|\bloop\s+do\b"
              r"|\bloop\s*\{")


# Cheap tests first: a detacher and a network client must both be named for a beacon.
_DETACH_WORDS = ("&", "nohup", "setsid", "disown", "daemonize", "start-stop-daemon", "systemd-run", "screen",
                 "tmux")
_NET_WORDS = ("curl", "wget", "nc", "socat", "telnet", "ssh", "scp", "rsync", "http", "xh", "dig",
              "nslookup", "ping", "iwr", "irm", "invoke-", "/dev/tcp", "/dev/udp", "urlopen", "requests.",
              "fetch", "socket", "aria2c", "ftp", "s_client")
_CODE_LOOP_WORDS = ("while true", "while 1", "while(", "while (", "setinterval", "loop do", "loop {")
_POWERSHELL_WORDS = ("scheduledtask", "currentversion", "new-service", "wmi")


def line_persistence(judge: Scope, command: str) -> Verdict | None:
    """A detached endless loop that calls out; PowerShell's schedulers and Run keys."""
    lowered = command.lower()
    if any(w in lowered for w in _POWERSHELL_WORDS):
        import re

        if re.search(_POWERSHELL, command, re.I):
            return judge.verdict("persistence", "ask", "registers a task or service that runs at logon or on "
                                 "a schedule, after the session")
    looping = "done" in lowered or any(w in lowered for w in _CODE_LOOP_WORDS)
    if not (looping and any(w in lowered for w in _DETACH_WORDS) and any(w in lowered for w in _NET_WORDS)):
        return None
    import re

    loops = [(m.group("body"), m.end()) for m in re.finditer(_LOOP, command, re.S)]
    loops += [(command[m.end():], m.end()) for m in re.finditer(_CODE_LOOP, command)]
    for body, end in loops:
        if not re.search(_NETWORK, body, re.I):
            continue
        detached = re.search(_DETACHED, command)
        if detached and detached.group(0) == "systemd-run" and re.search(_FOREGROUND_RUN, command):
            detached = None
        if detached or re.compile(_BACKGROUND).search(command, end):
            how = detached.group(0).split()[0] if detached else "&"
            reason = (f"an endless loop that talks to the network, detached from the session ({how}): "
                      "a beacon that keeps calling out after the agent is gone")
            return judge.verdict("persistence", "ask", reason)
    return None


def _options(argv: list[str]) -> list[str]:
    """Windows options in either spelling (`/Create`, `-create`), lowercased."""
    return [a[1:].lower() for a in argv if a[:1] in ("/", "-") and len(a) > 1]


def _schtasks(judge: Scope, call: Call) -> Verdict | None:
    options = _options(call.argv)
    verb = next((o for o in options if o in ("create", "change", "run", "query", "delete", "end")), "")
    if verb not in ("create", "change"):
        return None
    reason = f"{call.name} /{verb} schedules a command that keeps running after the session"
    return judge.verdict("persistence", "ask", reason)


# Registry keys (and values) that start a program at logon, at boot or with every shell.
# Written without separators: unquoted in bash, `HKCU\Software\…\Run` loses its backslashes.
_AUTOSTART_KEYS = ("currentversionrun", "winlogon", "imagefileexecutionoptions", "appinit_dlls",
                   "commandprocessor", "currentcontrolsetservices", "activesetupinstalledcomponents",
                   "explorershellfolders", "explorerusershellfolders", "policiesexplorerrun",
                   "userinitmprlogonscript")


def _reg(judge: Scope, call: Call) -> Verdict | None:
    argv = call.argv
    verb = argv[0].lower() if argv else ""
    if verb not in ("add", "import", "copy", "restore", "load"):
        return None
    text = "".join(argv[1:]).lower().replace("\\", "").replace("/", "").replace(" ", "")
    if verb in ("import", "restore", "load") or any(key in text for key in _AUTOSTART_KEYS):
        reason = f"{call.name} {verb} changes a registry key that starts a program at logon or boot"
        return judge.verdict("persistence", "ask", reason)
    return None


def _sc(judge: Scope, call: Call) -> Verdict | None:
    words = [a.lower() for a in call.argv]
    verb = next((w for w in words if w in ("create", "config", "failure")), None)
    if verb is None or not any(w.startswith(("binpath=", "command=")) for w in words) and verb != "create":
        return None
    return judge.verdict("persistence", "ask", f"{call.name} {verb} installs a Windows service")


def _cmd(judge: Scope, call: Call) -> Verdict | None:
    """`cmd.exe /c CMD` (`/k`, `/r`): CMD judged as a command line."""
    argv = call.argv
    at = next((k for k, a in enumerate(argv) if a.lower() in ("/c", "/k", "/r")), None)
    if at is None or at + 1 >= len(argv):
        return None
    verdict = judge.inner(" ".join(argv[at + 1 :]))
    return None if verdict.decision == "allow" else verdict


# macOS preference keys that start a program at login or logout, or for every login.
_LOGIN_KEYS = frozenset({"loginhook", "logouthook", "autolaunchedapplicationdictionary"})


def _defaults(judge: Scope, call: Call) -> Verdict | None:
    """`defaults write com.apple.loginwindow LoginHook /tmp/x.sh` (also LogoutHook, a
    login item added to `AutoLaunchedApplicationDictionary`, `com.apple.loginitems`): a
    script run as root at every login."""
    words = [a for a in call.argv if not a.startswith("-") or a == "-array-add"]
    if words[:1] != ["write"] or len(words) < 3:
        return None
    domain, key = words[1].lower(), words[2].lower()
    if (domain.endswith("loginwindow") and key in _LOGIN_KEYS) or domain.endswith("loginitems"):
        reason = f"defaults write {words[1]} {words[2]} runs a program at every login, after the session"
        return judge.verdict("persistence", "ask", reason)
    return None


def _plutil(judge: Scope, call: Call) -> Verdict | None:
    """`plutil -convert xml1 IN -o OUT` writes OUT (a launch agent in
    `~/Library/LaunchAgents`, say); `-o -` prints. Without `-o` it rewrites IN in place."""
    from agentops_os.guard.verdict import worst

    args = call.args
    outputs = [args[k + 1] for k, w in enumerate(args[:-1]) if w.text == "-o" and args[k + 1].text != "-"]
    converts = any(w.text in ("-convert", "-insert", "-replace", "-remove") for w in args)
    targets = outputs
    if converts and not outputs:
        valued = ("-convert", "-insert", "-replace", "-remove", "-extract", "-e", "-o")
        targets = [w for k, w in enumerate(args) if not w.text.startswith("-") and k and args[k - 1].text
                   not in valued]
    verdicts: list[Verdict | None] = []
    for word in targets:
        path = judge.resolve_word(word)
        verdicts.append(judge.judge_write(path, "plutil writes") if path is not None else None)
    found = worst(verdicts)
    return None if found.decision == "allow" else found


RULES = {
    "defaults": _defaults,
    "plutil": _plutil,
    "schtasks": _schtasks,
    "schtasks.exe": _schtasks,
    "reg": _reg,
    "reg.exe": _reg,
    "sc.exe": _sc,
    "cmd": _cmd,
    "cmd.exe": _cmd,
}
