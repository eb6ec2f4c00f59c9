"""git rules: force pushes and deletions of protected branches, discarding work,
history rewrites and ref surgery, skipped hooks (`--no-verify`, `HUSKY=0`, `SKIP=`),
settings that make git run a command (`core.pager`, `filter.*.clean`, `!` aliases), git rm
(git clean, patches undone with `apply -R`/`patch -R`, `rm --cached`, old revisions of
protected files and printed credentials are judged in gitwork).

git runs other programs in many places: a pager, an editor, a filter, a credential
helper, an alias that starts with `!`. A one-off setting (`git -c core.pager=CMD`,
`GIT_CONFIG_*`, `GIT_SSH_COMMAND=CMD`) runs CMD now, so CMD is judged as a command line;
a stored one (`git config core.pager CMD`) runs it later, unseen, so it is asked unless
it is a plain editor or pager."""

from __future__ import annotations

from agentops_os.guard.argv import has_short, long_options, operands
from agentops_os.guard.gitargs import CHECKOUT_VALUED, GIT_VALUED, dirty, positionals
from agentops_os.guard.gitconfig import (
    alias_run,
    assignments,
    env_programs,
    env_settings,
    git_config,
    git_remote,
    hooks_skipped,
    one_off_settings,
    push_destination,
)
from agentops_os.guard.githistory import (
    force_create,
    git_bisect,
    git_fast_import,
    git_push,
    git_rebase,
    git_reflog,
    git_replace,
    git_rewrite,
    git_submodule,
    git_symbolic_ref,
    git_update_ref,
    moves_protected,
)
from agentops_os.guard.rules_delete import delete_targets
from agentops_os.guard.shell import Word
from agentops_os.guard.unwrap import Call
from agentops_os.guard.verdict import Verdict, worst

TYPE_CHECKING = False  # typing stays off the hook path
if TYPE_CHECKING:
    from collections.abc import Callable

    from agentops_os.guard.scope import Scope


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


_GIT_LONG["rebase"] = (
    *_GIT_LONG["rebase"],
    "--root",
    "--exec",
    "--rebase-merges",
    "--update-refs",
    "--keep-base",
    "--edit-todo",
    "--show-current-patch",
    "--autosquash",
    "--autostash",
)
_GIT_LONG["switch"] = (
    "--force",
    "--discard-changes",
    "--create",
    "--force-create",
    "--detach",
    "--guess",
    "--no-guess",
    "--merge",
    "--conflict",
    "--quiet",
    "--progress",
    "--track",
    "--no-track",
    "--orphan",
    "--ignore-other-worktrees",
    "--recurse-submodules",
)
_GIT_LONG["config"] = (
    "--global",
    "--system",
    "--local",
    "--worktree",
    "--file",
    "--blob",
    "--get",
    "--get-all",
    "--get-regexp",
    "--get-urlmatch",
    "--get-color",
    "--get-colorbool",
    "--list",
    "--edit",
    "--unset",
    "--unset-all",
    "--add",
    "--replace-all",
    "--rename-section",
    "--remove-section",
    "--type",
    "--default",
    "--comment",
    "--value",
    "--fixed-value",
    "--show-origin",
    "--show-scope",
    "--name-only",
    "--includes",
    "--no-includes",
    "--null",
    "--bool",
    "--int",
    "--path",
    "--all",
)
_GIT_LONG["apply"] = ("--reverse", "--cached", "--index", "--check", "--stat", "--numstat", "--summary",
                      "--apply", "--3way", "--directory", "--exclude", "--include", "--reject")
_GIT_LONG["rm"] = ("--cached", "--recursive", "--dry-run", "--force", "--quiet", "--ignore-unmatch",
                   "--sparse", "--pathspec-from-file", "--pathspec-file-nul")
_GIT_LONG["restore"] = ("--source", "--staged", "--worktree", "--patch", "--quiet", "--progress", "--ours",
                        "--theirs", "--merge", "--conflict", "--ignore-unmerged", "--overlay", "--no-overlay",
                        "--pathspec-from-file", "--pathspec-file-nul", "--recurse-submodules")
_GIT_LONG["update-ref"] = ("--no-deref", "--stdin", "--create-reflog", "--batch-updates")
_GIT_LONG["symbolic-ref"] = ("--delete", "--quiet", "--short", "--no-recurse", "--recurse")
_GIT_LONG["replace"] = (
    "--graft",
    "--edit",
    "--force",
    "--delete",
    "--list",
    "--format",
    "--convert-graft-file",
)
_GIT_LONG["fast-import"] = ("--force", "--quiet", "--stats", "--done", "--date-format", "--export-marks")

# git commands gitwork judges (the work tree overwritten or dropped; credentials printed)
_WORK = frozenset({"clean", "apply", "rm", "checkout", "restore", "reset", "credential", "diff", "diff-files",
                   "diff-index", "stash", "show", "cat-file", "add"})
# git commands that run the repository's hooks (so a variable that turns hooks off matters).
_HOOKED = frozenset({"commit", "push", "merge", "rebase", "am", "cherry-pick", "pull", "revert"})


def _git(judge: Scope, call: Call) -> Verdict | None:
    args = call.argv
    j, cwd, settings = _global_options(judge, args)
    env = assignments(call)
    settings += env_settings(env)
    verdicts = [one_off_settings(judge, settings), env_programs(judge, env)]
    if j >= len(args):
        return worst(verdicts)
    sub, rest = args[j], long_options(args[j + 1 :], _GIT_LONG.get(args[j], ()))
    handler = _GIT_SUBCOMMANDS.get(sub)
    if handler:
        verdicts.append(handler(judge, rest, cwd))
    if sub in _HOOKED:
        verdicts.append(hooks_skipped(judge, sub, rest, env))
    if sub == "push":
        verdicts.append(push_destination(judge, rest, cwd, settings))
    if sub in ("bundle", "archive"):  # `git bundle create /tmp/r.bundle --all`: noted for a later upload
        from agentops_os.guard.repoexport import git_archive, note

        made = git_archive(sub, rest)
        if made is not None:
            note(judge, made[0], made[1], cwd)
    if sub == "rm" and "--cached" not in rest and "--dry-run" not in rest and not has_short(rest, "n"):
        verdicts.append(_git_rm(judge, call, rest, call.args[len(call.args) - len(rest) :]))
    if sub in _WORK or sub.startswith("credential-"):  # clean, apply -R, rm --cached, checkout REV -- F
        from agentops_os.guard.gitwork import judge_work

        verdicts.append(judge_work(judge, call, sub, rest, cwd, settings))
    if sub not in _BUILTINS:
        verdicts.append(alias_run(judge, sub, args[j + 1 :], settings, cwd))
    return worst(verdicts)


def _git_rm(judge: Scope, call: Call, rest: list[str], given: list[Word]) -> Verdict | None:
    """`git rm PATHSPEC…` deletes the tracked files the pathspecs match (also names read by
    xargs, `$(git ls-files)` and the `{}` of a find -exec), judged as rm of them."""
    words = [Word(t, w.quoted, w.dynamic, w.glob, w.subs, w.tilde) for t, w in zip(rest, given, strict=True)]
    recursive = has_short(rest, "r") or "--recursive" in rest
    git_rm = Call("git-rm", words, call.command, call.via, call.xargs, call.find_paths, call.find_narrowed,
                  call.upstream)
    return delete_targets(judge, git_rm, operands(words), recursive)


def _global_options(judge: Scope, args: list[str]) -> tuple[int, str, list[tuple[str, str | None]]]:
    """Skip git's own options: the index of the subcommand, the directory it runs in
    (`-C DIR`) and the settings it is given for this run (`-c key=value`; `--config-env
    key=VAR` takes the value from a variable the guard cannot see, so None)."""
    cwd = judge.cwd or judge.root
    settings: list[tuple[str, str | None]] = []
    j = 0
    while j < len(args) and args[j].startswith("-"):
        flag = args[j]
        value = args[j + 1] if j + 1 < len(args) else ""
        if flag == "-C" and value:
            cwd = judge.resolve(value) or cwd
        elif flag == "-c":
            key, eq, text = value.partition("=")
            settings.append((key, text if eq else "true"))
        elif flag == "--config-env" or flag.startswith("--config-env="):
            spec = flag.split("=", 1)[1] if "=" in flag else value
            settings.append((spec.rpartition("=")[0] or spec, None))
        j += 2 if flag in GIT_VALUED else 1
    return j, cwd, settings


def _paths_after_dashes(rest: list[str]) -> list[str] | None:
    """The pathspecs after `--` (`git checkout stash@{0} -- a.md b.md`), or None when the
    command names none that way (then the whole work tree is at stake)."""
    if "--" not in rest or any(a.startswith("--pathspec-from-file") for a in rest):
        return None
    paths = rest[rest.index("--") + 1 :]
    return paths or None


def _git_reset(judge: Scope, rest: list[str], cwd: str) -> Verdict | None:
    if ("--hard" in rest or "--merge" in rest or "--keep" in rest) and dirty(judge, cwd):
        return judge.verdict("git-discard", "ask", "git reset --hard would throw away uncommitted changes")
    return None


def _git_checkout(judge: Scope, rest: list[str], cwd: str) -> Verdict | None:
    discards = (
        "--" in rest
        or rest == ["."]
        or "-f" in rest
        or "--force" in rest
        or (rest and all(not a.startswith("-") for a in rest) and any(a in (".", "*", ":/") for a in rest))
    )
    if discards and dirty(judge, cwd, _paths_after_dashes(rest)):
        return judge.verdict("git-discard", "ask", "git checkout would discard uncommitted changes")
    paths = _checkout_paths(judge, rest, cwd)
    if paths and dirty(judge, cwd, paths):
        shown = " ".join(paths)[:60]
        return judge.verdict(
            "git-discard", "ask", f"git checkout {shown} would discard the uncommitted changes there"
        )
    return force_create(judge, rest, cwd, ("-B",), "git checkout -B")


def _checkout_paths(judge: Scope, rest: list[str], cwd: str) -> list[str]:
    """`git checkout [TREE-ISH] PATH...` without `--`: git takes the first operand as a
    branch or commit when it names one, and every other operand as a path whose
    uncommitted changes are overwritten (`git checkout README.md`). Creating or
    detaching a branch (`-b`, `-B`, `--orphan`, `--detach`) takes no paths."""
    if any(a in CHECKOUT_VALUED or a == "--detach" for a in rest):
        return []
    names = positionals(rest, CHECKOUT_VALUED)
    if names and _names_commit(judge, names[0], cwd):
        names = names[1:]
    return names


def _names_commit(judge: Scope, name: str, cwd: str) -> bool:
    """Does `name` name a branch or commit here (or a remote branch that `git checkout
    NAME` would create a local branch from)?"""
    if name in ("-", "@") or name.startswith("@{"):
        return True
    if judge.git("rev-parse", "--verify", "-q", name + "^{commit}", cwd=cwd) is not None:
        return True
    remote = judge.git("for-each-ref", "--format=%(refname)", "refs/remotes/*/" + name, cwd=cwd)
    return bool(remote and remote.strip())


def _git_switch(judge: Scope, rest: list[str], cwd: str) -> Verdict | None:
    """`git switch -f/--discard-changes X` throws away uncommitted changes; `-C X START`
    resets an existing branch X to START."""
    forced = "--force" in rest or "--discard-changes" in rest or has_short(rest, "f")
    if forced and dirty(judge, cwd):
        return judge.verdict(
            "git-discard", "ask", "git switch --discard-changes would throw away uncommitted changes"
        )
    return force_create(judge, rest, cwd, ("-C", "--force-create"), "git switch -C")


def _git_restore(judge: Scope, rest: list[str], cwd: str) -> Verdict | None:
    if ("--staged" in rest or "-S" in rest) and "--worktree" not in rest and "-W" not in rest:
        return None
    if dirty(judge, cwd, _restore_paths(rest)):
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


def _git_read_tree(judge: Scope, rest: list[str], cwd: str) -> Verdict | None:
    """`git read-tree -u --reset TREE` is plumbing's `reset --hard`: the work tree is
    overwritten with TREE. (`-m -u` refuses to clobber local changes; without `-u` only
    the index changes.)"""
    updates = "-u" in rest
    if updates and "--reset" in rest and dirty(judge, cwd):
        reason = "git read-tree -u --reset would throw away uncommitted changes"
        return judge.verdict("git-discard", "ask", reason)
    return None


def _git_checkout_index(judge: Scope, rest: list[str], cwd: str) -> Verdict | None:
    """`git checkout-index -f -a` (or `-f PATH`) overwrites work-tree files with the
    index: unstaged changes are lost. Without `-f` it skips files that exist; with
    `--prefix=DIR/` it writes a copy elsewhere."""
    forced = "--force" in rest or has_short(rest, "f")
    if not forced or any(a.startswith("--prefix=") and a != "--prefix=" for a in rest):
        return None
    every = "--all" in rest or has_short(rest, "a") or "--stdin" in rest
    paths = None if every else [a for a in rest if not a.startswith("-")] or None
    if (every or paths) and dirty(judge, cwd, paths):
        reason = "git checkout-index -f would overwrite uncommitted changes"
        return judge.verdict("git-discard", "ask", reason)
    return None


def _git_stash(judge: Scope, rest: list[str], cwd: str) -> Verdict | None:
    if rest[:1] in (["clear"], ["drop"]):
        return judge.verdict("git-discard", "ask", f"git stash {rest[0]} deletes stashed work for good")
    return None


def _git_branch(judge: Scope, rest: list[str], cwd: str) -> Verdict | None:
    deleting = "-D" in rest or "--delete" in rest or has_short(rest, "d")
    forced = "--force" in rest or has_short(rest, "f")
    if "-D" in rest or (deleting and forced):
        for name in (a for a in rest if not a.startswith("-")):
            if judge.policy.branch_protected(name):
                return judge.verdict("force-push", "ask", f"force-deletes the protected branch '{name}'")
        return None
    names = positionals(rest, ("-u", "--set-upstream-to"))
    renaming = any(a in ("-m", "-c", "--move", "--copy") for a in rest)
    moving = "-M" in rest or "-C" in rest or (forced and renaming)
    if moving and names:  # `branch -M [OLD] NEW`: NEW is overwritten with OLD
        old = names[0] if len(names) > 1 else "HEAD"
        return moves_protected(judge, cwd, names[-1], old, "git branch -M")
    if forced and names and not deleting:  # `branch -f NAME [START]`
        return moves_protected(judge, cwd, names[0], names[1] if len(names) > 1 else "HEAD", "git branch -f")
    return None


_BUILTIN_NAMES = """add am annotate apply archive bisect blame branch bugreport bundle cat-file check-attr
    check-ignore check-mailmap check-ref-format checkout checkout-index cherry cherry-pick citool
    clean clone column commit commit-graph commit-tree config count-objects credential
    credential-cache credential-store daemon describe diagnose diff diff-files diff-index
    diff-tree difftool fast-export fast-import fetch fetch-pack filter-branch fmt-merge-msg
    for-each-ref for-each-repo format-patch fsck gc get-tar-commit-id grep gui hash-object help
    hook index-pack init instaweb interpret-trailers log ls-files ls-remote ls-tree mailinfo
    mailsplit maintenance merge merge-base merge-file merge-index merge-one-file merge-tree
    mergetool mktag mktree multi-pack-index mv name-rev notes pack-objects pack-redundant
    pack-refs patch-id prune prune-packed pull push range-diff read-tree rebase reflog remote
    repack replace request-pull rerere reset restore rev-list rev-parse revert rm scalar
    send-email send-pack shortlog show show-branch show-index show-ref sparse-checkout stash
    status stripspace submodule switch symbolic-ref tag unpack-file unpack-objects update-index
    update-ref update-server-info var verify-commit verify-pack verify-tag version whatchanged
    worktree write-tree backfill last-modified refs repo replay lfs flow filter-repo"""
_BUILTINS = frozenset(_BUILTIN_NAMES.split())


_GIT_SUBCOMMANDS: dict[str, Callable[[Scope, list[str], str], Verdict | None]] = {
    "push": git_push,
    "remote": git_remote,
    "reset": _git_reset,
    "checkout": _git_checkout,
    "restore": _git_restore,
    "stash": _git_stash,
    "read-tree": _git_read_tree,
    "checkout-index": _git_checkout_index,
    "branch": _git_branch,
    "filter-branch": git_rewrite,
    "filter-repo": git_rewrite,
    "reflog": git_reflog,
    "switch": _git_switch,
    "config": git_config,
    "update-ref": git_update_ref,
    "symbolic-ref": git_symbolic_ref,
    "replace": git_replace,
    "fast-import": git_fast_import,
    "rebase": git_rebase,
    "submodule": git_submodule,
    "bisect": git_bisect,
}


def _patch(judge: Scope, call: Call) -> Verdict | None:
    """GNU patch: `git diff | patch -R` undoes the uncommitted changes (gitwork)."""
    from agentops_os.guard.gitwork import patch

    return patch(judge, call)


RULES = {"git": _git, "patch": _patch}
