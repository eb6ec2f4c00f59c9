"""git commands that overwrite or drop the work tree's files in ways the porcelain rules
of rules_git do not spell: `git clean` (with the ignored files of `-x`/`-X`), the
uncommitted changes undone through a patch (`git diff | git apply -R`, `patch -R` of a
`git diff` written to a file earlier on the line), the whole tree untracked at once
(`git rm -r --cached .`), an older revision of a guard-protected file checked out over
it (`git checkout REV -- .claude/settings.json`, `git restore --source=REV`, `git reset
--hard REV`), and the stored credentials git prints (`git credential fill`). Split from
rules_git, which dispatches here (imported only when one of these runs)."""

from __future__ import annotations

import os

from agentops_os.guard.gitargs import CHECKOUT_VALUED, GIT_VALUED, dirty, positionals
from agentops_os.guard.shell import WRITE_REDIRECTS
from agentops_os.guard.verdict import Verdict, worst

TYPE_CHECKING = False  # typing stays off the hook path
if TYPE_CHECKING:
    from agentops_os.guard.scope import Scope
    from agentops_os.guard.shell import Command
    from agentops_os.guard.unwrap import Call


def judge_work(
    judge: Scope, call: Call, sub: str, rest: list[str], cwd: str, settings: list[tuple[str, str | None]]
) -> Verdict | None:
    if sub == "clean":
        return git_clean(judge, rest, cwd, settings + _elsewhere(call))
    if sub == "apply":
        return git_apply(judge, call, rest, cwd)
    if sub == "rm":
        return rm_counted(judge, rest, cwd)
    if sub in ("checkout", "restore", "reset"):
        return restored(judge, sub, rest, cwd)
    if sub in ("show", "cat-file"):
        return worst([blob_over(judge, call, rest, cwd), blob_secret(judge, sub, rest, cwd)])
    if sub == "add":
        return staged_secret(judge, rest, cwd)
    if sub in _DIFFS:
        note_diff(judge, call, sub, rest, cwd)
        return _no_index_reads(judge, sub, rest, cwd) if "--no-index" in rest else None
    return credential(judge, sub, rest)


# -- git clean ---------------------------------------------------------------------------


def git_clean(
    judge: Scope, rest: list[str], cwd: str, settings: list[tuple[str, str | None]]
) -> Verdict | None:
    """`git clean -f` deletes untracked files for good, and is asked when its dry run (same
    options, `-e` excludes and paths) lists any. Forced (`-f`, `-ff`, `--force`, or
    `clean.requireForce=false`), `-X` over the whole tree is asked whatever the dry run
    shows: it deletes just the files the project keeps out of git on purpose (`.env`,
    local settings, virtualenvs), and which files those are is decided when it runs, by
    ignore rules the line or the agent can rewrite first (`echo '*' > .gitignore && git
    clean -fX` deletes every untracked file). `-x` deletes every untracked file whatever
    the ignore rules say, so its dry run stands. A one-off setting that moves the ignore
    rules or the work tree (`-c core.excludesFile=…`) cannot be dry-run: asked."""
    letters, excludes, paths = _clean_words(rest)
    if "n" in letters:
        return None
    if "f" not in letters and not _force_off(judge, cwd, settings):
        return None
    ignored = [x for x in ("x", "X") if x in letters]
    moved = [k for k, _ in settings if k.lower() in ("core.excludesfile", "core.worktree", "core.bare")]
    if ("X" in ignored and not paths) or moved:
        why = f"runs with a one-off {moved[0]}, which the guard's dry run cannot follow" if moved else (
            "deletes the ignored files (.env, local settings, virtualenvs) for good")
        reason = f"git clean -f{'d' if 'd' in letters else ''}{''.join(ignored)} {why}"
        return judge.verdict("git-discard", "ask", reason)
    flags = ["-n", *(f"-{x}" for x in ("d", *ignored) if x in letters)]
    flags += [f"--exclude={e}" for e in excludes]
    out = judge.git("clean", *flags, "--", *paths, cwd=cwd)
    count = len(out.splitlines()) if out else 0
    if out is None or count:
        return judge.verdict(
            "git-discard", "ask", f"git clean would delete {count or 'some'} untracked/ignored files for good"
        )
    return None


def _elsewhere(call: Call) -> list[tuple[str, str | None]]:
    """`git --work-tree=DIR`, `--git-dir=DIR`, `GIT_WORK_TREE=DIR git …`: another tree than
    the one the guard's dry run would list, as the settings they stand for."""
    from agentops_os.guard.gitconfig import assignments

    found: list[tuple[str, str | None]] = []
    env = assignments(call)
    for name, key in (("GIT_WORK_TREE", "core.worktree"), ("GIT_DIR", "core.worktree")):
        if name in env:
            found.append((key, env[name]))
    argv = call.argv
    for arg in argv[: git_subcommand(argv)]:
        if arg.startswith(("--work-tree", "--git-dir")):
            found.append(("core.worktree", None))
    return found


_CLEAN_LONG = {"--force": "f", "--dry-run": "n", "--quiet": "q", "--interactive": "i"}


def _clean_words(rest: list[str]) -> tuple[set[str], list[str], list[str]]:
    """The option letters (`--force` as f, `--dry-run` as n), the `-e`/`--exclude`
    patterns and the pathspecs of `git clean`."""
    letters: set[str] = set()
    excludes: list[str] = []
    paths: list[str] = []
    i, only = 0, False
    while i < len(rest):
        arg = rest[i]
        if only or not arg.startswith("-") or arg == "-":
            paths.append(arg)
        elif arg == "--":
            only = True
        elif arg.startswith("--exclude"):
            if "=" in arg:
                excludes.append(arg.split("=", 1)[1])
            elif i + 1 < len(rest):
                i += 1
                excludes.append(rest[i])
        elif arg.startswith("--"):
            letters.add(_CLEAN_LONG.get(arg, arg))
        else:
            for k, letter in enumerate(arg[1:]):
                if letter == "e":  # `-e PATTERN`, `-ePATTERN`
                    value = arg[k + 2 :]
                    if not value and i + 1 < len(rest):
                        i += 1
                        value = rest[i]
                    excludes.append(value)
                    break
                letters.add(letter)
        i += 1
    return letters, excludes, paths


def _force_off(judge: Scope, cwd: str, settings: list[tuple[str, str | None]]) -> bool:
    """`clean.requireForce=false` (for this run or stored): git clean deletes without -f."""
    for key, value in settings:
        if key.lower() == "clean.requireforce":
            return value is None or value.lower() in ("false", "no", "off", "0")
    out = judge.git("config", "--bool", "clean.requireForce", cwd=cwd)
    return out is not None and out.strip() == "false"


# -- uncommitted changes undone through a patch ---------------------------------------------

_DIFFS = ("diff", "diff-files", "diff-index", "stash")
_NOTES = "work-diffs"  # line notes: file -> "R" (a reversed diff) or "" (a plain one)


def note_diff(judge: Scope, call: Call, sub: str, rest: list[str], cwd: str) -> None:
    """`git diff > p` / `git diff --output=p`: the file holds the uncommitted changes, so a
    later `git apply -R p` on the line undoes them."""
    reversed_ = _work_diff(sub, rest)
    if reversed_ is None:
        return
    targets = [r.target for r in call.command.redirects if r.op in WRITE_REDIRECTS and r.target is not None]
    paths = [judge.resolve_word(t, cwd) for t in targets]
    paths += [judge.resolve(v, cwd) for v in _values(rest, "--output")]
    for path in paths:
        if path is not None:
            judge.line_notes(_NOTES)[path] = "R" if reversed_ else ""


def _work_diff(sub: str, rest: list[str]) -> bool | None:
    """Is `git SUB REST` a patch of the uncommitted changes (work tree or index against a
    commit; True when it is written reversed, `-R`)? None for anything else: a diff
    between two commits (`A..B`, `A B`, reverting them is no loss), `--no-index`, a stat."""
    if sub == "stash":
        patch = rest[:1] == ["show"] and any(a in ("-p", "--patch", "-u") for a in rest)
        return ("-R" in rest) if patch else None
    if "--no-index" in rest or any(a in ("--stat", "--name-only", "--name-status", "--numstat",
                                         "--shortstat", "--quiet", "--exit-code") for a in rest):
        return None
    head = rest[: rest.index("--")] if "--" in rest else rest
    revisions = [a for a in head if not a.startswith("-")]
    if len(revisions) > 1 or any(".." in r for r in revisions):
        return None
    if sub in ("diff-files", "diff-index") and not any(a in ("-p", "-u", "--patch") for a in rest):
        return None
    return "-R" in rest


def _diff_paths(rest: list[str]) -> list[str] | None:
    return rest[rest.index("--") + 1 :] or None if "--" in rest else None


def _values(rest: list[str], name: str) -> list[str]:
    out = [a.split("=", 1)[1] for a in rest if a.startswith(name + "=")]
    return out + [rest[i + 1] for i, a in enumerate(rest[:-1]) if a == name]


def reverse_apply(judge: Scope, call: Call, reversed_: bool, files: list[str], cwd: str) -> Verdict | None:
    """`git apply`/`patch` (`reversed_`: with -R) fed a patch of the uncommitted changes,
    from the pipe (`git diff | git apply -R`, `git stash show -p | …`), from a file the
    line wrote (`git diff > p && git apply -R p`, `patch -R < p`), or a reversed diff
    applied forwards (`git diff -R | git apply`): the changes are undone, as by
    `git checkout -- .`."""
    sources: list[tuple[bool, list[str] | None]] = []
    feeder = _feeder(call.command.upstream)
    if feeder is not None:
        sources.append(feeder)
    stdin = [r.target for r in call.command.redirects if r.op == "<" and r.target is not None]
    notes = judge.line_notes(_NOTES)
    for path in [judge.resolve_word(w, cwd) for w in stdin] + [judge.resolve(f, cwd) for f in files]:
        if path in notes:
            sources.append((notes[path] == "R", None))
    for diff_reversed, paths in sources:
        if diff_reversed != reversed_ and dirty(judge, cwd, paths):
            name = "git apply" if call.name == "git" else call.name
            reason = f"{name} undoes the patch of the uncommitted changes `git diff` made: the work is lost"
            return judge.verdict("git-discard", "ask", reason)
    return None


def _feeder(upstream: list[Command]) -> tuple[bool, list[str] | None] | None:
    """The command whose output the call reads (the last of the pipeline before it,
    through a bare `cat` or `tee FILE`), when it is a git diff of the uncommitted changes:
    (written reversed, its pathspecs)."""
    for command in reversed(upstream):
        argv = command.argv
        name = os.path.basename(argv[0]) if argv else ""
        if name == "tee" or (name == "cat" and all(a.startswith("-") for a in argv[1:])):
            continue  # passes its input on
        if name != "git":
            return None
        j = git_subcommand(argv[1:]) + 1
        if j >= len(argv) or argv[j] not in _DIFFS:
            return None
        found = _work_diff(argv[j], argv[j + 1 :])
        return None if found is None else (found, _diff_paths(argv[j + 1 :]))
    return None


def git_subcommand(args: list[str]) -> int:
    """Index of the subcommand in git's arguments (after `-C DIR`, `-c k=v`, `--no-pager`)."""
    j = 0
    while j < len(args) and args[j].startswith("-"):
        j += 2 if args[j] in GIT_VALUED else 1
    return j


def git_apply(judge: Scope, call: Call, rest: list[str], cwd: str) -> Verdict | None:
    """`git apply [-R] [PATCH...]`; `--cached` alone changes only the index, `--check`
    and the stat options change nothing."""
    if any(a in ("--check", "--stat", "--numstat", "--summary") for a in rest) and "--apply" not in rest:
        return None
    if "--cached" in rest and "--index" not in rest:
        return None
    shorts = [a[1:].split("p")[0].split("C")[0] for a in rest if a.startswith("-") and not a.startswith("--")]
    reversed_ = "--reverse" in rest or any("R" in letters for letters in shorts)  # `-R`, `-vR`, not `-p1`
    files = positionals(rest, ("--directory", "--exclude", "--include", "--whitespace", "-p", "-C"))
    return reverse_apply(judge, call, reversed_, files, cwd)


_PATCH_VALUED = "BdDFgioprVxYz"  # short options of GNU patch that take a value


def patch(judge: Scope, call: Call) -> Verdict | None:
    """GNU `patch -R [-pN] [-i PATCH] [< PATCH]` run on a `git diff`."""
    argv = call.argv
    reversed_ = "--reverse" in argv
    files = _values(argv, "--input")
    cwd = judge.cwd or judge.root
    if "--dry-run" in argv:
        return None
    i = 0
    while i < len(argv):
        arg = argv[i]
        if arg == "--":
            break
        if arg.startswith("-") and not arg.startswith("--"):
            for k, letter in enumerate(arg[1:]):
                if letter == "R":
                    reversed_ = True
                if letter in _PATCH_VALUED:
                    value = arg[k + 2 :] or (argv[i + 1] if i + 1 < len(argv) else "")
                    i += 0 if arg[k + 2 :] else 1
                    if letter == "i":
                        files.append(value)
                    elif letter == "d":
                        cwd = judge.resolve(value, cwd) or cwd
                    break
        elif arg.startswith("--directory="):
            cwd = judge.resolve(arg.split("=", 1)[1], cwd) or cwd
        i += 1
    return reverse_apply(judge, call, reversed_, files, cwd)


# -- the whole tree untracked ---------------------------------------------------------------


def rm_counted(judge: Scope, rest: list[str], cwd: str) -> Verdict | None:
    """`git rm -r --cached .` leaves the files on disk but takes them out of the index: the
    next commit deletes every one of them from the tree (and from every clone that pulls
    it). Counted against `max_deleted_files` like a delete; asked, since nothing is lost
    on disk. Without `--cached` the files go too: the pathspecs are counted as git matches
    them (`git rm '*.py'` reaches every directory), denied over the limit."""
    if "-n" in rest or "--dry-run" in rest or any(a.startswith("--pathspec-from-file") for a in rest):
        return None
    recursive = "--recursive" in rest or any(a.startswith("-") and not a.startswith("--") and "r" in a
                                               for a in rest if a != "--")
    specs = rest[rest.index("--") + 1 :] if "--" in rest else [a for a in rest if not a.startswith("-")]
    if not specs:
        return None
    if not recursive:  # git refuses a directory without -r, and then removes nothing
        for spec in specs:
            path = judge.resolve(spec, cwd)
            if path is not None and os.path.isdir(path):
                return None
    out = judge.git("ls-files", "-z", "--", *specs, cwd=cwd)
    count = len([x for x in out.split("\0") if x]) if out else 0
    limit = judge.policy.max_deleted_files
    if count > limit and "--cached" not in rest:
        reason = (f"git rm deletes the {count} tracked files its pathspecs match (limit "
                  f"guard.max_deleted_files = {limit})")
        return judge.verdict("mass-delete", "deny", reason)
    if count > limit:
        reason = (f"git rm --cached untracks {count} tracked files: the next commit deletes them from the "
                  f"repository (limit guard.max_deleted_files = {limit})")
        return judge.verdict("mass-delete", "ask", reason)
    return None


# -- an older revision of a protected file checked out over it -------------------------------

_CURRENT = frozenset({"HEAD", "@", "head"})


def restored(judge: Scope, sub: str, rest: list[str], cwd: str) -> Verdict | None:
    """`git checkout REV -- PATH`, `git checkout REV DIR/`, `git restore --source=REV PATH`,
    `git reset --hard REV`: each file they take from REV is written, so one that the guard
    protects (`.claude/settings.json`, `agentops.toml`, `.agents/.index/…`) is judged as
    that write. Restoring HEAD's version (undoing one's own edit) passes."""
    found = _source_and_paths(judge, sub, rest, cwd)
    if found is None:
        return None
    rev, paths = found
    how = f"git {sub} {rev[:40]} overwrites"
    verdicts: list[Verdict | None] = []
    for spec in paths:
        path = judge.resolve(spec, cwd) if not spec.startswith(":") else None
        if path is not None:
            verdicts.append(judge.judge_write(path, how))
    top = judge.git("rev-parse", "--show-toplevel", cwd=cwd)
    changed = judge.git("diff", "--name-only", "-z", "--no-renames", rev, "--", *paths, cwd=cwd)
    if top and changed:
        for name in [n for n in changed.split("\0") if n][:2000]:
            verdicts.append(judge.judge_write(os.path.join(top.strip(), name), how))
    elif changed is None:  # a revision this clone lacks (`HEAD~20` of a shallow one): what the paths hold
        verdicts += [judge.judge_write(place, how) for place in _places_below(judge, paths, cwd)]
    return worst(verdicts)


def _places_below(judge: Scope, specs: list[str], cwd: str) -> list[str]:
    """The protected and ask-write places inside the directories `specs` name (`.claude/`,
    `.`), whether or not they exist here."""
    from agentops_os.guard.findreach import places

    lists = ("protected_paths", "ask_write_paths")
    out: list[str] = []
    for spec in specs:
        top = judge.resolve(spec, cwd)
        if top is None:
            continue
        out += [p for p in places(judge, lists) if p.startswith(top.rstrip("/") + "/") and "/.git" not in p]
        if top == judge.root:  # and the listed bare names (`agentops.toml`) at the top
            listed = [p for name in lists for p in getattr(judge.policy, name)]
            out += [os.path.join(top, p) for p in listed if "/" not in p and "*" not in p]
    return out


def _source_and_paths(judge: Scope, sub: str, rest: list[str], cwd: str) -> tuple[str, list[str]] | None:
    valued = CHECKOUT_VALUED
    if any(a.startswith("--pathspec-from-file") for a in rest):
        return None
    if sub == "restore":
        if ("--staged" in rest or "-S" in rest) and "--worktree" not in rest and "-W" not in rest:
            return None
        sources = _values(rest, "--source") + _values(rest, "-s")
        sources += [a[2:] for a in rest if a.startswith("-s") and len(a) > 2]
        names = rest[rest.index("--") + 1 :] if "--" in rest else positionals(rest, ("-s", "--source"))
        rev = sources[-1] if sources else None
    elif sub == "reset":
        if not any(a in ("--hard", "--merge", "--keep") for a in rest):
            return None
        names = positionals(rest, ())
        rev, names = (names[0] if names else None), []
    else:  # checkout
        if any(a in valued or a == "--detach" for a in rest):
            return None
        if "--" in rest:
            before = positionals(rest[: rest.index("--")], valued)
            rev, names = (before[0] if before else None), rest[rest.index("--") + 1 :]
        else:
            names = positionals(rest, valued)
            if len(names) < 2 or not _looks_like_revision(judge, names[0], cwd):
                return None
            rev, names = names[0], names[1:]
    if rev is None or rev in _CURRENT or (sub != "reset" and not names):
        return None
    return rev, names


def _looks_like_revision(judge: Scope, name: str, cwd: str) -> bool:
    """Does `git checkout NAME PATH…` take NAME as the revision? It does when NAME names a
    commit here, and git refuses the line otherwise unless NAME is a file; a revision
    expression (`HEAD~20`, `v1^`, `stash@{0}`, a hash) counts even when this clone lacks it."""
    if judge.git("rev-parse", "--verify", "-q", name + "^{commit}", cwd=cwd) is not None:
        return True
    if any(c in name for c in "~^@:") or (len(name) >= 7 and all(c in "0123456789abcdef" for c in name)):
        return not os.path.lexists(os.path.join(cwd, name))
    return False


# -- a committed version written over the file --------------------------------------------

_OVERWRITE = frozenset({">", ">|", "&>"})


def blob_over(judge: Scope, call: Call, rest: list[str], cwd: str) -> Verdict | None:
    """`git show HEAD:src/a.py > src/a.py`, `git cat-file -p REV:f > f`: the file is
    overwritten with a committed (or staged, `:f`) version, which throws away its
    uncommitted changes as `git checkout REV -- f` would. Asked when it has some; a copy
    written elsewhere (`git show HEAD~1:f > /tmp/old`) passes."""
    targets = [judge.resolve_word(r.target, cwd) for r in call.command.redirects
               if r.op in _OVERWRITE and r.target is not None]
    if not any(targets):
        return None
    top = judge.git("rev-parse", "--show-toplevel", cwd=cwd)
    for spec in (a for a in rest if ":" in a and not a.startswith("-")):
        staged = spec.startswith(":") and spec[1:2].isdigit()  # `:0:path`, a stage of the index
        rel = spec.split(":", 2)[-1] if staged else spec.split(":", 1)[1]
        if not rel:
            continue
        base = cwd if rel.startswith(("./", "../")) else (top.strip() if top else judge.root)
        path = os.path.normpath(os.path.join(base, rel))
        if path in targets and dirty(judge, cwd, [path]):
            shown = os.path.relpath(path, judge.root)
            reason = (f"git {call.argv[git_subcommand(call.argv)]} {spec[:60]} > {shown} overwrites the "
                      f"uncommitted changes of {shown} with the committed version")
            return judge.verdict("git-discard", "ask", reason)
    return None


def _no_index_reads(judge: Scope, sub: str, rest: list[str], cwd: str) -> Verdict | None:
    """`git diff --no-index /dev/null .env` prints both files, as `diff` would."""
    for arg in positionals(rest, ()):
        path = judge.resolve(arg, cwd)
        found = judge.judge_read(path, f"git {sub} prints") if path is not None else None
        if found is not None:
            return found
    return None


def blob_secret(judge: Scope, sub: str, rest: list[str], cwd: str) -> Verdict | None:
    """`git show HEAD:.env`, `git cat-file -p main:config/.env.production`: the committed
    version of a secret file, printed, is the secret read as `cat .env` would."""
    specs = [a for a in rest if ":" in a and not a.startswith("-") and "://" not in a]
    if not specs:
        return None
    top = judge.root if cwd == judge.root else judge.git("rev-parse", "--show-toplevel", cwd=cwd)
    for spec in specs:
        staged = spec.startswith(":") and spec[1:2].isdigit()  # `:0:path`, a stage of the index
        rel = spec.split(":", 2)[-1] if staged else spec.split(":", 1)[1]
        if not rel:
            continue
        base = cwd if rel.startswith(("./", "../")) else (top.strip() if top else judge.root)
        found = judge.judge_read(os.path.normpath(os.path.join(base, rel)), f"git {sub} {spec[:60]} prints")
        if found is not None:
            return found
    return None


def staged_secret(judge: Scope, rest: list[str], cwd: str) -> Verdict | None:
    """`git add -f .env`, `git add config/.env.production`: a secret file named to be staged
    goes out with the next commit and push, to everyone who can read the remote (and stays
    in its history). Asked: the person decides whether that file belongs in git. `git add
    .`/`-A` leave ignored files out and pass; `--dry-run` only lists."""
    if "-n" in rest or "--dry-run" in rest:
        return None
    for arg in positionals(rest, ("--chmod", "--pathspec-from-file")):
        path = judge.resolve(arg.removeprefix(":(literal)"), cwd)
        hit = judge.is_secret(path) if path is not None else None
        if hit and path is not None:
            shown = os.path.relpath(path, judge.root) if path.startswith(judge.root) else path
            reason = (f"git add stages the secret file {shown} (matches guard.secret_files '{hit}'): a "
                      "commit and push send it to the remote and keep it in the history")
            return judge.verdict("secret-read", "ask", reason)
    return None


# -- stored credentials ---------------------------------------------------------------------


def credential(judge: Scope, sub: str, rest: list[str]) -> Verdict | None:
    """`git credential fill` asks the configured helpers for a password and prints it;
    `git credential-store get` (and -cache, -osxkeychain, -manager, -libsecret …) prints
    what the helper keeps: the plain secret, as reading ~/.git-credentials would."""
    words = positionals(rest, ("--file", "--timeout", "--socket"))
    action = words[0] if words else ""
    if (sub == "credential" and action == "fill") or (sub.startswith("credential-") and action == "get"):
        return judge.verdict("secret-read", "deny", f"git {sub} {action} prints a stored password or token")
    return None
