"""Small readers of git argument lists and work-tree state, shared by the git rule modules."""

from __future__ import annotations

from agentops_os.guard.verdict import Verdict

TYPE_CHECKING = False  # typing stays off the hook path
if TYPE_CHECKING:
    from agentops_os.guard.scope import Scope

# git's own options (before the subcommand) that take the next word as their value.
GIT_VALUED = frozenset(
    {"-C", "-c", "--git-dir", "--work-tree", "--namespace", "--exec-path", "--config-env", "--super-prefix"}
)

# `git checkout` options that take a value (`-b NAME`) and make a branch rather than restore paths.
CHECKOUT_VALUED = ("-b", "-B", "--orphan", "--conflict", "--pathspec-from-file")


def positionals(rest: list[str], valued: tuple[str, ...]) -> list[str]:
    out: list[str] = []
    skip = False
    for arg in rest:
        if skip:
            skip = False
        elif arg in valued:
            skip = True
        elif not arg.startswith("-"):
            out.append(arg)
    return out


def option_values(rest: list[str], names: tuple[str, ...]) -> list[str]:
    """Values of `-x V`, `-xV`, `--exec V`, `--exec=V`."""
    out: list[str] = []
    for i, arg in enumerate(rest):
        if arg in names and i + 1 < len(rest):
            out.append(rest[i + 1])
        for name in names:
            if name.startswith("--") and arg.startswith(name + "="):
                out.append(arg.split("=", 1)[1])
            elif not name.startswith("--") and arg.startswith(name) and len(arg) > len(name):
                out.append(arg[len(name) :])
    return out


def short_letters(rest: list[str], valued: str) -> set[str]:
    """Letters of short option clusters (`-ik`), stopping at one that takes the rest of the
    word as its value (`-Xignore-space-change` is -X, not -i)."""
    found: set[str] = set()
    for arg in rest:
        if arg == "--":
            break
        if arg.startswith("-") and not arg.startswith("--"):
            for letter in arg[1:]:
                found.add(letter)
                if letter in valued:
                    break
    return found


def dirty(judge: Scope, cwd: str | None, paths: list[str] | None = None) -> bool:
    """Uncommitted changes to tracked files (only under `paths`, when given); unknown
    (git failed) counts as dirty."""
    limit = ["--", *paths] if paths else []
    out = judge.git("status", "--porcelain", "--untracked-files=no", *limit, cwd=cwd)
    return out is None or bool(out.strip())


def line_state(judge: Scope, kind: str) -> dict[str, str]:
    """What an earlier git call of the command line set up for a later one, which the
    repository does not show yet when the guard looks: the aliases it defines ("aliases":
    name -> text) and the remotes it adds or re-points ("remotes": name -> URL). Kept on
    the judge, which forgets them before the next tool call (Judge._forget_line)."""
    return judge.git_line.setdefault(kind, {})


_PUSH_VALUED = frozenset({"--repo", "--receive-pack", "--exec", "-o", "--push-option"})


def push_positionals(rest: list[str]) -> list[str]:
    """`git push [options] [REPO [REFSPEC...]]`: REPO and the refspecs, as written."""
    return [
        a for i, a in enumerate(rest) if not a.startswith("-") and (i == 0 or rest[i - 1] not in _PUSH_VALUED)
    ]


def push_repo(rest: list[str]) -> str | None:
    """The repository `git push` sends to (`--repo=X` or its first operand), or None for
    the branch's default remote."""
    for i, arg in enumerate(rest):
        if arg.startswith("--repo="):
            return arg.split("=", 1)[1]
        if arg == "--repo" and i + 1 < len(rest):
            return rest[i + 1]
    names = push_positionals(rest)
    return names[0] if names else None


def judge_inner(judge: Scope, text: str, what: str) -> Verdict | None:
    verdict = judge.inner(text)
    if verdict.decision == "allow":
        return None
    return Verdict(verdict.decision, f"{what}: {verdict.reason}", verdict.rule)
