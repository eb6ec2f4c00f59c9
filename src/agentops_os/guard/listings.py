"""The file names a command prints, for a delete that takes them as its arguments:
`xargs rm` reading them from a pipe (`ls src/*.py | xargs rm`, `git ls-files '*.py' |
xargs git rm`) or a command substitution (`git rm -q $(git ls-files)`, `rm $(find src
-name '*.py')`).

A listing is one of: the tracked files `git ls-files` prints (asked of git with the same
pathspecs, so counted exactly); the start paths of a `find`/`fd` (with the find, whose
selection rules_delete counts); or the words `ls`, `echo`, `printf` print (their globs
still to be expanded). Between the lister and the delete, `sort`, `uniq`, `cat`, `tee`
and `tr` pass every name on; any other filter (`grep`, `head`, `sed` …) may drop some,
so the listing is then not counted (`exact` False)."""

from __future__ import annotations

import os

from agentops_os.guard.shell import Command, ShellSyntaxError, Word, commands_of

TYPE_CHECKING = False  # typing stays off the hook path
if TYPE_CHECKING:
    from agentops_os.guard.scope import Scope
    from agentops_os.guard.unwrap import Call

# filters that hand on every name they read (order or case aside)
_PASSING = frozenset({"sort", "uniq", "cat", "tee", "tr"})
# `git ls-files` options that only choose which files (or how names are printed) and run nothing
_LS_FILES_FLAGS = frozenset({"-c", "--cached", "-m", "--modified", "-d", "--deleted", "-z", "--full-name",
                             "--exclude-standard", "--recurse-submodules", "--sparse", "-t", "-v", "-f"})
_LS_FILES_VALUED = frozenset({"-x", "--exclude", "-X", "--exclude-from", "--exclude-per-directory"})
_UNTRACKED = frozenset({"-o", "--others", "-i", "--ignored", "-k", "--killed", "-u", "--unmerged", "-s",
                        "--stage", "--format", "--eol", "--debug", "--error-unmatch", "--with-tree",
                        "--resolve-undo", "--deduplicate", "--abbrev"})


class Listing:
    """What one lister prints: `tracked` (absolute paths, exact), or `words` (paths still
    to resolve: a find's start paths, with `finder` the find, or the words `ls` prints)."""

    __slots__ = ("tracked", "words", "finder", "exact", "what", "specs")

    def __init__(self, what: str) -> None:
        self.what = what
        self.tracked: list[str] | None = None
        self.words: list[Word] = []
        self.finder: Call | None = None
        self.exact = True
        self.specs: list[str] = []  # the pathspecs of `git ls-files`


def of_pipeline(judge: Scope, upstream: list[Command]) -> Listing | None:
    """The listing fed through a pipe into the command whose `upstream` this is."""
    exact = True
    for command in reversed(upstream):
        found = _lister(judge, command)
        if found is not None:
            found.exact = found.exact and exact
            return found
        argv = command.argv
        name = os.path.basename(argv[0]) if argv else ""
        if name not in _PASSING or (name == "tr" and any(a.startswith("-") and "d" in a for a in argv[1:])):
            exact = False
    return None


def of_word(judge: Scope, word: Word) -> Listing | None:
    """The listing an unquoted `$(CMD)` or backtick word stands for (split into names)."""
    text = word.text
    if word.quoted or len(word.subs) != 1 or not (
        (text.startswith("$(") and text.endswith(")")) or (text.startswith("`") and text.endswith("`"))
    ):
        return None
    try:
        inner = commands_of(word.subs[0])
    except ShellSyntaxError:
        return None
    if not inner:
        return None
    last = inner[-1]
    return of_pipeline(judge, [*last.upstream, last])


def _lister(judge: Scope, command: Command) -> Listing | None:
    from agentops_os.guard.unwrap import calls_of

    try:
        calls = calls_of(command)
    except ShellSyntaxError:
        return None
    for call in calls:
        if call.name in ("find", "fd", "fdfind") and call.find_paths is not None:
            listing = Listing(call.name)
            listing.words, listing.finder = list(call.find_paths), call
            return listing
        if call.name == "git":
            return _ls_files(judge, call)
        if call.name in ("ls", "echo", "printf"):
            return _printed(judge, call)
    return None


def _ls_files(judge: Scope, call: Call) -> Listing | None:
    """`git [-C DIR] ls-files [OPTIONS] [--] [PATHSPEC…]`: the tracked files it prints,
    asked of git itself. Untracked and ignored files (`-o`, `-i`) are not counted here
    (rules_delete asks about deleting those as uncommitted work)."""
    from agentops_os.guard.gitargs import GIT_VALUED

    argv = call.argv
    cwd = judge.cwd or judge.root
    j = 0
    while j < len(argv) and argv[j].startswith("-"):
        if argv[j] == "-C" and j + 1 < len(argv):
            cwd = judge.resolve(argv[j + 1], cwd) or cwd
        j += 2 if argv[j] in GIT_VALUED else 1
    if argv[j : j + 1] != ["ls-files"]:
        return None
    listing = Listing("git ls-files")
    flags: list[str] = []
    specs: list[str] = []
    rest = argv[j + 1 :]
    k, only = 0, False
    while k < len(rest):
        arg = rest[k]
        name = arg.split("=", 1)[0]
        if only or not arg.startswith("-"):
            specs.append(arg)
        elif arg == "--":
            only = True
        elif name in _UNTRACKED or any(name.startswith(p) for p in ("--format", "--with-tree", "--abbrev")):
            return None
        elif name in _LS_FILES_VALUED:
            value = arg.split("=", 1)[1] if "=" in arg else rest[k + 1] if k + 1 < len(rest) else ""
            k += 0 if "=" in arg else 1
            flags.append(f"{name}={value}" if name.startswith("--") else name + value)
        elif arg in _LS_FILES_FLAGS or not arg.startswith("--") and all("-" + c in _LS_FILES_FLAGS
                                                                         for c in arg[1:]):
            flags.append(arg)
        else:
            listing.exact = False  # an option the guard does not follow: the count is not known
        k += 1
    if any("$" in s or "`" in s for s in specs):
        return None
    out = judge.git("ls-files", "-z", *[f for f in flags if f not in ("-z", "-t", "-v", "-f")], "--", *specs,
                    cwd=cwd)
    if out is None:
        return None
    top = judge.git("rev-parse", "--show-toplevel", cwd=cwd) if "--full-name" in flags else None
    base = top.strip() if top else cwd
    listing.specs = specs
    listing.tracked = [os.path.normpath(os.path.join(base, n)) for n in out.split("\0") if n]
    return listing


def _printed(judge: Scope, call: Call) -> Listing | None:
    """`ls PATHS`, `echo PATHS`, `printf '%s\\n' PATHS`: the paths they print. `ls` of a
    directory prints bare names (relative to nothing `xargs rm` knows): not followed, nor
    is a bare `ls`."""
    args = call.args
    if call.name == "printf":
        if not args or "%" not in args[0].text:
            return None
        args = args[1:]
    listing = Listing(call.name)
    words = [w for w in args if not (w.text.startswith("-") and len(w.text) > 1)]
    if call.name == "ls" and not words:
        return None  # the entries of the current directory: left unknown (asked when recursive)
    if call.name == "ls" and not any(w.text.startswith("-") and "d" in w.text for w in args):
        kept = [w for w in words if w.glob or not os.path.isdir(judge.resolve_word(w) or "")]
        listing.exact = len(kept) == len(words)
        words = kept
    listing.words = words
    return listing if words else None
