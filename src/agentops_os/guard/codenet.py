"""What interpreter code gets from the network, for the code reader (coderead): the body
of a download (`urlopen(u).read()`, `requests.get(u).text`, `fetch(u).then(r => r.text())`,
`URI.open(u).read`, `Net::HTTP.get(URI(u))`, LWP's `get(u)`, `file_get_contents("http…")`)
and what a socket receives (`socket.socket()`, `require('net').connect(…)`, `TCPSocket.new`,
`fsockopen`, `IO::Socket::INET->new`). A call that makes one yields FETCHED or RECEIVED,
and every value computed from it stays that, so that the rules can see such text run as
code or as a command (`exec(urlopen(u).read())` is `curl u | python`). Pure text work:
this module imports no other guard module."""

from __future__ import annotations


class Net:
    """Text from the network: `kind` is "download" or "socket"."""

    __slots__ = ("kind",)

    def __init__(self, kind: str) -> None:
        self.kind = kind


FETCHED = Net("download")
RECEIVED = Net("socket")

# Calls that return a download whatever they are given.
_ALWAYS = frozenset({"urlopen", "fetch", "urlread", "getresponse", "curl_exec", "http_get", "readurl"})
# Calls that download when given a URL, or when called on an HTTP library.
_VERBS = frozenset(
    {"get", "post", "put", "patch", "request", "get_response", "get_content", "open", "read", "stream",
     "file_get_contents", "fopen", "file", "urlopen", "Get", "GetString", "download_string", "getstore",
     "download", "url", "readLines", "readlines"}
)  # fmt: skip
# HTTP libraries, by the first part of the name a call is made through.
_HTTP_LIBS = frozenset(
    {"requests", "httpx", "urllib3", "aiohttp", "axios", "got", "undici", "superagent", "needle", "ky",
     "http", "https", "HTTParty", "Faraday", "RestClient", "Excon", "HTTPX", "Net", "URI", "OpenURI",
     "LWP", "HTTP", "Mojo", "Furl", "HTTPClient", "Typhoeus", "pycurl", "treq", "Guzzle"}
)  # fmt: skip
# Calls that open a network connection, by their dotted name (or its last two parts).
_SOCKETS = frozenset(
    {"socket.socket", "socket.create_connection", "socket.fromfd", "net.connect", "net.createConnection",
     "net.Socket", "tls.connect", "TCPSocket.new", "TCPSocket.open", "Socket.tcp", "UNIXSocket.new",
     "fsockopen", "pfsockopen", "stream_socket_client", "socket_create", "INET.new", "IP.new",
     "socket.tcp", "socket.connect", "socket.udp", "Deno.connect", "Deno.connectTls", "Bun.connect",
     "dgram.createSocket", "socket", "create_connection", "Socket.new", "WebSocket"}
)  # fmt: skip
# Calls that return the URL they are given (`URI(u)`, `urllib.request.Request(u)`, `new URL(u)`).
_URL_VALUES = frozenset({"URI", "parse", "Request", "URL", "urlparse", "Uri", "get_uri"})
_SCHEMES = ("http://", "https://", "ftp://", "ftps://")
# Calls that run the text they are given as code or as a command line, handed as a value to
# a network call's callback (`fetch(u).then(r => r.text()).then(eval)`).
RUNNERS = frozenset(
    {"eval", "Function", "runInThisContext", "runInNewContext", "exec", "execSync", "system", "spawnSync",
     "instance_eval", "class_eval", "module_eval", "load", "loadstring", "popen", "shell_exec", "passthru"}
)  # fmt: skip


def net_of(value: object) -> Net | None:
    """The network text a value was computed from: the value itself, the object a method
    or attribute was looked up on (`resp.text`, `r.read()`), a list holding it, or a named
    argument's value."""
    for _ in range(40):
        if isinstance(value, Net):
            return value
        if isinstance(value, list):
            return next((n for n in (net_of(v) for v in value) if n is not None), None)
        if type(value).__name__ == "Keyword":
            value = getattr(value, "value", None)
        elif type(value).__name__ == "Ref":
            value = getattr(value, "recv", None)
        else:
            return None
    return None


def is_url(value: object) -> bool:
    return isinstance(value, str) and value.strip().lower().startswith(_SCHEMES)


def may_fetch(dotted: str) -> bool:
    """Whether a call of this name may download (its callbacks are handed the response)."""
    name = dotted.rsplit(".", 1)[-1]
    return name in _ALWAYS or (name in _VERBS and dotted.split(".", 1)[0] in _HTTP_LIBS)


def source(lang: str, dotted: str, recv: object, args: list[object]) -> object:
    """FETCHED or RECEIVED when the call downloads or opens a socket; the URL itself for a
    call that wraps one (`URI(u)`); None otherwise."""
    name = dotted.rsplit(".", 1)[-1]
    tail = ".".join(dotted.rsplit(".", 2)[-2:])
    if dotted in _SOCKETS or tail in _SOCKETS:
        return RECEIVED
    urls = [a for a in (recv, *args) if is_url(a)]
    if name in _URL_VALUES and urls:
        return urls[0]
    if name in _ALWAYS and (name != "fetch" or lang == "node" or urls):
        return FETCHED
    if name in _VERBS and (urls or dotted.split(".", 1)[0] in _HTTP_LIBS):
        return FETCHED
    if lang == "perl" and dotted in ("get", "LWP.Simple.get"):  # LWP::Simple's get($url)
        return FETCHED
    return None
