"""Package managers: publishing a package to the world, and removing ao itself.

`pip uninstall agentops-os` (or pipx, uv) takes away the guard that judges the calls
after it, the same as editing its code, so it is denied like a write to ao's installed
files (`protected-write`)."""

from __future__ import annotations

from agentops_os.guard.argv import operands
from agentops_os.guard.verdict import Verdict

TYPE_CHECKING = False  # typing stays off the hook path
if TYPE_CHECKING:
    from agentops_os.guard.scope import Scope
    from agentops_os.guard.unwrap import Call

SELF = "agentops-os"
# where each tool names the packages it removes: the words that come first
_REMOVERS = {
    "pip": (("uninstall",),),
    "pip3": (("uninstall",),),
    "pipx": (("uninstall",), ("uninstall-all",)),
    "uv": (("pip", "uninstall"), ("tool", "uninstall")),
    "conda": (("remove",), ("uninstall",)),
    "mamba": (("remove",), ("uninstall",)),
}
_VALUED = frozenset({"-r", "--requirement", "-p", "--python", "--prefix", "--target", "-n", "--name"})


def _packages(judge: Scope, call: Call) -> Verdict | None:
    return _publish(judge, call) or _removes_self(judge, call)


def _publish(judge: Scope, call: Call) -> Verdict | None:
    argv = call.argv
    if (
        (call.name in ("npm", "pnpm", "yarn", "cargo", "gem") and argv[:1] in (["publish"], ["push"]))
        or (call.name == "twine" and argv[:1] == ["upload"])
        or (call.name in ("poetry", "flit", "hatch", "uv", "pdm", "rye", "maturin", "dart", "flutter")
            and (argv[:1] in (["publish"], ["upload"]) or argv[:2] == ["pub", "publish"]))
        or (call.name == "dotnet" and argv[:2] == ["nuget", "push"])
        or (call.name == "nuget" and argv[:1] == ["push"])
        or (call.name == "mvn" and "deploy" in argv)
        or (call.name in ("gradle", "gradlew")
            and any(a.startswith("publish") and "Local" not in a for a in argv))
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
                 "nuget", "mvn", "gradle", "gradlew")
}
