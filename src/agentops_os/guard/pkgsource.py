"""Changing where packages come from (`package-source`, ask).

`pip config set global.index-url http://203.0.113.5/simple` makes every later `pip
install` of this user fetch its packages from that host: one command, and every install
after it, in any project, can be served anything. So do `extra-index-url` (the classic
dependency confusion), `trusted-host` and `find-links`; `npm|pnpm config set registry`
(also `npm set`, `@scope:registry`, a proxy, `strict-ssl false`); yarn's `registry` and
berry's `npmRegistryServer`, `npmScopes`, `unsafeHttpWhitelist`, `enableStrictSsl`; `gem
sources --add`; `bundle config mirror.*`; `conda config --add|--prepend channels URL`,
`channel_alias`, `ssl_verify false`; `pdm config pypi.url`; `poetry source add
--priority=primary` (it replaces PyPI for the project); `go env -w GOPROXY=… / GOSUMDB=off
/ GOINSECURE / GOFLAGS=-insecure` (`GOPRIVATE`, `GONOSUMDB` for private modules pass).
Setting the official index back (`https://pypi.org/simple`, `https://registry.npmjs.org/`),
named conda channels (`conda-forge`), listing and reading the configuration pass. Writing
the files themselves (`~/.pip/pip.conf`, `~/.config/pip/pip.conf`, `~/.npmrc`, `~/.condarc`)
is judged as the write it is: the home's dotfiles are asked, `~/.npmrc` (tokens) is secret."""

from __future__ import annotations

TYPE_CHECKING = False  # typing stays off the hook path
if TYPE_CHECKING:
    from agentops_os.guard.scope import Scope
    from agentops_os.guard.unwrap import Call
    from agentops_os.guard.verdict import Verdict

_OFFICIAL = ("https://pypi.org/simple", "https://pypi.python.org/simple", "https://registry.npmjs.org",
             "https://registry.yarnpkg.com", "https://rubygems.org", "https://conda.anaconda.org",
             "https://proxy.golang.org", "https://files.pythonhosted.org")
_PIP_KEYS = frozenset({"index-url", "extra-index-url", "trusted-host", "find-links", "index", "proxy",
                       "cert"})
_NPM_KEYS = frozenset({"registry", "proxy", "https-proxy", "strict-ssl", "ca", "cafile", "noproxy"})
_YARN_KEYS = frozenset({"registry", "npmRegistryServer", "npmScopes", "unsafeHttpWhitelist",
                        "enableStrictSsl", "httpProxy", "httpsProxy", "npmPublishRegistry", "caFilePath",
                        "proxy", "https-proxy", "strict-ssl"})
_GO_KEYS = frozenset({"GOPROXY", "GOSUMDB", "GONOSUMCHECK", "GOINSECURE", "GOFLAGS"})
_VALUED = frozenset({"--editor", "--log", "--proxy", "--cache-dir", "--timeout", "--retries", "--cert",
                     "--python", "--location", "-L", "--json", "--priority", "--file", "--env", "-n",
                     "--name", "--client-cert", "--exists-action"})


def _official(value: str) -> bool:
    text = value.strip().strip("'\"").rstrip("/")
    return any(text == o or text.startswith(o + "/") for o in _OFFICIAL)


def _words(call: Call) -> list[str]:
    from agentops_os.guard.argv import plain_words

    return plain_words(call.argv, _VALUED)


def _pairs(words: list[str]) -> list[tuple[str, str]]:
    """`KEY VALUE` or `KEY=VALUE …` after a `config set` verb."""
    if words and "=" in words[0]:
        return [(w.split("=", 1)[0], w.split("=", 1)[1]) for w in words if "=" in w]
    return [(words[0], words[1] if len(words) > 1 else "")] if words else []


def source_change(judge: Scope, call: Call) -> Verdict | None:
    name = call.name
    words = _words(call)
    found: tuple[str, str] | None = None
    if name in ("pip", "pip3") and words[:2] == ["config", "set"]:
        found = _first(_pairs(words[2:]), lambda k, v: k.rsplit(".", 1)[-1] in _PIP_KEYS and not _official(v))
    elif name in ("npm", "pnpm") and (words[:2] == ["config", "set"] or words[:1] == ["set"]):
        pairs = _pairs(words[2:] if words[:1] == ["config"] else words[1:])
        found = _first(pairs, lambda k, v: (k in _NPM_KEYS or k.endswith(":registry")) and _changes(k, v))
    elif name == "yarn" and words[:2] == ["config", "set"]:
        found = _first(_pairs(words[2:]), lambda k, v: k.split(".", 1)[0] in _YARN_KEYS
                       and (k.startswith("npmScopes") or k.split(".")[-1] in _YARN_KEYS) and _changes(k, v))
    elif name == "gem" and words[:1] == ["sources"]:
        added = [a for k, a in enumerate(call.argv[1:], start=1)
                 if call.argv[k - 1] in ("-a", "--add") and not _official(a)]
        found = ("sources --add", added[0]) if added else None
    elif name == "bundle" and words[:1] == ["config"]:
        keys = words[2:] if words[1:2] == ["set"] else words[1:]
        found = ("config " + keys[0], keys[1] if len(keys) > 1 else "") if keys[:1] and keys[0].startswith(
            "mirror.") else None
    elif name in ("conda", "mamba") and words[:1] == ["config"]:
        found = _conda(call.argv)
    elif name == "pdm" and words[:1] == ["config"] and len(words) >= 3:
        key, value = words[1], words[2]
        if key.startswith("pypi.") and key.endswith((".url", ".verify_ssl")) and not _official(value):
            found = (f"config {key}", value)
    elif name == "poetry" and words[:2] == ["source", "add"]:
        priority = [a.split("=", 1)[1] for a in call.argv if a.startswith("--priority=")]
        priority += [call.argv[k + 1] for k, a in enumerate(call.argv[:-1]) if a == "--priority"]
        if "--default" in call.argv or set(priority) & {"primary", "default"}:
            found = ("source add --priority=primary", words[3] if len(words) > 3 else "")
    elif name == "go" and words[:1] == ["env"] and ("-w" in call.argv or "--w" in call.argv):
        found = _first(_pairs(words[1:]), lambda k, v: k in _GO_KEYS and _go_changes(k, v), "env -w")
    if found is None:
        return None
    key, value = found
    reason = f"{name} {key} {value[:60]} changes where {name} gets packages (every install after it)"
    return judge.verdict("package-source", "ask", reason)


def _first(pairs: list[tuple[str, str]], test, verb: str = "config set") -> tuple[str, str] | None:  # type: ignore[no-untyped-def]
    for key, value in pairs:
        if test(key, value):
            return (f"{verb} {key}", value)
    return None


def _changes(key: str, value: str) -> bool:
    lowered = value.strip().strip("'\"").lower()
    if key.lower() in ("strict-ssl", "enablestrictssl"):
        return lowered in ("false", "0", "no")
    return not _official(value)


def _conda(argv: list[str]) -> tuple[str, str] | None:
    for k, arg in enumerate(argv[:-1]):
        values = argv[k + 1 : k + 3]
        added = values[1] if values[:1] == ["channels"] and len(values) > 1 else ""
        if arg in ("--add", "--prepend", "--append") and "://" in added and not _official(added):
            return (f"config {arg} channels", added)
        if arg == "--set" and values[:1] and values[0] in ("channel_alias", "ssl_verify", "default_channels",
                                                           "custom_channels", "proxy_servers"):
            value = values[1] if len(values) > 1 else ""
            if values[0] == "ssl_verify" and value.lower() not in ("false", "no", "0"):
                continue
            if not _official(value):
                return (f"config --set {values[0]}", value)
    return None


def _go_changes(key: str, value: str) -> bool:
    value = value.strip().strip("'\"")
    if key == "GOPROXY":
        proxies = value.replace("|", ",").split(",")
        return any(p not in ("https://proxy.golang.org", "direct", "off") for p in proxies)
    if key == "GOSUMDB":
        return value not in ("sum.golang.org", "")
    if key == "GOFLAGS":
        return "-insecure" in value
    return key in ("GONOSUMCHECK", "GOINSECURE") and bool(value)  # GOPRIVATE/GONOSUMDB: private modules
