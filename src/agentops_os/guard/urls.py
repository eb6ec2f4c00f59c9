"""URLs fetched by WebFetch or curl/wget: schemes, passwords, denied hosts, and local,
private or metadata addresses however they are spelled (decimal, hex, octal, IPv6-mapped)."""

from __future__ import annotations

from agentops_os.guard.verdict import Verdict

TYPE_CHECKING = False
if TYPE_CHECKING:
    from urllib.parse import SplitResult

    from agentops_os.guard.scope import Scope


# Cloud instance metadata endpoints (AWS/GCP/Azure/OpenStack, AWS IPv6, Alibaba, Oracle).
# 169.254.170.2: the ECS task credentials endpoint.
_METADATA = frozenset({"169.254.169.254", "169.254.170.2", "fd00:ec2::254", "100.100.100.200", "192.0.0.192"})
# Ports of local services whose HTTP API can change or leak state (Docker, etcd, kubelet,
# Consul, Elasticsearch, Redis, CouchDB, RabbitMQ, the databases, the admin APIs of Envoy
# (9901, Istio's 15000, Consul's 19000) and Caddy (2019)): loopback requests to
# these are asked about. Other loopback ports are the developer's own dev servers.
_SERVICE_PORTS = frozenset(
    {22, 25, 2019, 2375, 2376, 2379, 2380, 3306, 5432, 5984, 6379, 6443, 8200, 8500, 9200, 9300, 9901,
     10250, 10255, 11211, 15000, 15672, 19000, 27017}
)
_PLAIN_LOOPBACK = frozenset({"localhost", "127.0.0.1", "::1"})
# First path segments of administrative endpoints (app admin panels, Spring actuator,
# Tomcat manager, Go pprof, Elasticsearch cluster APIs): asked about even on a dev port.
_ADMIN_PATHS = frozenset({"admin", "administrator", "actuator", "manager", "console", "shutdown", "debug",
                          "_cluster", "_all", "_nodes", "_cat", "containers", "jmx", "env"})
# Path segments that mark an administrative call wherever they appear (`/api/v1/admin/...`
# of Prometheus, Envoy's `/quitquitquit`).
_ADMIN_ANYWHERE = frozenset({"admin", "actuator", "quitquitquit", "shutdown", "_cluster", "_nodes"})
# Wildcard DNS services that answer with the address written in the name
# (`169.254.169.254.nip.io`): the name is judged as that address.
_ECHO_DNS = (".nip.io", ".sslip.io", ".xip.io", ".traefik.me", ".localtest.me", ".lvh.me")


def judge_url(judge: Scope, url: str) -> Verdict | None:
    from urllib.parse import urlsplit

    url = url.strip()
    head, sep, rest = url.partition("://")
    if "$" in rest:  # `http://169.254.170.2$URI`: the part before the variable may name the host
        known = rest.split("$", 1)[0]
        if "/" in known or canonical_address(known.rsplit("@", 1)[-1].split(":", 1)[0]) is not None:
            url = head + sep + known
    try:
        parts = urlsplit(url)
        host = (parts.hostname or "").lower().rstrip(".")
    except ValueError:
        return judge.verdict("fetch", "ask", f"fetches a URL the guard cannot parse: {url[:200]}")
    if parts.scheme.lower() not in ("http", "https"):
        return judge.verdict("fetch", "deny", f"fetches a {parts.scheme or 'scheme-less'} URL ({url[:200]})")
    if parts.password:
        return judge.verdict("fetch", "deny", "fetches a URL with a password in it (it would leak)")
    address = canonical_address(host)
    shown = host if address is None or address == host else f"{host} (= {address})"
    if metadata_host(judge, host) is not None:
        return judge.verdict(
            "fetch", "deny", f"fetches {shown}, a cloud metadata address (guard.fetch_deny_hosts)"
        )
    if _dev_server(parts, host):
        return None
    if judge.policy.fetch_ask_private and _private(host, address):
        return judge.verdict("fetch", "ask", f"fetches {shown}, a local or private address")
    return None


def metadata_host(judge: Scope, host: str) -> str | None:
    """`host` as shown in a reason (`2852039166 (= 169.254.169.254)`) when it is a cloud
    metadata address or a `guard.fetch_deny_hosts` name in any spelling, else None."""
    host = host.strip().lower().rstrip(".")
    address = canonical_address(host)
    denied = judge.policy.fetch_deny_hosts
    if host in denied or (address is not None and (address in denied or address in _METADATA)):
        return host if address is None or address == host else f"{host} (= {address})"
    return None


def _dev_server(parts: SplitResult, host: str) -> bool:
    """`curl localhost:3000/health`: checking one's own dev server is everyday work. Only
    the plain spellings count; an address written in decimal, hex or octal, a service
    port (_SERVICE_PORTS) or an admin endpoint (_ADMIN_PATHS) is still asked about."""
    if host not in _PLAIN_LOOPBACK:
        return False
    segments = parts.path.lower().strip("/").split("/")
    if segments[0] in _ADMIN_PATHS or _ADMIN_ANYWHERE.intersection(segments):
        return False
    try:
        port = parts.port
    except ValueError:
        return False
    return port not in _SERVICE_PORTS


def canonical_address(host: str) -> str | None:
    """The IP address a host name stands for when it is written as one, however spelled:
    dotted decimal, one 32-bit number (`2852039166`), hex (`0xa9fea9fe`, `0xA9.0xFE...`),
    octal (`0251.0376...`), short forms (`127.1`, `169.254.43518`), IPv6 with an
    embedded IPv4 (`::ffff:a9fe:a9fe`), or an echo-DNS name (`1.2.3.4.nip.io`).
    None for an ordinary name."""
    import ipaddress

    text = host.strip("[]")
    for suffix in _ECHO_DNS:
        if text.endswith(suffix):
            inner = text[: -len(suffix)].replace("-", ".")
            pieces = inner.split(".")
            for start in range(len(pieces)):
                candidate = ".".join(pieces[start : start + 4])
                found = _inet_aton(candidate)
                if found is not None:
                    return found
            return None
    if ":" in text:
        try:
            address = ipaddress.IPv6Address(text.split("%", 1)[0])
        except ValueError:
            return None
        mapped = address.ipv4_mapped or address.sixtofour
        if mapped is None and address.packed[:12] == bytes(12) and int(address) > 1:
            mapped = ipaddress.IPv4Address(address.packed[12:])  # deprecated ::a.b.c.d
        return str(mapped) if mapped is not None else str(address)
    return _inet_aton(text)


def _inet_aton(text: str) -> str | None:
    """inet_aton(3)'s reading of `text` (what curl and browsers connect to), or None."""
    parts = text.split(".")
    if not 1 <= len(parts) <= 4 or not all(parts):
        return None
    numbers: list[int] = []
    for part in parts:
        try:
            if part.lower().startswith("0x"):
                numbers.append(int(part[2:] or "0", 16))
            elif part.startswith("0") and len(part) > 1:
                numbers.append(int(part, 8))
            else:
                numbers.append(int(part, 10))
        except ValueError:
            return None
    *head, last = numbers
    if any(n > 255 for n in head) or last >= 256 ** (5 - len(numbers)):
        return None
    value = 0
    for n in head:
        value = value * 256 + n
    value = value * 256 ** (4 - len(head)) + last
    return ".".join(str((value >> shift) & 255) for shift in (24, 16, 8, 0))


def _private(host: str, address: str | None) -> bool:
    if host in ("localhost", "") or host.endswith((".local", ".internal", ".localhost", ".home.arpa")):
        return True
    if address is None:
        return False
    import ipaddress

    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return ip.is_private or ip.is_loopback or ip.is_link_local or ip.is_unspecified or ip.is_reserved
