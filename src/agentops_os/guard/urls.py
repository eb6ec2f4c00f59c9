"""URLs fetched by WebFetch or curl/wget: schemes, passwords, denied hosts, and local,
private or metadata addresses however they are spelled (decimal, hex, octal, IPv6-mapped)."""

from __future__ import annotations

from agentops_os.guard.verdict import Verdict

TYPE_CHECKING = False
if TYPE_CHECKING:
    from agentops_os.guard.scope import Scope


def judge_url(judge: Scope, url: str) -> Verdict | None:
    from urllib.parse import urlsplit

    try:
        parts = urlsplit(url)
        host = (parts.hostname or "").lower()
    except ValueError:
        return judge.verdict("fetch", "ask", f"fetches a URL the guard cannot parse: {url[:200]}")
    if parts.scheme not in ("http", "https"):
        return judge.verdict("fetch", "deny", f"fetches a {parts.scheme or 'scheme-less'} URL ({url[:200]})")
    if parts.password:
        return judge.verdict("fetch", "deny", "fetches a URL with a password in it (it would leak)")
    if host in judge.policy.fetch_deny_hosts:
        return judge.verdict("fetch", "deny", f"fetches {host}, listed in guard.fetch_deny_hosts")
    if judge.policy.fetch_ask_private and _private(host):
        return judge.verdict("fetch", "ask", f"fetches {host}, a local or private address")
    return None


def _private(host: str) -> bool:
    if host in ("localhost", "") or host.endswith((".local", ".internal", ".localhost")):
        return True
    import ipaddress

    try:
        address = ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return False
    return address.is_private or address.is_loopback or address.is_link_local
