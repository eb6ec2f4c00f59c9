"""git rules: force pushes and deletions of protected branches, discarding work,
history rewrites, --no-verify, git rm."""

from __future__ import annotations

from agentops_os.guard.argv import has_short, long_options, operands
from agentops_os.guard.rules_delete import delete_targets
from agentops_os.guard.shell import Word
from agentops_os.guard.unwrap import Call
from agentops_os.guard.verdict import Verdict, worst

TYPE_CHECKING = False  # typing stays off the hook path
if TYPE_CHECKING:
    from collections.abc import Callable

    from agentops_os.guard.scope import Scope


_GIT_VALUED = frozenset(
    {"-C", "-c", "--git-dir", "--work-tree", "--namespace", "--exec-path", "--config-env", "--super-prefix"}
)


# Long options of the subcommands the rules look at, so that abbreviations are spelled
# out (git's parse-options accepts any unambiguous prefix, as getopt_long does).
_GIT_LONG: dict[str, tuple[str, ...]] = {
    "push": (
        "--force",
        "--force-with-lease",
        "--force-if-includes",
        "--delete",
        "--mirror",
        "--all",
        "--branches",
        "--no-verify",
        "--verify",
        "--tags",
        "--dry-run",
        "--verbose",
        "--quiet",
        "--repo",
        "--set-upstream",
        "--follow-tags",
        "--atomic",
        "--prune",
        "--porcelain",
        "--progress",
        "--push-option",
        "--receive-pack",
        "--exec",
        "--signed",
        "--no-signed",
        "--thin",
        "--no-thin",
        "--ipv4",
        "--ipv6",
        "--recurse-submodules",
        "--no-force-with-lease",
        "--no-atomic",
        "--no-follow-tags",
    ),
    "clean": ("--force", "--dry-run", "--quiet", "--exclude", "--interactive"),
    "reset": (
        "--hard",
        "--soft",
        "--mixed",
        "--merge",
        "--keep",
        "--quiet",
        "--patch",
        "--recurse-submodules",
        "--no-refresh",
        "--refresh",
        "--pathspec-from-file",
        "--pathspec-file-nul",
        "--intent-to-add",
    ),
    "commit": (
        "--no-verify",
        "--verify",
        "--no-edit",
        "--no-post-rewrite",
        "--no-status",
        "--no-gpg-sign",
        "--message",
        "--all",
        "--amend",
        "--patch",
        "--file",
        "--author",
        "--date",
        "--signoff",
        "--no-signoff",
        "--fixup",
        "--squash",
        "--reset-author",
        "--allow-empty",
        "--allow-empty-message",
        "--cleanup",
        "--edit",
        "--include",
        "--only",
        "--quiet",
        "--dry-run",
        "--status",
        "--verbose",
        "--untracked-files",
        "--gpg-sign",
        "--reuse-message",
        "--reedit-message",
        "--template",
        "--pathspec-from-file",
        "--trailer",
        "--porcelain",
        "--short",
        "--branch",
        "--long",
        "--null",
    ),
    "checkout": (
        "--force",
        "--quiet",
        "--progress",
        "--ours",
        "--theirs",
        "--track",
        "--no-track",
        "--detach",
        "--orphan",
        "--merge",
        "--patch",
        "--conflict",
        "--ignore-other-worktrees",
        "--overwrite-ignore",
        "--no-overwrite-ignore",
        "--recurse-submodules",
        "--pathspec-from-file",
        "--overlay",
        "--no-overlay",
    ),
    "branch": (
        "--delete",
        "--force",
        "--move",
        "--copy",
        "--list",
        "--all",
        "--remotes",
        "--verbose",
        "--set-upstream-to",
        "--unset-upstream",
        "--track",
        "--no-track",
        "--merged",
        "--no-merged",
        "--contains",
        "--show-current",
        "--edit-description",
        "--create-reflog",
        "--color",
        "--column",
    ),
    "stash": ("--keep-index", "--include-untracked", "--all", "--quiet", "--patch", "--staged", "--message"),
}
for _sub in ("merge", "rebase", "am", "cherry-pick"):
    _GIT_LONG[_sub] = (
        "--no-verify",
        "--verify",
        "--abort",
        "--continue",
        "--quit",
        "--skip",
        "--interactive",
        "--onto",
        "--no-edit",
        "--edit",
        "--squash",
        "--no-ff",
        "--ff-only",
        "--strategy",
    )


def _git(judge: Scope, call: Call) -> Verdict | None:
    args = call.argv
    j = 0
    cwd = judge.cwd or judge.root
    while j < len(args) and args[j].startswith("-"):
        if args[j] == "-C" and j + 1 < len(args):
            cwd = judge.resolve(args[j + 1]) or cwd
        j += 2 if args[j] in _GIT_VALUED else 1
    if j >= len(args):
        return None
    sub, rest = args[j], long_options(args[j + 1 :], _GIT_LONG.get(args[j], ()))
    handler = _GIT_SUBCOMMANDS.get(sub)
    verdicts = [handler(judge, rest, cwd)] if handler else []
    hooks_off = [a for a in args[:j] if a.lower().startswith("core.hookspath")]
    if hooks_off or (sub == "config" and _sets_hooks_path(rest)):
        verdicts.append(
            judge.verdict(
                "git-no-verify", "ask", "changes core.hooksPath, which turns the repository's git hooks off"
            )
        )
    if sub in ("commit", "push", "merge", "rebase", "am", "cherry-pick") and (
        "--no-verify" in rest or (sub == "commit" and has_short(rest, "n"))
    ):
        verdicts.append(
            judge.verdict(
                "git-no-verify", "ask", f"git {sub} --no-verify skips the repository's gates and hooks"
            )
        )
    if sub == "rm":
        words = [Word(a) for a in rest]
        recursive = has_short(rest, "r") or "--recursive" in rest
        if "--cached" not in rest:
            git_rm = Call("git-rm", words, call.command)
            verdicts.append(delete_targets(judge, git_rm, operands(words), recursive))
    return worst(verdicts)


def _sets_hooks_path(rest: list[str]) -> bool:
    """`git config core.hooksPath DIR` (or `--unset`) changes it; `git config core.hooksPath`
    and `--get` only read it."""
    words = [a for a in rest if not a.startswith("-")]
    keys = [i for i, a in enumerate(words) if a.lower() == "core.hookspath"]
    if not keys:
        return False
    reading = any(a in ("--get", "--get-all", "--get-regexp", "-l", "--list") for a in rest)
    changing = any(a in ("--unset", "--unset-all", "--replace-all", "--add") for a in rest)
    return changing or (not reading and len(words) > keys[0] + 1)


def _git_push(judge: Scope, rest: list[str], cwd: str) -> Verdict | None:
    force = any(
        a in ("--force", "--force-with-lease", "--force-if-includes") or a.startswith("--force-with-lease=")
        for a in rest
    ) or has_short(rest, "f")
    delete = "--delete" in rest or has_short(rest, "d")
    if "--mirror" in rest:
        return judge.verdict("force-push", "deny", "git push --mirror overwrites every remote branch")
    valued = {"--repo", "--receive-pack", "--exec", "-o", "--push-option"}
    positional = [
        a for i, a in enumerate(rest) if not a.startswith("-") and (i == 0 or rest[i - 1] not in valued)
    ]
    refspecs = positional[1:]
    if "--all" in rest or "--branches" in rest:
        if force:
            return judge.verdict("force-push", "deny", "force push of all branches (includes protected ones)")
        return None
    targets: list[tuple[str, bool, bool]] = []  # (branch, forced, deleted)
    for spec in refspecs:
        plus = spec.startswith("+")
        spec = spec.lstrip("+")
        src, _, dst = spec.partition(":")
        if not _:
            dst = src
        if src in ("HEAD", "@") and not _:
            dst = judge.current_branch() or dst
        targets.append((dst.removeprefix("refs/heads/"), plus or force, delete or (bool(_) and not src)))
    if not refspecs:
        branch = judge.current_branch()
        if branch:
            targets.append((branch, force, False))
        elif force:
            return judge.verdict("force-push", "ask", "force push from a detached HEAD")
    for branch, forced, deleted in targets:
        if (forced or deleted) and ("$" in branch or "`" in branch):
            return judge.verdict(
                "force-push",
                "ask",
                f"force push or delete of a branch the guard cannot know in advance ({branch[:60]})",
            )
        if not judge.policy.branch_protected(branch):
            continue
        if deleted:
            return judge.verdict(
                "force-push", "deny", f"deletes the protected branch '{branch}' on the remote"
            )
        if forced:
            return judge.verdict(
                "force-push",
                "deny",
                f"force push to the protected branch '{branch}' rewrites shared history "
                f"(guard.protected_branches)",
            )
    return None


def _dirty(judge: Scope, cwd: str | None, paths: list[str] | None = None) -> bool:
    """Uncommitted changes to tracked files (only under `paths`, when given); unknown
    (git failed) counts as dirty."""
    limit = ["--", *paths] if paths else []
    out = judge.git("status", "--porcelain", "--untracked-files=no", *limit, cwd=cwd)
    return out is None or bool(out.strip())


def _paths_after_dashes(rest: list[str]) -> list[str] | None:
    """The pathspecs after `--` (`git checkout stash@{0} -- a.md b.md`), or None when the
    command names none that way (then the whole work tree is at stake)."""
    if "--" not in rest or any(a.startswith("--pathspec-from-file") for a in rest):
        return None
    paths = rest[rest.index("--") + 1 :]
    return paths or None


def _git_reset(judge: Scope, rest: list[str], cwd: str) -> Verdict | None:
    if ("--hard" in rest or "--merge" in rest or "--keep" in rest) and _dirty(judge, cwd):
        return judge.verdict("git-discard", "ask", "git reset --hard would throw away uncommitted changes")
    return None


def _git_clean(judge: Scope, rest: list[str], cwd: str) -> Verdict | None:
    if "-n" in rest or "--dry-run" in rest or has_short(rest, "n"):
        return None
    if not (has_short(rest, "f") or "--force" in rest):
        return None
    flags = (
        ["-n"]
        + (["-d"] if has_short(rest, "d") else [])
        + (["-x"] if has_short(rest, "x") else [])
        + (["-X"] if has_short(rest, "X") else [])
    )
    out = judge.git("clean", *flags, cwd=cwd)
    count = len(out.splitlines()) if out else 0
    if out is None or count:
        return judge.verdict(
            "git-discard", "ask", f"git clean would delete {count or 'some'} untracked/ignored files for good"
        )
    return None


def _git_checkout(judge: Scope, rest: list[str], cwd: str) -> Verdict | None:
    discards = (
        "--" in rest
        or rest == ["."]
        or "-f" in rest
        or "--force" in rest
        or (rest and all(not a.startswith("-") for a in rest) and any(a in (".", "*", ":/") for a in rest))
    )
    if discards and _dirty(judge, cwd, _paths_after_dashes(rest)):
        return judge.verdict("git-discard", "ask", "git checkout would discard uncommitted changes")
    return None


def _git_restore(judge: Scope, rest: list[str], cwd: str) -> Verdict | None:
    if ("--staged" in rest or "-S" in rest) and "--worktree" not in rest and "-W" not in rest:
        return None
    if _dirty(judge, cwd, _restore_paths(rest)):
        return judge.verdict("git-discard", "ask", "git restore would discard uncommitted changes")
    return None


def _restore_paths(rest: list[str]) -> list[str] | None:
    """`git restore [--source X] [options] [--] PATH...`: the paths it overwrites."""
    if any(a.startswith("--pathspec-from-file") for a in rest):
        return None
    paths: list[str] = []
    skip = False
    for i, arg in enumerate(rest):
        if skip:
            skip = False
        elif arg == "--":
            paths.extend(rest[i + 1 :])
            break
        elif arg in ("-s", "--source"):
            skip = True
        elif not arg.startswith("-"):
            paths.append(arg)
    return paths or None


def _git_stash(judge: Scope, rest: list[str], cwd: str) -> Verdict | None:
    if rest[:1] in (["clear"], ["drop"]):
        return judge.verdict("git-discard", "ask", f"git stash {rest[0]} deletes stashed work for good")
    return None


def _git_branch(judge: Scope, rest: list[str], cwd: str) -> Verdict | None:
    if "-D" in rest or ("--delete" in rest and ("--force" in rest or "-f" in rest)):
        for name in (a for a in rest if not a.startswith("-")):
            if judge.policy.branch_protected(name):
                return judge.verdict("force-push", "ask", f"force-deletes the protected branch '{name}'")
    return None


def _git_rewrite(judge: Scope, rest: list[str], cwd: str) -> Verdict | None:
    return judge.verdict("git-history-rewrite", "ask", "rewrites git history (filter-branch/filter-repo)")


def _git_reflog(judge: Scope, rest: list[str], cwd: str) -> Verdict | None:
    if rest[:1] == ["expire"] or rest[:1] == ["delete"]:
        return judge.verdict("git-history-rewrite", "ask", "expires reflog entries (loses recovery points)")
    return None


_GIT_SUBCOMMANDS: dict[str, Callable[[Scope, list[str], str], Verdict | None]] = {
    "push": _git_push,
    "reset": _git_reset,
    "clean": _git_clean,
    "checkout": _git_checkout,
    "restore": _git_restore,
    "stash": _git_stash,
    "branch": _git_branch,
    "filter-branch": _git_rewrite,
    "filter-repo": _git_rewrite,
    "reflog": _git_reflog,
}


RULES = {"git": _git}
