"""Deletion rules: rm and friends, find -delete, xargs rm, mv of the repo or .git, and
the mass-delete limit on tracked files."""

from __future__ import annotations

import os

from agentops_os.guard.argv import RM_LONG, flag_set, has_short, long_options, operands
from agentops_os.guard.policy import path_matches
from agentops_os.guard.rules_files import write_targets
from agentops_os.guard.scope import DISKS
from agentops_os.guard.shell import ShellSyntaxError, Word
from agentops_os.guard.unwrap import Call, calls_of
from agentops_os.guard.verdict import Verdict, worst

TYPE_CHECKING = False  # typing stays off the hook path
if TYPE_CHECKING:
    from agentops_os.guard.scope import Scope


def _rm(judge: Scope, call: Call) -> Verdict | None:
    flags = flag_set([Word(t) for t in long_options(call.argv, RM_LONG)])
    recursive = bool(flags & {"r", "R", "--recursive"}) or call.name in ("rimraf", "trash", "rmtree")
    if "--no-preserve-root" in flags:
        return judge.verdict("rm-root", "deny", "rm --no-preserve-root can delete the whole machine")
    return delete_targets(judge, call, operands(call.args), recursive)


def delete_targets(judge: Scope, call: Call, targets: list[Word], recursive: bool) -> Verdict | None:
    verdicts: list[Verdict | None] = []
    unknown: list[str] = []
    resolved: list[tuple[str, Word]] = []
    narrowed = False  # a find that selects files: its start path itself is not wiped
    if call.find_paths is not None and (
        any("{}" in w.text for w in targets) or call.xargs or call.name == "find"
    ):
        targets = [w for w in targets if "{}" not in w.text] if call.name != "find" else []
        targets += list(call.find_paths)
        recursive, narrowed = True, call.find_narrowed
    elif call.xargs:
        upstream = _upstream_delete_source(call)
        if upstream is None:
            unknown.append("names read from stdin by xargs")
        else:
            targets, narrowed = targets + upstream[0], upstream[1]
            recursive = True
    for word in targets:
        path = judge.resolve_word(word)
        if path is None:
            unknown.append(word.text)
            continue
        if word.glob and not word.quoted:
            base, pattern = os.path.split(path)
            # `*`, `.*`, `{*,.*}`: everything in base
            if pattern.strip("*.?{},") == "" and (recursive or judge.inside_repo(base)):
                resolved.append((base, word))
                continue
        resolved.append((path, word))
    for path, word in resolved:
        verdicts.append(_delete_one(judge, path, word, recursive, narrowed))
    if not narrowed and not any(v and v.decision == "deny" for v in verdicts):
        verdicts.append(
            _mass_delete(judge, [p for p, w in resolved if judge.inside_repo(p)], resolved, recursive)
        )
    if unknown and recursive:
        verdicts.append(
            judge.verdict(
                "rm-unresolved",
                "ask",
                f"recursive delete of targets the guard cannot resolve ({', '.join(unknown)[:120]})",
            )
        )
    return worst(verdicts)


def _upstream_delete_source(call: Call) -> tuple[list[Word], bool] | None:
    """Paths an upstream `find` or `git ls-files` feeds into `xargs rm` (and whether that
    find only selects some files)."""
    for command in call.upstream:
        try:
            inner = calls_of(command)
        except ShellSyntaxError:
            return None
        for up in inner:
            if up.name == "find" and up.find_paths is not None:
                return list(up.find_paths), up.find_narrowed
            if up.name == "git" and "ls-files" in up.argv:
                return [Word(".")], False
    return None


def _delete_one(
    judge: Scope, path: str, word: Word, recursive: bool, narrowed: bool = False
) -> Verdict | None:
    root = judge.root
    if path.startswith(DISKS):
        return judge.verdict("disk-destroy", "deny", f"destroys the raw disk device {path}")
    if recursive and narrowed and judge.inside_repo(path):
        pass  # `find . -name '*.pyc' -delete` selects files inside the repo
    elif recursive:
        if path == "/" or path == judge.home or judge.home.startswith(path + os.sep):
            return judge.verdict("rm-root", "deny", f"recursive delete of {path} (the system or your home)")
        if path == root or root.startswith(path + os.sep):
            return judge.verdict(
                "rm-repo-root", "deny", f"recursive delete of the repository root {root} (target {word.text})"
            )
    if ".git" in path.split(os.sep):
        return judge.verdict("git-metadata", "deny", f"deletes git metadata {path}")
    hit = path_matches(path, judge.policy.protected_paths, judge.root, judge.home)
    if hit:
        return judge.verdict(
            "protected-write", "deny", f"deletes protected path {path} (guard.protected_paths '{hit}')"
        )
    hit = path_matches(path, judge.policy.ask_write_paths, judge.root, judge.home)
    if hit:
        return judge.verdict(
            "ask-write", "ask", f"deletes {path}, which needs a human yes (guard.ask_write_paths '{hit}')"
        )
    if recursive and not judge.inside_repo(path):
        if path_matches(path, judge.policy.delete_outside_repo_allow, judge.root, judge.home):
            return None
        return judge.verdict(
            "rm-outside-repo",
            "deny",
            f"recursive delete outside the repository: {path} (allow with guard.delete_outside_repo_allow)",
        )
    return None


def delete_path(judge: Scope, path: str, recursive: bool) -> Verdict | None:
    """Judge deleting one absolute path (for tools that are not shell commands)."""
    return _delete_one(judge, path, Word(path), recursive)


def _mass_delete(
    judge: Scope, in_repo: list[str], resolved: list[tuple[str, Word]], recursive: bool
) -> Verdict | None:
    limit = judge.policy.max_deleted_files
    if not in_repo:
        return None
    paths: list[str] = []
    for path, word in resolved:
        if not judge.inside_repo(path):
            continue
        if word.glob and not word.quoted and not path.endswith(os.sep + "*"):
            import glob

            paths.extend(glob.glob(path))
        else:
            paths.append(path)
    if not paths:
        # `rm -rf *.egg-info` matching nothing deletes nothing (and `git ls-files --` alone lists all)
        return None
    if not recursive and len(paths) <= limit and not any(os.path.isdir(p) for p in paths):
        return None
    rel = [os.path.relpath(p, judge.root) for p in paths]
    out = judge.git("ls-files", "-z", "--", *rel)
    if out is None:
        return None
    count = len([x for x in out.split("\0") if x])
    if count > limit:
        return judge.verdict(
            "mass-delete",
            "deny",
            f"would delete {count} tracked files at once (limit guard.max_deleted_files = "
            f"{limit}; raise it in agentops.toml or delete in smaller steps)",
        )
    return None


def _find(judge: Scope, call: Call) -> Verdict | None:
    if "-delete" in call.argv:
        return delete_targets(judge, call, [], True)
    return None


def _mv(judge: Scope, call: Call) -> Verdict | None:
    positional = operands(call.args, frozenset({"-t", "-S", "--target-directory", "--suffix"}))
    verdicts: list[Verdict | None] = []
    for word in positional[:-1]:
        path = judge.resolve_word(word)
        if path is None:
            continue
        root = judge.root
        if path == "/" or path == root or root.startswith(path + os.sep):
            verdicts.append(judge.verdict("rm-repo-root", "deny", f"moves away the repository root ({path})"))
        elif ".git" in path.split(os.sep):
            verdicts.append(judge.verdict("git-metadata", "deny", f"moves git metadata {path}"))
        else:
            verdicts.append(_delete_one(judge, path, word, False))  # moving away protected files deletes them
    verdicts.append(write_targets(judge, call, last=True))
    return worst(verdicts)


def _shred(judge: Scope, call: Call) -> Verdict | None:
    return delete_targets(
        judge, call, operands(call.args, frozenset({"-n", "-s", "--iterations"})), has_short(call.argv, "r")
    )


RULES = {
    "rm": _rm,
    "rimraf": _rm,
    "unlink": _rm,
    "rmdir": _rm,
    "trash": _rm,
    "shred": _shred,
    "find": _find,
    "mv": _mv,
}
