"""Tunnels that make this machine reachable from elsewhere (`tunnel`, ask).

`ssh -R 2222:localhost:22 h` opens a port on the far host that leads back here (this
machine's sshd, a database, the dev server), the classic way to hand a shell to someone
outside; so do `-o RemoteForward=…` and a `-F` file's `RemoteForward` line. Local and
dynamic forwards bound to every interface (`-L 0.0.0.0:8080:internal:80`, `-D
0.0.0.0:1080`, `-g`, `GatewayPorts yes`) let the whole network through this machine into
wherever ssh reaches. Tunnel services do the same for anyone on the internet: `ngrok`,
`cloudflared tunnel` (`run`, `--url`), `bore local`, `frpc`, `chisel client … R:…` and
`chisel server --reverse`, `lt`/`localtunnel`, `tailscale funnel`, `zrok share`,
`devtunnel host`. A forward bound to loopback (`-L 8080:localhost:80`, `-D 1080`) and the
tools' own setup and listing commands pass."""

from __future__ import annotations

TYPE_CHECKING = False  # typing stays off the hook path
if TYPE_CHECKING:
    from agentops_os.guard.scope import Scope
    from agentops_os.guard.unwrap import Call
    from agentops_os.guard.verdict import Verdict

_LOOPBACK = ("localhost", "127.", "::1", "[::1]", "ip6-localhost")


def _fields(spec: str) -> list[str]:
    """`[::]:8080:host:80` -> ['::', '8080', 'host', '80']: colons inside brackets kept."""
    out: list[str] = []
    current = ""
    depth = 0
    for char in spec:
        if char == "[":
            depth += 1
        elif char == "]":
            depth -= 1
        elif char == ":" and depth == 0:
            out.append(current)
            current = ""
            continue
        current += char
    out.append(current)
    return [f.strip("[]") if f.startswith("[") else f for f in out]


def _bind(spec: str, kind: str) -> str | None:
    """The address a local (`L`) or dynamic (`D`) forward listens on; None: loopback."""
    fields = _fields(spec.strip())
    if kind == "D":
        address = fields[0] if len(fields) >= 2 else None
    else:
        address = fields[0] if len(fields) >= 4 else None
    if address is None or address.startswith(_LOOPBACK):
        return None
    return address or "*"


def forward_reason(kind: str, spec: str, gateway: bool) -> str | None:
    """Why a forward (`R`, `L`, `D` or their ssh_config names) exposes this machine."""
    kind = {"remoteforward": "R", "localforward": "L", "dynamicforward": "D"}.get(kind.lower(), kind)
    if kind == "R":
        return f"-R {spec[:60]} opens a port on the far host that leads back to this machine"
    if kind in ("L", "D"):
        address = _bind(spec, kind)
        if address is not None:
            return f"-{kind} {spec[:60]} listens on {address}, open to the whole network"
        if gateway and spec:
            return f"-{kind} {spec[:60]} with GatewayPorts listens on every interface"
    return None


def ssh_forwards(judge: Scope, program: str, options: list[tuple[str, str]]) -> Verdict | None:
    """ssh's `-R`, `-L`/`-D` bound beyond loopback, `-g`, and the same as `-o` options."""
    forwards: list[tuple[str, str]] = []
    gateway = False
    for letter, value in options:
        if letter in "RLD" and letter:
            forwards.append((letter, value))
        elif letter == "g":
            gateway = True
        elif letter == "o":
            keyword, _, rest = value.replace("=", " ", 1).partition(" ")
            keyword = keyword.strip().lower()
            if keyword in ("remoteforward", "localforward", "dynamicforward"):
                forwards.append((keyword, rest.strip().replace(" ", ":", 1) if keyword != "dynamicforward"
                                 else rest.strip()))
            elif keyword == "gatewayports" and rest.strip().lower() in ("yes", "true"):
                gateway = True
    for kind, spec in forwards:
        reason = forward_reason(kind, spec, gateway)
        if reason is not None:
            return judge.verdict("tunnel", "ask", f"{program} {reason}")
    return None


def _ask(judge: Scope, what: str) -> Verdict | None:
    return judge.verdict("tunnel", "ask", f"{what} makes a port of this machine reachable from the internet")


def _words(call: Call) -> list[str]:
    return [a for a in call.argv if not a.startswith("-")]


# first words of the tunnel tools that only set up, list or report (they open nothing)
_SETUP = frozenset({"config", "version", "help", "update", "diagnose", "api", "credits", "completion",
                    "login", "logout", "list", "info", "create", "delete", "route", "cleanup", "token",
                    "status", "verify", "service", "access", "invite", "enable", "disable", "reset",
                    "release", "overview", "ls", "show", "user"})


def _ngrok(judge: Scope, call: Call) -> Verdict | None:
    words = _words(call)
    if not words or words[0] in _SETUP:
        return None
    return _ask(judge, f"ngrok {words[0]}")


def _cloudflared(judge: Scope, call: Call) -> Verdict | None:
    """`cloudflared tunnel --url URL` (a quick tunnel), `cloudflared tunnel run NAME`;
    `cloudflared tunnel list|create|login`, `cloudflared access …` pass."""
    argv = call.argv
    words = _words(call)
    url = any(a == "--url" or a.startswith("--url=") or a == "--hello-world" for a in argv)
    if words[:1] == ["tunnel"] and (url or "run" in words[1:2] or len(words) == 1):
        return _ask(judge, "cloudflared tunnel")
    if not words and url:
        return _ask(judge, "cloudflared")
    return None


def _bore(judge: Scope, call: Call) -> Verdict | None:
    return _ask(judge, "bore local") if _words(call)[:1] == ["local"] else None


def _frpc(judge: Scope, call: Call) -> Verdict | None:
    words = _words(call)
    if words[:1] and words[0] in _SETUP or any(a in ("-v", "--version", "-h", "--help") for a in call.argv):
        return None
    return _ask(judge, "frpc")


def _chisel(judge: Scope, call: Call) -> Verdict | None:
    """`chisel client SERVER R:2222:localhost:22` (a reverse remote) and `chisel server
    --reverse` (lets clients open them)."""
    words = _words(call)
    if words[:1] == ["client"] and any(w.startswith("R:") for w in words[2:]):
        return _ask(judge, "chisel client R:")
    if words[:1] == ["server"] and "--reverse" in call.argv:
        return _ask(judge, "chisel server --reverse")
    return None


def _localtunnel(judge: Scope, call: Call) -> Verdict | None:
    argv = call.argv
    if any(a in ("-p", "--port") or a.startswith("--port=") for a in argv):
        return _ask(judge, call.name)
    return None


def _tailscale(judge: Scope, call: Call) -> Verdict | None:
    words = _words(call)
    if words[:1] == ["funnel"] and not set(words[1:2]) & {"status", "reset", "off"} and "off" not in words:
        return _ask(judge, "tailscale funnel")
    return None


def _zrok(judge: Scope, call: Call) -> Verdict | None:
    words = _words(call)
    if words[:1] == ["share"] or words[:2] == ["reserve", "public"]:
        return _ask(judge, f"zrok {' '.join(words[:2])}")
    return None


def _devtunnel(judge: Scope, call: Call) -> Verdict | None:
    words = _words(call)
    if words[:1] == ["host"]:
        return _ask(judge, "devtunnel host")
    return None


RULES = {
    "ngrok": _ngrok,
    "cloudflared": _cloudflared,
    "bore": _bore,
    "frpc": _frpc,
    "chisel": _chisel,
    "lt": _localtunnel,
    "localtunnel": _localtunnel,
    "tailscale": _tailscale,
    "zrok": _zrok,
    "devtunnel": _devtunnel,
}
