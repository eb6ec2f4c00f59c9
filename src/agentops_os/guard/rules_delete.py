"""Deletion rules: rm and friends, find -delete, xargs rm, mv of the repo or .git, and
the mass-delete limit on tracked files."""

from __future__ import annotations

import os

from agentops_os.guard.argv import RM_LONG, flag_set, has_short, long_options, operands
from agentops_os.guard.listings import Listing, of_pipeline, of_word
from agentops_os.guard.policy import path_matches
from agentops_os.guard.rules_files import touch, write_targets
from agentops_os.guard.scope import DISKS
from agentops_os.guard.shell import Word
from agentops_os.guard.unwrap import Call
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
    listed: dict[int, Listing] = {}  # the word standing for the names xargs reads
    narrowed = False  # a find that selects files: its start path itself is not wiped
    selector = call  # the find whose selection is counted (an upstream one for `find … | xargs rm`)
    if call.find_paths is not None and (
        any("{}" in w.text for w in targets) or call.xargs or call.name == "find"
    ):
        targets = [w for w in targets if "{}" not in w.text] if call.name != "find" else []
        targets += list(call.find_paths)
        recursive, narrowed = True, call.find_narrowed
        from agentops_os.guard.findreach import reached  # `find .agents -path '*audit*' -delete`

        verdicts += [_delete_one(judge, path, Word(path), False) for path in reached(judge, call, recursive)]
    elif call.xargs:
        if _lists_changes(call):
            verdicts.append(
                judge.verdict(
                    "git-discard",
                    "ask",
                    "deletes the files git lists as changed or untracked (uncommitted work)",
                )
            )
        listing = of_pipeline(judge, call.upstream)
        if listing is None:
            unknown.append("names read from stdin by xargs")
        else:
            targets = [*targets, Word("$(listed)", subs=[[]], dynamic=True)]
            listed = {id(targets[-1]): listing}
    uncounted: set[int] = set()  # words of a listing a filter may have narrowed
    kept: list[Word] = []
    for word in targets:
        listing = listed.get(id(word)) or (of_word(judge, word) if word.subs else None)
        if listing is None:
            kept.append(word)
        elif listing.finder is not None:  # `find … | xargs rm`, `rm $(find …)`: the find's selection
            kept += listing.words
            narrowed, selector, recursive = listing.finder.find_narrowed, listing.finder, True
        elif listing.tracked is not None:
            verdicts.append(_tracked(judge, listing))
        else:  # `ls src/*.py | xargs rm`: the paths ls prints
            kept += listing.words
            uncounted |= set() if listing.exact else {id(w) for w in listing.words}
    targets = kept
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
            matches = _glob_matches(path)
            if matches:  # `rm -rf .g*` deletes `.git`: judge what the pattern names today
                resolved.extend((match, word) for match in matches)
                continue
        resolved.append((path, word))
    selection = _find_selection(selector) if narrowed else None
    for path, word in resolved:
        if selection is not None and _spares(judge, path, selection):
            # `find /tmp -name 'pytest-*' -exec rm -rf {} +` deletes entries below /tmp whose
            # names cannot be the repository's or the home's: judge those entries.
            verdicts.append(_delete_one(judge, os.path.join(path, "*"), word, recursive, narrowed))
            continue
        verdicts.append(_delete_one(judge, path, word, recursive, narrowed))
        if selection is not None and selection.exact and judge.inside_repo(path):
            verdicts.append(_mass_select(judge, path, selection))
    if not narrowed and not any(v and v.decision == "deny" for v in verdicts):
        counted = [(p, w) for p, w in resolved if id(w) not in uncounted]
        verdicts.append(
            _mass_delete(judge, [p for p, w in counted if judge.inside_repo(p)], counted, recursive)
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


class _Selection:
    """What a `find` selects, when it selects only by name, type and depth."""

    __slots__ = ("names", "inames", "spared", "kind", "maxdepth", "exact")

    def __init__(self) -> None:
        self.exact = True  # False: more predicates narrow it further (-mtime, -user ...)
        self.names: list[str] = []
        self.inames: list[str] = []
        self.spared: list[tuple[str, bool]] = []  # `-not -name P` / `! -iname P`: (P, any case)
        self.kind = ""
        self.maxdepth: int | None = None

    def matches(self, name: str) -> bool:
        import fnmatch

        return all(fnmatch.fnmatchcase(name, p) for p in self.names) and all(
            fnmatch.fnmatchcase(name.lower(), p.lower()) for p in self.inames
        ) and not any(fnmatch.fnmatchcase(name.lower() if icase else name, p.lower() if icase else p)
                      for p, icase in self.spared)


# find predicates a _Selection can follow; any other narrowing one makes it unknowable here.
_SELECTION_VALUED = frozenset({"-name", "-iname", "-type", "-maxdepth", "-mindepth"})
_MORE_NARROWING = frozenset(
    {"-mtime", "-mmin", "-atime", "-amin", "-ctime", "-cmin", "-newer", "-size", "-user", "-group", "-perm"}
)
_PATH_TESTS = frozenset({"-path", "-ipath", "-wholename", "-iwholename", "-regex", "-iregex"})
_SELECTION_FLAGS = frozenset({"-print", "-print0", "-depth", "-xdev", "-mount", "-follow", "-L", "-H", "-P"})


def _find_selection(call: Call) -> _Selection | None:
    words = [w.text for w in call.command.words]
    if words and os.path.basename(words[0]) in ("fd", "fdfind"):
        return _fd_selection(words)
    if not words or os.path.basename(words[0]) != "find":
        return None
    selection = _Selection()
    j = 1
    while j < len(words) and not words[j].startswith(("-", "(", "!")):
        j += 1  # start paths
    while j < len(words):
        text = words[j]
        if text in ("-exec", "-execdir", "-ok", "-okdir", "-delete"):
            break
        value = words[j + 1] if j + 1 < len(words) else ""
        if text in ("-not", "!"):
            # a negated test only spares files: `-not -name P` is followed; a negated path
            # test is not, so the count is of what the rest selects (at least as many)
            if value in ("-name", "-iname") and j + 2 < len(words):
                selection.spared.append((words[j + 2], value == "-iname"))
            elif value not in _PATH_TESTS or j + 2 >= len(words):
                return None
            j += 3
            continue
        if text == "-prune" and value in ("-o", "-or"):
            selection = _Selection()  # `-path ./vendor -prune -o …`: the pruned branch acts on nothing
            j += 2
            continue
        if text in _PATH_TESTS:
            selection.exact = False
            j += 2
            continue
        if text in _SELECTION_VALUED:
            if text == "-name":
                selection.names.append(value)
            elif text == "-iname":
                selection.inames.append(value)
            elif text == "-type":
                selection.kind = value
            elif text == "-maxdepth" and value.isdigit():
                selection.maxdepth = int(value)
            j += 2
            continue
        if text in _MORE_NARROWING:
            selection.exact = False
            j += 2
            continue
        if text not in _SELECTION_FLAGS:
            return None
        j += 1
    return selection if selection.names or selection.inames else None


def _fd_selection(words: list[str]) -> _Selection | None:
    """What `fd` selects when it is by extension or glob (`fd -e py`, `fd -g 'm*.py'`);
    a regular-expression pattern is not followed here."""
    selection = _Selection()
    glob = "-g" in words or "--glob" in words
    extensions: list[str] = []
    positional: list[str] = []
    j = 1
    while j < len(words) and words[j] not in ("-x", "--exec", "-X", "--exec-batch"):
        text, value = words[j], words[j + 1] if j + 1 < len(words) else ""
        if text in ("-e", "--extension"):
            extensions.append(value)
        elif text in ("-t", "--type"):
            selection.kind = value[:1]
        elif text in ("-d", "--max-depth") and value.isdigit():
            selection.maxdepth = int(value)
        elif text in ("-S", "--size", "--changed-within", "--changed-before", "-o", "--owner"):
            selection.exact = False
        elif text.startswith("-"):
            j += 1
            continue
        else:
            positional.append(text)
            j += 1
            continue
        j += 2
    pattern = positional[0] if positional else ""
    if pattern not in ("", ".", "^", ".*"):
        if not glob:
            return None
        selection.names.append(pattern)
    if len(extensions) == 1:
        selection.names.append("*." + extensions[0].lstrip("."))
    elif extensions:
        return None
    return selection if selection.names else None


def _spares(judge: Scope, path: str, selection: _Selection) -> bool:
    """True when `path` holds the repository or the home, and no name on the way down to
    them (within -maxdepth) is one the find selects."""
    for inner in (judge.root, judge.home):
        if not inner.startswith(path.rstrip(os.sep) + os.sep) and path != "/":
            continue
        if path == inner:
            return False
        parts = os.path.relpath(inner, path).split(os.sep)
        depth = len(parts) if selection.maxdepth is None else min(len(parts), selection.maxdepth)
        if any(selection.matches(part) for part in parts[:depth]):
            return False
    return judge.root.startswith(path.rstrip(os.sep) + os.sep) or judge.home.startswith(
        path.rstrip(os.sep) + os.sep
    )


def _mass_select(judge: Scope, start: str, selection: _Selection) -> Verdict | None:
    """`find . -name '*.py' -exec rm {} +`: count the tracked files the find selects."""
    limit = judge.policy.max_deleted_files
    out = judge.git("ls-files", "-z", "--", os.path.relpath(start, judge.root))
    if not out:
        return None
    base = os.path.relpath(start, judge.root)
    count = 0
    for rel in filter(None, out.split("\0")):
        parts = os.path.relpath(rel, base).split(os.sep) if base != "." else rel.split(os.sep)
        if selection.maxdepth is not None:
            parts = parts[: selection.maxdepth]
        if selection.kind == "f":
            hit = len(parts) > 0 and parts[-1] == os.path.basename(rel) and selection.matches(parts[-1])
        elif selection.kind == "d":
            hit = any(selection.matches(part) for part in parts[:-1])
        else:
            hit = any(selection.matches(part) for part in parts)
        count += hit
    if count > limit:
        return judge.verdict(
            "mass-delete",
            "deny",
            f"the find selects {count} tracked files to delete at once (limit guard.max_deleted_files = "
            f"{limit})",
        )
    return None


def _glob_matches(pattern: str, limit: int = 2000) -> list[str]:
    """The paths a glob names now, as bash would list them (a leading `.` only by a
    pattern that starts with one); at most `limit` of them."""
    import glob
    import itertools

    return [os.path.normpath(p) for p in itertools.islice(glob.iglob(pattern), limit)]


def _lists_changes(call: Call) -> bool:
    """An upstream `git status`, `git diff --name-only` or `git ls-files -m/-o`: the names
    xargs reads are files with uncommitted work."""
    for command in call.upstream:
        argv = [w.text for w in command.words]
        if not argv or os.path.basename(argv[0]) != "git":
            continue
        if "status" in argv or "diff" in argv and ("--name-only" in argv or "--name-status" in argv):
            return True
        if "ls-files" in argv and any(a in ("-m", "-o", "--modified", "--others", "-d") for a in argv):
            return True
    return False


def _tracked(judge: Scope, listing: Listing) -> Verdict | None:
    """The tracked files `git ls-files` lists, deleted (`git ls-files '*.py' | xargs git rm`,
    `git rm $(git ls-files src)`): all of the repository's is a delete of its root; more
    than `max_deleted_files` a mass delete; a protected one (`.agents/…`) is judged as itself."""
    files = listing.tracked or []
    if listing.exact and files and _whole_repository(judge, listing):
        reason = f"deletes every tracked file of the repository ({listing.what} lists all {len(files)})"
        return judge.verdict("rm-repo-root", "deny", reason)
    verdicts = [_delete_one(judge, path, Word(path), False) for path in files[:500]]
    limit = judge.policy.max_deleted_files
    if listing.exact and len(files) > limit:
        reason = (f"deletes the {len(files)} tracked files {listing.what} lists at once (limit "
                  f"guard.max_deleted_files = {limit})")
        verdicts.append(judge.verdict("mass-delete", "deny", reason))
    return worst(verdicts)


def _whole_repository(judge: Scope, listing: Listing) -> bool:
    """Does the listing name every tracked file (one file named by a pathspec does not)?"""
    everything = judge.git("ls-files", "-z", "--", ":/")
    count = len(listing.tracked or [])
    return everything is not None and len([n for n in everything.split("\0") if n]) == count and (
        count > 1 or not listing.specs)


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
    held = _holds_protected(judge, path, "protected_paths") if recursive and not narrowed else None
    if held:
        reason = f"deletes {path}, which holds the protected {held} (guard.protected_paths)"
        return judge.verdict("protected-write", "deny", reason)
    hit = path_matches(path, judge.policy.ask_write_paths, judge.root, judge.home)
    if hit:
        return judge.verdict(
            "ask-write", "ask", f"deletes {path}, which needs a human yes (guard.ask_write_paths '{hit}')"
        )
    held = _holds_protected(judge, path, "ask_write_paths") if recursive and not narrowed else None
    if held:
        reason = f"deletes {path}, which holds {held} (guard.ask_write_paths: needs a human yes)"
        return judge.verdict("ask-write", "ask", reason)
    if recursive and not judge.inside_repo(path):
        if path_matches(path, judge.policy.delete_outside_repo_allow, judge.root, judge.home):
            return None
        return judge.verdict(
            "rm-outside-repo",
            "deny",
            f"recursive delete outside the repository: {path} (allow with guard.delete_outside_repo_allow)",
        )
    return None


def _holds_protected(judge: Scope, path: str, kind: str) -> str | None:
    """A place of the repository that policy list `kind` names below `path`, whether or
    not it exists yet (`rm -rf .agents` deletes the audit ledger `.agents/audit`, and
    `rm -rf .claude` the guard's settings `.claude/settings.json`, in every repository
    that runs ao: the deletion is judged, not this checkout's state)."""
    from agentops_os.guard.findreach import places

    if not judge.inside_repo(path) or path == judge.root:
        return None
    prefix = path.rstrip(os.sep) + os.sep
    for place in places(judge, (kind,)):
        inside = place[len(judge.root) :]
        if place.startswith(prefix) and judge.inside_repo(place) and not inside.startswith(os.sep + ".git"):
            return os.path.relpath(place, judge.root)
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
        # `rm -rf *.egg-info` matching nothing deletes nothing (and `git ls-files --` alone lists all),
        # unless an earlier `rename` of the line made the names it matches
        renamed = max((judge.renamed.get(os.path.dirname(p), 0) for p, w in resolved if w.glob), default=0)
        if renamed > limit:
            reason = (f"would delete the {renamed} tracked files the line renames first "
                      f"(limit guard.max_deleted_files = {limit})")
            return judge.verdict("mass-delete", "deny", reason)
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
    if "-exec" in call.argv or "-execdir" in call.argv or "-ok" in call.argv or "-okdir" in call.argv:
        from agentops_os.guard.emptying import empties  # `-exec sh -c ': > "$1"' _ {} \;`

        how = empties(call.args)
        verdict = delete_targets(judge, call, [], True) if how else None
        if verdict is not None:
            return Verdict(verdict.decision, f"the find {how}, emptying them like a delete: {verdict.reason}",
                           verdict.rule)
    return None


def _mv(judge: Scope, call: Call) -> Verdict | None:
    positional = operands(call.args, frozenset({"-t", "-S", "--target-directory", "--suffix"}))
    verdicts: list[Verdict | None] = []
    into = _target_directory(call.args)  # `mv -t DIR SOURCE...`
    moved = positional if into is not None else positional[:-1]
    if into is not None:
        destination = judge.resolve_word(into)
    else:
        destination = judge.resolve_word(positional[-1]) if len(positional) > 1 else None
    if destination is not None and destination.startswith("/dev/") and destination != "/dev/stdout":
        # as root this replaces the device file; either way the moved file is gone
        verdicts.append(judge.verdict("disk-destroy", "deny", f"mv onto the device file {destination}"))
    for word in moved:
        path = judge.resolve_word(word)
        if path is None:
            continue
        root, home = judge.root, judge.home
        if path == "/" or path == home or home.startswith(path + os.sep):
            verdicts.append(judge.verdict("rm-root", "deny", f"moves away {path} (the system or your home)"))
        elif path == root or root.startswith(path + os.sep):
            verdicts.append(judge.verdict("rm-repo-root", "deny", f"moves away the repository root ({path})"))
        elif not judge.inside_repo(path):
            verdicts.append(judge.judge_write(path, "mv moves away"))  # ~/.ssh, ~/.bashrc ...
        elif ".git" in path.split(os.sep):
            verdicts.append(judge.verdict("git-metadata", "deny", f"moves git metadata {path}"))
        else:
            # moving away protected files deletes them, and a directory goes with all it holds
            verdicts.append(_delete_one(judge, path, word, True))
    verdicts.append(write_targets(judge, call, last=True))
    if destination is not None and not judge.inside_repo(destination):  # `mv src/*.py /tmp/x/`
        sources = [(p, w) for w in moved if (p := judge.resolve_word(w)) and judge.inside_repo(p)]
        verdicts.append(_mass_delete(judge, [p for p, _ in sources], sources, True))
    return worst(verdicts)


def _target_directory(args: list[Word]) -> Word | None:
    for k, word in enumerate(args):
        if word.text in ("-t", "--target-directory") and k + 1 < len(args):
            return args[k + 1]
        if word.text.startswith("--target-directory="):
            return Word(word.text.split("=", 1)[1])
    return None


def _rename(judge: Scope, call: Call) -> Verdict | None:
    """`rename 's/[.]py$/.bak/' src/*.py` (Perl) or `rename .py .bak src/*.py` (util-linux):
    harmless alone, but a later `rm src/*.bak` of the line deletes what it renamed, though
    that glob matches nothing when the guard looks. Remember how many tracked files each
    directory had renamed."""
    positional = operands(call.args, frozenset({"-e", "-E"}))
    first = positional[0].text if positional else ""
    perl = any(first.startswith(op) and first[len(op) : len(op) + 1] not in ("", "_") and
               not first[len(op)].isalnum() for op in ("s", "y", "tr"))
    for word in positional[1:] if perl else positional[2:]:  # Perl: EXPR FILES; util-linux: FROM TO FILES
        path = judge.resolve_word(word)
        if path is None or not judge.inside_repo(path):
            continue
        import glob

        matches = glob.glob(path) if word.glob and not word.quoted else [path]
        rel = [os.path.relpath(m, judge.root) for m in matches]
        out = judge.git("ls-files", "-z", "--", *rel) if rel else None
        count = len([x for x in (out or "").split("\0") if x])
        directory = os.path.dirname(path)
        judge.renamed[directory] = judge.renamed.get(directory, 0) + count
    return None


_TRUNCATE_VALUED = frozenset({"-s", "--size", "-r", "--reference", "-o", "--io-blocks"})


def _truncate(judge: Scope, call: Call) -> Verdict | None:
    """`truncate -s 0 src/*.py` empties files: as many tracked files at once as a delete
    (the mass-delete limit), besides the write rules for each target."""
    from agentops_os.guard.emptying import zero_size

    verdicts = [touch(judge, call)]
    if zero_size(call.argv):
        verdicts.append(delete_targets(judge, call, operands(call.args, _TRUNCATE_VALUED), False))
    return worst(verdicts)


# secure deleters -> their options that take a value; what they destroy cannot come back
_SHREDDERS = {
    "shred": frozenset({"-n", "-s", "--iterations", "--size", "--random-source"}),
    "wipe": frozenset({"-l", "-x", "-p", "-b", "-T", "-S"}),
    "srm": frozenset(),
}


def _shred(judge: Scope, call: Call) -> Verdict | None:
    """`shred -n 3 -u FILES`, `wipe -rfq DIR`, `srm -r DIR`: judged as the deletes they are,
    and asked about when a file of the repository holds work git cannot bring back
    (untracked, or with uncommitted changes): unlike `rm`, no undelete tool finds it."""
    targets = operands(call.args, _SHREDDERS[call.name])
    recursive = call.name != "shred" and (has_short(call.argv, "r") or has_short(call.argv, "R"))
    verdicts = [delete_targets(judge, call, targets, recursive)]
    paths = [p for w in targets if (p := judge.resolve_word(w)) is not None and judge.inside_repo(p)]
    if paths:
        import glob

        rel = [os.path.relpath(m, judge.root) for p in paths for m in (glob.glob(p) if "*" in p else [p])]
        out = judge.git("status", "--porcelain", "--untracked-files=all", "--", *rel) if rel else None
        changed = [line[3:] for line in (out or "").splitlines() if line[:2].strip() and line[3:]]
        if changed:
            shown = ", ".join(changed[:3]) + (" …" if len(changed) > 3 else "")
            reason = f"{call.name} destroys {shown} beyond recovery: uncommitted or untracked work"
            verdicts.append(judge.verdict("git-discard", "ask", reason))
    return worst(verdicts)


RULES = {
    "rm": _rm,
    "rimraf": _rm,
    "unlink": _rm,
    "rmdir": _rm,
    "trash": _rm,
    **dict.fromkeys(_SHREDDERS, _shred),
    "find": _find,
    "mv": _mv,
    "truncate": _truncate,
    **{name: _rename for name in ("rename", "prename", "perl-rename", "file-rename", "rename.ul")},
}
