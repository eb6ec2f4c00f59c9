"""Packages taken from outside the registries (`install-source`, ask).

An install or a runner fetches code and runs it (setup.py, npm lifecycle scripts, build.rs,
the program itself). From a registry (PyPI, npm, crates.io, the Go proxy) that is everyday
work and passes, also from a project's git dependency on a code host (`pip install
git+https://github.com/org/repo`, `npm install github:org/repo`) and from a named https
index (`--index-url https://download.pytorch.org/whl/cu121`, a company's Artifactory).
Asked:

- a package URL or index on a raw IP address or over plain http, where nothing vouches for
  the code or anyone on the way can change it (`pip install https://203.0.113.7/x.tar.gz`,
  `--index-url http://…/simple`, `--extra-index-url`, `-f/--find-links`, `npm install
  --registry http://…`; loopback addresses, a local devpi or verdaccio, pass);
- an archive (`.tar.gz`, `.whl`, `.tgz`, `.zip`) downloaded from a host that is neither a
  registry nor a code host (`pip install https://example.net/helper.tar.gz`, `npm install
  https://host/pkg.tgz`);
- a program run or installed straight from a repository or a URL instead of a registry:
  `npx github:user/repo` (also `npx user/repo`, `git+…`, a tarball URL; `pnpm dlx`, `yarn
  dlx`, `npm exec`, `bunx`), `pipx run --spec URL|git+…`, `pipx install git+…`, `uvx --from
  git+…`, `uv tool install|run git+…`, `cargo install --git URL` (its build script runs now,
  its program lands on PATH), `nix run|shell|develop|profile install github:owner/flake`
  (`nixpkgs#hello`, `github:NixOS/nixpkgs#…` and local flakes pass), and `go run
  MODULE@VERSION`, which runs a module that no go.mod of the project pins (`go run ./cmd/x`,
  `go run .`, `go install …@latest` and the Go project's own `golang.org/x/…` pass)."""

from __future__ import annotations

from agentops_os.guard.argv import plain_words

TYPE_CHECKING = False  # typing stays off the hook path
if TYPE_CHECKING:
    from agentops_os.guard.scope import Scope
    from agentops_os.guard.unwrap import Call
    from agentops_os.guard.verdict import Verdict

# Registries and code hosts an archive may come from.
_KNOWN_HOSTS = ("pypi.org", "files.pythonhosted.org", "pythonhosted.org", "registry.npmjs.org",
                "registry.yarnpkg.com", "github.com", "githubusercontent.com", "codeload.github.com",
                "gitlab.com", "bitbucket.org", "codeberg.org", "crates.io", "download.pytorch.org",
                "proxy.golang.org")
_ARCHIVES = (".tar.gz", ".tgz", ".whl", ".zip", ".tar.bz2", ".tar.xz", ".tar", ".egg")
_PIP_INDEX = ("-i", "--index-url", "--extra-index-url", "-f", "--find-links", "--index", "--default-index")
_PIP_VALUED = frozenset({*_PIP_INDEX, "-r", "--requirement", "-c", "--constraint", "-t", "--target",
                         "--prefix", "--root", "--python", "-p", "--platform", "--python-version",
                         "--implementation", "--abi", "--trusted-host", "--cache-dir", "--src", "--log",
                         "--proxy", "--timeout", "--retries", "--cert", "--client-cert", "--exists-action",
                         "--progress-bar", "--upgrade-strategy", "--no-binary", "--only-binary",
                         "--config-settings", "-C", "--global-option", "--report", "--with", "--spec",
                         "--from", "--python-preference", "--index-strategy", "--keyring-provider"})
_JS_INSTALLS = frozenset({"install", "i", "add", "in", "ins", "inst", "insta", "instal", "isnt", "isnta",
                          "isntal", "isntall", "update", "up", "upgrade"})
_NIX_RUNS = frozenset({"run", "shell", "develop"})


def _host(url: str) -> tuple[str, str]:
    """(scheme without `git+`, lower-case host) of a URL."""
    from urllib.parse import urlsplit

    text = url.strip().strip("'\"")
    text = text.split("+", 1)[1] if text.startswith(("git+", "hg+", "svn+", "bzr+", "sparse+")) else text
    try:
        parts = urlsplit(text)
        return parts.scheme.lower(), (parts.hostname or "").lower().rstrip(".")
    except ValueError:
        return "", ""


def untrusted(url: str) -> str | None:
    """Why the place `url` names vouches for nothing: a raw IP address, or plain http
    (loopback passes); None for a named https host."""
    from agentops_os.guard.urls import canonical_address

    scheme, host = _host(url)
    if not host:
        return None
    address = canonical_address(host)
    if host == "localhost" or host.endswith(".localhost") or (address or "").startswith("127.") \
            or address == "::1":
        return None
    if address is not None:
        return f"the raw IP address {host}"
    if scheme in ("http", "git", "ftp"):
        return f"plain {scheme} to {host}, which anyone on the way can change"
    return None


def _archive_host(url: str) -> str | None:
    scheme, host = _host(url)
    path = url.split("?", 1)[0].split("#", 1)[0].lower()
    vcs = url.startswith(("git+", "hg+", "svn+"))
    if vcs or scheme not in ("http", "https") or not path.endswith(_ARCHIVES):
        return None
    if any(host == known or host.endswith("." + known) for known in _KNOWN_HOSTS):
        return None
    return f"an archive from {host}, which is neither a package registry nor a code host"


def _ask(judge: Scope, what: str, why: str) -> Verdict | None:
    return judge.verdict("install-source", "ask", f"{what} takes code from {why}")


def _values(argv: list[str], names: tuple[str, ...]) -> list[str]:
    out: list[str] = []
    for k, arg in enumerate(argv):
        name, eq, value = arg.partition("=")
        if arg in names and k + 1 < len(argv):
            out.append(argv[k + 1])
        elif eq and name in names and name.startswith("--"):
            out.append(value)
    return out


def _spec_url(spec: str) -> str:
    """The URL of a requirement: itself, or after PEP 508's `name @ URL`."""
    return spec.split("@", 1)[1].strip() if "@" in spec and "://" in spec.split("@", 1)[1] else spec


def _sources(judge: Scope, what: str, indexes: list[str], specs: list[str]) -> Verdict | None:
    """Indexes and requirements of an install: a raw IP or plain http anywhere, or an
    archive from an unknown host."""
    verdicts: list[Verdict | None] = []
    for index in indexes:
        why = untrusted(index)
        verdicts.append(_ask(judge, what, f"an index at {why}") if why else None)
    for spec in specs:
        url = _spec_url(spec)
        if "://" not in url:
            continue
        why = untrusted(url) or _archive_host(url)
        verdicts.append(_ask(judge, what, why) if why else None)
    return next((v for v in verdicts if v is not None), None)


def _from_repository(spec: str, npm: bool) -> bool:
    """A package spec that names a repository or a URL rather than a registry's package
    (for npm also its GitHub shorthand `user/repo`)."""
    text = spec.strip().strip("'\"")
    if text.startswith(("git+", "git://", "github:", "gitlab:", "bitbucket:", "gist:", "http://", "https://",
                        "hg+", "svn+", "sourcehut:")):
        return True
    shorthand = text.count("/") == 1 and not text.startswith((".", "/", "~", "file:", "@"))
    return npm and shorthand


def package_origin(judge: Scope, call: Call) -> Verdict | None:
    """Where pip, uv, pipx, npm, pnpm, yarn, cargo and go take the code they install or run."""
    argv = call.argv
    name = call.name
    words = plain_words(argv, _PIP_VALUED)
    if name in ("pip", "pip3") or (name == "uv" and words[:1] == ["pip"]):
        rest = argv[argv.index("pip") + 1 :] if name == "uv" else argv
        ops = plain_words(rest, _PIP_VALUED)
        if ops[:1] not in (["install"], ["download"], ["wheel"], ["sync"], ["compile"]):
            return None
        specs = ops[1:] + _values(rest, ("-e", "--editable"))
        return _sources(judge, f"{name} {' '.join(words[:2])}", _values(rest, _PIP_INDEX), specs)
    if name == "uv" and words[:1] in (["add"], ["sync"], ["lock"], ["run"], ["tool"]):
        runs = words[:2] in (["tool", "run"], ["tool", "install"])
        specs = (words[2:3] if runs else words[1:] if words[:1] == ["add"] else []) + _values(
            argv, ("--from", "--with"))
        return _runs_spec(judge, f"uv {' '.join(words[:2])}", specs, runs) or _sources(
            judge, f"uv {words[0]}", _values(argv, _PIP_INDEX), specs)
    if name == "pipx" and words[:1] in (["run"], ["install"], ["inject"]):
        specs = _values(argv, ("--spec",)) + (words[1:2] if words[:1] != ["inject"] else words[2:])
        return _runs_spec(judge, f"pipx {words[0]}", specs, words[:1] != ["inject"]) or _sources(
            judge, f"pipx {words[0]}", _values(argv, _PIP_INDEX), specs)
    if name in ("npm", "pnpm", "yarn"):
        from agentops_os.guard.pkgexec import RUNNERS, VALUED

        ops = plain_words(argv, VALUED.get(name, frozenset()))
        registry = _values(argv, ("--registry",))
        if ops[:1] and RUNNERS.get(name, {}).get(ops[0]):  # `pnpm dlx github:user/repo`, `npm exec -p URL x`
            specs = _values(argv, ("-p", "--package")) + ops[1:2]
            return _runs_spec(judge, f"{name} {ops[0]}", specs, True, npm=True)
        if ops[:1] and ops[0] in _JS_INSTALLS:
            return _sources(judge, f"{name} {ops[0]}", registry, ops[1:])
        return _sources(judge, name, registry, []) if registry else None
    if name == "cargo" and words[:1] == ["install"]:
        git = _values(argv, ("--git",))
        if git:
            return _ask(judge, "cargo install --git", f"the repository {git[0][:80]}, built and put on PATH "
                        "(its build script runs now)")
        return _sources(judge, "cargo install", _values(argv, ("--index", "--registry")), [])
    if name == "go" and words[:1] == ["run"]:
        return _go_run(judge, words[1:])
    return None


def _runs_spec(judge: Scope, what: str, specs: list[str], runs: bool, npm: bool = False) -> Verdict | None:
    if not runs:
        return None
    for spec in specs:
        if _from_repository(spec, npm):
            return _ask(judge, what, f"{spec[:80]}, a repository or URL rather than a package registry")
    return None


def _go_run(judge: Scope, operands: list[str]) -> Verdict | None:
    """`go run MODULE@VERSION`: a module path (its first element has a dot) at a version."""
    for operand in operands:
        path, at, version = operand.partition("@")
        if not at or not version or path.startswith((".", "/")) or "." not in path.split("/", 1)[0]:
            continue
        if path.startswith("golang.org/x/"):
            return None
        return _ask(judge, "go run", f"the module {operand[:80]}, run now without a go.mod that pins it")
    return None


def runner_origin(judge: Scope, call: Call) -> Verdict | None:
    """`npx github:user/repo`, `npx user/repo`, `npx -p git+https://… cmd`, `bunx URL`: the
    package spec of the runner that `call` came through (unwrap peels it)."""
    words = [w.text for w in call.command.words]
    runner = next((k for k, w in enumerate(words) if w.rsplit("/", 1)[-1] in ("npx", "pnpx", "bunx")), None)
    if runner is None:
        return None
    specs: list[str] = []
    j = runner + 1
    while j < len(words):
        text = words[j]
        if text in ("-p", "--package") and j + 1 < len(words):
            specs.append(words[j + 1])
            j += 2
            continue
        if text.startswith("--package="):
            specs.append(text.split("=", 1)[1])
        elif not text.startswith("-"):
            specs.append(text)
            break
        j += 1
    return _runs_spec(judge, words[runner].rsplit("/", 1)[-1], specs, True, npm=True)


def _nix(judge: Scope, call: Call) -> Verdict | None:
    """`nix run|shell|develop INSTALLABLE`, `nix profile install|add INSTALLABLE`."""
    ops = plain_words(call.argv, frozenset({"--option", "--extra-experimental-features", "--profile", "-f",
                                          "--file", "--expr", "--override-input", "-c", "--command"}))
    verb = ops[0] if ops else ""
    if verb == "profile" and ops[1:2] in (["install"], ["add"]):
        refs, what = ops[2:], "nix profile install"
    elif verb in _NIX_RUNS:
        refs, what = ops[1:2] if verb != "shell" else ops[1:], f"nix {verb}"
    else:
        return None
    for ref in refs:
        flake = ref.split("#", 1)[0]
        if not flake or flake.startswith((".", "/", "path:", "nixpkgs", "flake:nixpkgs")) or \
                flake.lower().startswith(("github:nixos/nixpkgs", "github:nixos/nixpkgs/")):
            continue
        if ":" in flake or "/" in flake:
            return _ask(judge, what, f"the flake {ref[:80]}, run from its repository")
    return None


def _uvx(judge: Scope, call: Call) -> Verdict | None:
    ops = plain_words(call.argv, _PIP_VALUED)
    specs = _values(call.argv, ("--from", "--with")) + ops[:1]
    indexes = _values(call.argv, _PIP_INDEX)
    return _runs_spec(judge, "uvx", specs, True) or _sources(judge, "uvx", indexes, specs)


RULES = {"nix": _nix, "uvx": _uvx}
