"""Package managers: publishing a package to the world, removing ao itself, installing
into a directory outside the repository (installdirs), and for the JavaScript tools the
programs their runners start (pkgexec) and the commands they are told to run later
(npmscripts), where they get packages from (pkgsource), and code taken from outside the
registries (rules_origin: `pip install https://203.0.113.7/x.tgz`, `cargo install --git`).

`pip uninstall agentops-os` (or pipx, uv, and `poetry`/`uv`/`pdm remove` of the project's
dependency) takes away the guard that judges the calls
after it, the same as editing its code, so it is denied like a write to ao's installed
files (`protected-write`)."""

from __future__ import annotations

from agentops_os.guard.argv import operands
from agentops_os.guard.verdict import Verdict, worst

TYPE_CHECKING = False  # typing stays off the hook path
if TYPE_CHECKING:
    from agentops_os.guard.scope import Scope
    from agentops_os.guard.shell import Word
    from agentops_os.guard.unwrap import Call

SELF = "agentops-os"
# where each tool names the packages it removes: the words that come first
_REMOVERS = {
    "pip": (("uninstall",),),
    "pip3": (("uninstall",),),
    "pipx": (("uninstall",), ("uninstall-all",)),
    "uv": (("pip", "uninstall"), ("tool", "uninstall"), ("remove",)),
    "poetry": (("remove",),),
    "pdm": (("remove",),),
    "rye": (("remove",),),
    "pipenv": (("uninstall",),),
    "conda": (("remove",), ("uninstall",)),
    "mamba": (("remove",), ("uninstall",)),
}
_VALUED = frozenset({"-r", "--requirement", "-p", "--python", "--prefix", "--target", "-n", "--name"})


def _packages(judge: Scope, call: Call) -> Verdict | None:
    verdicts = [_publish(judge, call), _removes_self(judge, call)]
    if "config" in call.argv or call.name in ("gem", "poetry", "go") or call.argv[:1] == ["set"]:
        from agentops_os.guard.pkgsource import source_change  # `pip config set global.index-url …`

        verdicts.append(source_change(judge, call))
    if call.name in ("npm", "pnpm", "yarn"):
        verdicts.append(javascript(judge, call))
    if call.name in _ORIGINS:  # `pip install https://203.0.113.7/x.tgz`, `cargo install --git URL`
        from agentops_os.guard.rules_origin import package_origin

        verdicts.append(package_origin(judge, call))
    if call.name in _INSTALLERS:  # `pip install --target /usr/…`, `cargo install --root /usr`
        from agentops_os.guard import installdirs

        verdicts.append(getattr(installdirs, _INSTALLERS[call.name])(judge, call))
    return worst(verdicts)


_ORIGINS = frozenset({"pip", "pip3", "uv", "pipx", "npm", "pnpm", "yarn", "cargo", "go"})
_INSTALLERS = {"pip": "pip", "pip3": "pip", "uv": "pip", "npm": "npm", "cargo": "cargo", "gem": "gem"}


def javascript(judge: Scope, call: Call) -> Verdict | None:
    """npm, pnpm, yarn and bun: publishing in any spelling, the programs their runners
    start (pkgexec), and the commands they are told to run later (npmscripts)."""
    from agentops_os.guard.npmscripts import later_commands
    from agentops_os.guard.pkgexec import package_binary

    return worst([_js_publish(judge, call), package_binary(judge, call), later_commands(judge, call)])


# `yarn workspaces foreach` options that take a value
_FOREACH_VALUED = frozenset({"--from", "--include", "--exclude", "-j", "--jobs"})


def _js_publish(judge: Scope, call: Call) -> Verdict | None:
    """`npm publish` (also abbreviated, `npm pub`), with options before the verb (`npm
    --workspaces publish`, `pnpm -r publish`, `pnpm --filter x publish`); yarn berry's
    `yarn npm publish`, and `yarn workspace NAME …` / `yarn workspaces foreach [opts] …`,
    whose command is judged as the yarn command it is."""
    from agentops_os.guard.pkgexec import verb_at

    at = verb_at(call.name, call.args)
    if at is None:
        return None
    words = [w.text for w in call.args[at:] if not w.text.startswith("-")]
    first, second = (words + ["", ""])[:2]
    publishes = first == "publish" or (call.name == "npm" and len(first) >= 3 and "publish".startswith(first))
    publishes = publishes and "--dry-run" not in call.argv
    if call.name == "yarn" and first == "npm" and second == "publish" and "--dry-run" not in call.argv:
        publishes = True
    if publishes:
        shown = "npm publish" if first == "npm" else first
        return judge.verdict("publish", "ask", f"{call.name} {shown} publishes a package to the world")
    rest = call.args[at + 1 :]
    if call.name == "yarn" and first == "workspace" and len(rest) > 1:
        return _yarn_again(judge, rest[1:])
    if call.name == "yarn" and first == "workspaces" and second == "foreach":
        j = 1
        while j < len(rest) and rest[j].text.startswith("-"):
            j += 2 if rest[j].text in _FOREACH_VALUED else 1
        return _yarn_again(judge, rest[j:])
    return None


def _yarn_again(judge: Scope, words: list[Word]) -> Verdict | None:
    from agentops_os.guard.rebuild import shell_line

    if not words:
        return None
    verdict = judge.inner(shell_line("yarn", words))
    return None if verdict.decision == "allow" else verdict


def _publish(judge: Scope, call: Call) -> Verdict | None:
    argv = call.argv
    if (
        (call.name in ("cargo", "gem") and argv[:1] in (["publish"], ["push"]))
        or (call.name in ("lerna", "changeset") and "publish" in argv)
        or (call.name == "twine" and argv[:1] == ["upload"])
        or (call.name in ("poetry", "flit", "hatch", "uv", "pdm", "rye", "maturin", "dart", "flutter")
            and (argv[:1] in (["publish"], ["upload"]) or argv[:2] == ["pub", "publish"]))
        or (call.name == "dotnet" and argv[:2] == ["nuget", "push"])
        or (call.name == "nuget" and argv[:1] == ["push"])
        or (call.name == "mvn"
            and any(a == "deploy" or a.endswith(("deploy:deploy", "jib:build")) for a in argv))
        or (call.name in ("gradle", "gradlew")
            and any(a.startswith("publish") and "Local" not in a or a in ("jib", ":jib") for a in argv))
    ):
        shown = " ".join(a for a in argv[:2] if not a.startswith("-"))
        return judge.verdict("publish", "ask", f"{call.name} {shown} publishes a package to the world")
    return None


def _removes_self(judge: Scope, call: Call) -> Verdict | None:
    args = [w for w in call.args if w.text not in ("-y", "--yes", "-q", "--quiet")]
    texts = tuple(w.text for w in args)
    for verb in _REMOVERS.get(call.name, ()):
        if texts[: len(verb)] != verb:
            continue
        names = {_normal(w.text) for w in operands(args[len(verb) :], _VALUED)}
        if verb == ("uninstall-all",) or SELF in names:
            reason = f"{call.name} {' '.join(verb)} removes agentops-os, the guard itself"
            return judge.verdict("protected-write", "deny", reason)
    return None


def _normal(name: str) -> str:
    """A package name as PyPI compares them (PEP 503), without a version pin."""
    for stop in ("==", ">=", "<=", "~=", "!=", "<", ">", "[", ";", "@"):
        name = name.split(stop, 1)[0]
    parts = name.strip().lower().replace("_", "-").replace(".", "-").split("-")
    return "-".join(part for part in parts if part)


RULES = {
    name: _packages
    for name in ("npm", "pnpm", "yarn", "cargo", "gem", "twine", "flit", "poetry", "hatch", "uv", "pip",
                 "pip3", "pipx", "conda", "mamba", "pdm", "rye", "maturin", "dart", "flutter", "dotnet",
                 "nuget", "mvn", "gradle", "gradlew", "lerna", "changeset", "bundle", "go", "pipenv")
}


def _images(judge: Scope, call: Call) -> Verdict | None:
    from agentops_os.guard.imagepush import image_tools  # `crane push`, `skopeo copy … docker://`

    return image_tools(judge, call)


RULES.update({name: _images for name in ("buildah", "crane", "skopeo", "regctl", "oras", "ko",
                                         "docker-compose", "podman-compose")})
