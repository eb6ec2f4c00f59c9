"""git commands that move or rewrite refs: pushes that force or delete protected branches
(`--force`, `+ref`, `:ref`, `--delete`, `--mirror`, `--prune`, wildcard refspecs),
force-creating a protected branch at an older commit, update-ref, symbolic-ref,
replace, fast-import --force, rebases of published history, and the commands
`rebase --exec`, `submodule foreach` and `bisect run` run. Split from rules_git, which
dispatches here."""

from __future__ import annotations

from agentops_os.guard.argv import has_short
from agentops_os.guard.gitargs import judge_inner, option_values, positionals, push_positionals, short_letters
from agentops_os.guard.globmatch import glob_match
from agentops_os.guard.verdict import Verdict, worst

TYPE_CHECKING = False  # typing stays off the hook path
if TYPE_CHECKING:
    from agentops_os.guard.scope import Scope


def git_push(judge: Scope, rest: list[str], cwd: str) -> Verdict | None:
    force = any(
        a in ("--force", "--force-with-lease", "--force-if-includes") or a.startswith("--force-with-lease=")
        for a in rest
    ) or has_short(rest, "f")
    delete = "--delete" in rest or has_short(rest, "d")
    if "--mirror" in rest:
        return judge.verdict("force-push", "deny", "git push --mirror overwrites every remote branch")
    refspecs = push_positionals(rest)[1:]
    if "--prune" in rest:
        return _pruned(judge, rest, refspecs)
    if "--tags" in rest and force:
        return judge.verdict("force-push", "ask", "force push of every tag overwrites published releases")
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
    tag = _moved_tag(judge, cwd, targets)
    if tag:
        return tag
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
        if not (forced or deleted) or not _protected(judge, branch):
            continue
        what = f"every branch matching '{branch}' (protected ones too)" if "*" in branch else ""
        if deleted:
            return judge.verdict(
                "force-push", "deny", f"deletes {what or f'the protected branch {branch!r}'} on the remote"
            )
        return judge.verdict(
            "force-push",
            "deny",
            f"force push to {what or f'the protected branch {branch!r}'} rewrites shared history "
            f"(guard.protected_branches)",
        )
    return None


def _moved_tag(judge: Scope, cwd: str, targets: list[tuple[str, bool, bool]]) -> Verdict | None:
    """Deleting a tag on the remote (`:refs/tags/v1.0`, `--delete origin v1.0`) or
    force-pushing over one unpublishes or replaces a release that others build from."""
    for name, forced, deleted in targets:
        if (forced or deleted) and _is_tag(judge, cwd, name):
            tag = name.removeprefix("refs/tags/")
            what = "deletes" if deleted else "force-pushes over"
            return judge.verdict(
                "force-push", "ask", f"{what} the tag {tag[:60]!r} on the remote (a published release)"
            )
    return None


def _is_tag(judge: Scope, cwd: str, name: str) -> bool:
    """Does a push destination name a tag: `refs/tags/X`, or a bare name that is a tag
    here and no branch (git resolves a bare destination against the remote's refs)?"""
    if name.startswith("refs/tags/"):
        return True
    if name.startswith("refs/") or not name or "*" in name:
        return False
    if judge.git("rev-parse", "--verify", "-q", "refs/heads/" + name, cwd=cwd) is not None:
        return False
    if judge.git("rev-parse", "--verify", "-q", "refs/tags/" + name, cwd=cwd) is not None:
        return True
    import re  # a release-shaped name that no branch here has: a tag only the remote holds

    if not re.fullmatch(r"v?\d+(?:\.\d+)+(?:[-+.][\w.]+)?", name):
        return False
    remote = judge.git("for-each-ref", "--format=%(refname)", "refs/remotes/*/" + name, cwd=cwd)
    return not (remote and remote.strip())


def _pruned(judge: Scope, rest: list[str], refspecs: list[str]) -> Verdict | None:
    """`git push --prune` deletes every remote ref its refspecs cover that has no local
    counterpart: with `--all` or a wildcard refspec over the branches, other people's
    branches (and a protected one the clone lacks). Without refspecs the remote's
    configured push refspecs decide, which the guard does not read: asked. Plain
    refspecs (`--prune origin main`) prune nothing."""
    wildcards = [s.lstrip("+").rpartition(":")[2] or s for s in refspecs if "*" in s]
    branches = "--all" in rest or "--branches" in rest or any(_protected(judge, w) for w in wildcards)
    if branches:
        return judge.verdict(
            "force-push",
            "deny",
            "git push --prune deletes every remote branch that has no local counterpart "
            "(other people's branches, protected ones too)",
        )
    if wildcards or not refspecs or "--tags" in rest:
        return judge.verdict(
            "force-push", "ask", "git push --prune deletes the remote refs that have no local counterpart"
        )
    return None


def _protected(judge: Scope, branch: str) -> bool:
    """Is `branch` protected, or, for a wildcard refspec side (`*`, `refs/heads/*`,
    `refs/*`, `rel*`), could it name a protected branch?"""
    if "*" not in branch:
        return judge.policy.branch_protected(branch)
    pattern = branch if branch.startswith("refs/") else "refs/heads/" + branch
    for protected in judge.policy.protected_branches:
        example = "".join("x" if c in "*?[]" else c for c in protected)
        if glob_match("refs/heads/" + example, pattern):
            return True
    return False


def force_create(
    judge: Scope, rest: list[str], cwd: str, flags: tuple[str, ...], how: str
) -> Verdict | None:
    """`checkout -B NAME [START]` / `switch -C NAME [START]`: create NAME, or reset it to
    START (default HEAD) when it exists."""
    for i, arg in enumerate(rest):
        if arg in flags and i + 1 < len(rest):
            name, tail = rest[i + 1], rest[i + 2 :]
        elif arg.startswith("--force-create=") and "--force-create" in flags:
            name, tail = arg.split("=", 1)[1], rest[i + 1 :]
        else:
            continue
        start = next((a for a in tail if not a.startswith("-")), "HEAD")
        return moves_protected(judge, cwd, name, start, how)
    return None


def moves_protected(judge: Scope, cwd: str, branch: str, target: str, how: str) -> Verdict | None:
    """Moving a protected branch anywhere but forward drops commits that others have."""
    branch = branch.removeprefix("refs/heads/")
    if not judge.policy.branch_protected(branch) or not _rewinds(judge, cwd, "refs/heads/" + branch, target):
        return None
    return judge.verdict(
        "git-history-rewrite",
        "ask",
        f"{how} resets the protected branch '{branch}' to {target[:60]}, dropping commits it has",
    )


def _rewinds(judge: Scope, cwd: str, ref: str, target: str) -> bool:
    """Would setting the existing `ref` to `target` drop commits from it (not a
    fast-forward)? A ref that does not exist yet loses nothing; a target the guard cannot
    resolve (a variable, `HEAD~10` past the root, a ref a fetch on the same line brings)
    counts as dropping."""
    if any(c in ref + target for c in "$`") or target.startswith("-"):
        return True
    old = judge.git("rev-parse", "--verify", "-q", ref + "^{commit}", cwd=cwd)
    if not old:
        return False
    new = judge.git("rev-parse", "--verify", "-q", target + "^{commit}", cwd=cwd)
    if not new:
        return True
    old, new = old.strip(), new.strip()
    return old != new and judge.git("merge-base", "--is-ancestor", old, new, cwd=cwd) is None


def git_rewrite(judge: Scope, rest: list[str], cwd: str) -> Verdict | None:
    return judge.verdict("git-history-rewrite", "ask", "rewrites git history (filter-branch/filter-repo)")


def git_reflog(judge: Scope, rest: list[str], cwd: str) -> Verdict | None:
    if rest[:1] == ["expire"] or rest[:1] == ["delete"]:
        return judge.verdict("git-history-rewrite", "ask", "expires reflog entries (loses recovery points)")
    return None


def git_update_ref(judge: Scope, rest: list[str], cwd: str) -> Verdict | None:
    """Ref surgery: `update-ref -d REF` deletes a ref with its reflog; `update-ref REF NEW`
    moves it without any of the checks `git branch`/`reset` make. Creating a ref or moving
    one forward loses nothing and passes."""
    if "--stdin" in rest:
        return judge.verdict(
            "git-history-rewrite", "ask", "git update-ref --stdin moves refs the guard cannot see"
        )
    refs = positionals(rest, ("-m",))
    if "-d" in rest or has_short(rest, "d"):
        shown = refs[0] if refs else "a ref"
        return judge.verdict(
            "git-history-rewrite", "ask", f"git update-ref -d deletes {shown[:60]} and its reflog"
        )
    if len(refs) >= 2 and _rewinds(judge, cwd, refs[0], refs[1]):
        return judge.verdict(
            "git-history-rewrite",
            "ask",
            f"git update-ref moves {refs[0][:60]} back to {refs[1][:60]}, dropping commits",
        )
    return None


def git_symbolic_ref(judge: Scope, rest: list[str], cwd: str) -> Verdict | None:
    """`git symbolic-ref HEAD` reads; `git symbolic-ref HEAD refs/heads/x` or `-d` rewrites
    what HEAD is: the next commit lands on x with the current tree, and on a branch that
    does not exist yet it starts an orphan history (what `git checkout --orphan` does,
    without its checks). Pointing it where it already points, renaming the unborn branch
    of a repository with no commits yet (the `git init` idiom), or a remote's
    default-branch pointer (refs/remotes/*/HEAD) passes."""
    refs = positionals(rest, ("-m",))
    if "--delete" in rest or has_short(rest, "d"):
        return judge.verdict("git-history-rewrite", "ask", "git symbolic-ref --delete removes a symbolic ref")
    if len(refs) < 2 or refs[0].startswith("refs/remotes/"):
        return None
    now = judge.git("symbolic-ref", "-q", refs[0], cwd=cwd)
    exists = judge.git("rev-parse", "--verify", "-q", refs[1], cwd=cwd) is not None
    unborn = judge.git("rev-parse", "--verify", "-q", refs[0], cwd=cwd) is None
    if (now or "").strip() != refs[1] and (exists or not unborn or any(c in refs[1] for c in "$`")):
        return judge.verdict(
            "git-history-rewrite",
            "ask",
            f"git symbolic-ref points {refs[0][:40]} at {refs[1][:60]} (ref surgery)",
        )
    return None


def git_replace(judge: Scope, rest: list[str], cwd: str) -> Verdict | None:
    """Replace refs make every git command show other objects in place of the real ones
    (`--graft` cuts or splices history); listing them (`-l`, no arguments) passes."""
    if not rest or "-l" in rest or "--list" in rest or all(a.startswith("--format") for a in rest):
        return None
    return judge.verdict(
        "git-history-rewrite", "ask", "git replace makes git show other commits in place of the real ones"
    )


def git_fast_import(judge: Scope, rest: list[str], cwd: str) -> Verdict | None:
    if "--force" in rest:
        return judge.verdict(
            "git-history-rewrite",
            "ask",
            "git fast-import --force overwrites existing branches with the stream",
        )
    return None


_REBASE_VALUED = ("--onto", "-x", "--exec", "-s", "--strategy", "-X", "--strategy-option", "-C")
_REBASE_STEPS = frozenset(
    {"--continue", "--abort", "--skip", "--quit", "--edit-todo", "--show-current-patch"}
)


def git_rebase(judge: Scope, rest: list[str], cwd: str) -> Verdict | None:
    """`--root` rewrites every commit of the branch; `-i` or `--onto` on a protected branch
    rewrites (or drops) its commits, asked when some of them were pushed already. A plain
    `git rebase main` on a feature branch, or of local commits onto `origin/main`, and
    `--continue`/`--abort` pass.
    `--exec CMD` runs CMD after each commit: judged."""
    verdicts = [judge_inner(judge, cmd, "git rebase --exec") for cmd in option_values(rest, ("-x", "--exec"))]
    if _REBASE_STEPS & set(rest):
        return worst(verdicts)
    if "--root" in rest:
        verdicts.append(
            judge.verdict(
                "git-history-rewrite", "ask", "git rebase --root rewrites every commit down to the first"
            )
        )
    shorts = short_letters(rest, "xXsCS")
    interactive = "--interactive" in rest or "i" in shorts
    onto = any(a == "--onto" or a.startswith("--onto=") for a in rest)
    names = positionals(rest, _REBASE_VALUED)
    branch = names[1] if len(names) > 1 else judge.current_branch()
    if not (interactive or onto) or not branch or not judge.policy.branch_protected(branch):
        return worst(verdicts)
    upstream = names[0] if names else "@{upstream}"
    onto_values = option_values(rest, ("--onto",))
    if onto_values and "--keep-base" not in rest and _drops(judge, cwd, onto_values[-1], upstream, branch):
        verdicts.append(
            judge.verdict(
                "git-history-rewrite",
                "ask",
                f"git rebase --onto {onto_values[-1][:40]} {upstream[:40]} drops the commits between them "
                f"from the protected branch '{branch}' (guard.protected_branches)",
            )
        )
    elif _published(judge, cwd, upstream, branch):
        how = "-i" if interactive else "--onto"
        verdicts.append(
            judge.verdict(
                "git-history-rewrite",
                "ask",
                f"git rebase {how} rewrites pushed commits of the protected branch '{branch}' "
                f"(guard.protected_branches)",
            )
        )
    return worst(verdicts)


def _drops(judge: Scope, cwd: str, onto: str, upstream: str, branch: str) -> bool:
    """Does `git rebase --onto ONTO UPSTREAM BRANCH` leave out commits BRANCH has? It keeps
    ONTO's history and replays UPSTREAM..BRANCH on it: what BRANCH reaches besides both is
    gone (`--onto HEAD~10 HEAD~2 main` drops eight commits). A revision the guard cannot
    resolve (a variable, `HEAD~10` past the root) counts as dropping, as for a branch reset."""
    if any(c in onto + upstream + branch for c in "$`") or onto.startswith("-"):
        return True
    for name in (onto, upstream):
        if not judge.git("rev-parse", "--verify", "-q", name + "^{commit}", cwd=cwd):
            return True
    missing = judge.git("rev-list", "--count", f"{onto}..{branch}", cwd=cwd)  # not in the new base
    replayed = judge.git("rev-list", "--count", branch, "--not", onto, upstream, cwd=cwd)
    if missing is None or replayed is None:
        return True
    return missing.strip() != replayed.strip()


def _published(judge: Scope, cwd: str, upstream: str, branch: str) -> bool:
    """Is any commit of `upstream..branch` (what a rebase rewrites) on a remote already?
    Local commits nobody fetched may be reworded or squashed freely. A range from a
    variable counts as published; one git cannot resolve makes the rebase itself fail."""
    if any(c in upstream + branch for c in "$`") or upstream.startswith("-"):
        return True
    span = f"{upstream}..{branch}"
    rewritten = judge.git("rev-list", span, cwd=cwd)
    local = judge.git("rev-list", span, "--not", "--remotes", cwd=cwd)
    if rewritten is None or local is None:
        return False
    return len(rewritten.split()) != len(local.split())


def git_submodule(judge: Scope, rest: list[str], cwd: str) -> Verdict | None:
    """`git submodule foreach CMD` runs CMD through the shell in every submodule."""
    if rest[:1] != ["foreach"]:
        return None
    words = [a for a in rest[1:] if a not in ("--recursive", "-q", "--quiet")]
    return judge_inner(judge, " ".join(words), "git submodule foreach") if words else None


def git_bisect(judge: Scope, rest: list[str], cwd: str) -> Verdict | None:
    """`git bisect run CMD ARGS` runs CMD at every step."""
    if rest[:1] != ["run"] or len(rest) < 2:
        return None
    return judge_inner(judge, " ".join(rest[1:]), "git bisect run")


