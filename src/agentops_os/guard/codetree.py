"""Interpreter code that lists or walks a directory and deletes what it finds: Perl's
`find(sub { unlink }, "src")`, PHP's `array_map("unlink", glob($home."/.ssh/*"))`, Python's
`for f in glob.glob("src/*"): os.remove(f)`, Ruby's `Dir["src/*"].each { |f| File.delete(f) }`,
`os.walk` or `Find.find` with a delete in the loop. The delete's own target is a loop
variable the reader cannot know, so what the listing names is judged as deleted: a glob as
`rm PATTERN` is, a walk as `find DIR -type f -delete` is (with a name or age test in the
code, as a `find` that selects files)."""

from __future__ import annotations

from agentops_os.guard.verdict import Verdict

TYPE_CHECKING = False  # typing stays off the hook path
if TYPE_CHECKING:
    from collections.abc import Callable

    from agentops_os.guard.coderead import CodeReader
    from agentops_os.guard.scope import Scope
    from agentops_os.guard.unwrap import Call

    Deletes = Callable[[Scope, Call, list[object], bool], Verdict | None]

# Names of calls that delete a file or a tree, as code mentions them (called, or handed to
# a mapper as a value or a name: `array_map("unlink", ...)`, `.forEach(fs.unlinkSync)`).
_DELETE_WORDS = (
    r"(?<![\w$])(?:unlink|unlinkSync|rmdir|rmdirSync|rmSync|rm_rf|rm_r|rm_f|rmtree|remove_tree|removeSync"
    r"|rimraf|rimrafSync|remove_entry|remove_entry_secure|emptyDirSync|os\.remove|File\.delete"
    r"|FileUtils\.rm|FileUtils\.remove|Deno\.remove|Deno\.removeSync|fs\.rm|promises\.rm)(?![\w$])"
)
_TREE_DELETERS = frozenset(
    {"rmtree", "remove_tree", "rm_rf", "rm_r", "rmSync", "rimraf", "rimrafSync", "remove_entry",
     "remove_entry_secure", "emptyDirSync", "removeSync", "fs.rm", "promises.rm"}
)  # fmt: skip
_DELETE_NAMES = frozenset(
    {"unlink", "unlinkSync", "rmdir", "rmdirSync", "remove", "removeSync", "delete", "rm", "rm_f", "rm_r",
     "rm_rf", "rmtree", "remove_tree", "rmSync", "rimraf", "rimrafSync", "remove_entry", "emptyDirSync"}
)  # fmt: skip
# Calls that list one directory, by the last part of their name: the directory is the
# first text argument (or the receiver: `Path("src").iterdir()`).
_LISTS = frozenset(
    {"listdir", "scandir", "iterdir", "readdirSync", "readdir", "opendirSync", "opendir", "readDir",
     "readDirSync", "children", "entries", "each_child", "DirectoryIterator", "FilesystemIterator"}
)  # fmt: skip
# Calls that walk a whole tree.
_WALKS = frozenset({"walk", "fwalk", "walkSync", "RecursiveDirectoryIterator", "finddepth"})
# A test in the code that selects some of the files it meets (by name, extension, age or
# size), read in code whose string literals are blanked out.
_FILTERS = (
    r"=~|!~|(?:^|[(,=!~&|;{?:]|\b(?:if|unless|and|or|not|return|grep))\s*/(?:\\.|[^/\n])+/|\bm\{"
    r"|\bendswith\b|\bstartswith\b|\bends?_with\b|\bstarts?_with\b|\bendsWith\b|\bstartsWith\b"
    r"|\.suffix\b|\bfnmatch|\.match\b|\.test\(|\.search\("
    r"|\bincludes\(|\bextname\b|\bpathinfo\b|\bpreg_match|\bstr_ends_with|\bstr_contains|\bmtime|\bst_|"
    r"\bgetsize|\bfilemtime|-[MACs]\s|\bctime|\bgrep\b|\bfilter\b|\bselect\b|\breject\b"
)


def listed_deletes(
    judge: Scope, call: Call, reader: CodeReader, code: str, deletes: Deletes
) -> list[Verdict | None]:
    """Verdicts for the places the code lists, when it also deletes something it cannot
    name (a loop variable, a callback's argument)."""
    import re

    from agentops_os.guard.coderead import Pattern

    mentions = [m.group(0) for m in re.finditer(_DELETE_WORDS, code)]
    named = sum(
        1
        for dotted, _recv, args in reader.calls
        if dotted.rsplit(".", 1)[-1] in _DELETE_NAMES
        and any(isinstance(a, str) and not isinstance(a, Pattern) for a in args)
    )
    if len(mentions) <= named:
        return []
    tree = any(m.rsplit(".", 1)[-1] in _TREE_DELETERS or m in _TREE_DELETERS for m in mentions)
    if any(m.startswith(("Deno.remove", "fs.rm", "promises.rm")) for m in mentions):
        tree = tree or bool(re.search(r"recursive\s*:\s*true", code))
    blanked = re.sub(r"""'(?:\\.|[^'\\])*'|"(?:\\.|[^"\\])*"|`(?:\\.|[^`\\])*`""", "''", code)
    narrowed = bool(re.search(_FILTERS, blanked))
    patterns, walked = _listings(reader, code)
    verdicts: list[Verdict | None] = []
    for pattern in patterns:
        head, sep, rest = pattern.partition("/**")
        if sep:  # `src/**/*.py`: every file below src, or those of that name
            name = rest.lstrip("/") or "*"
            walked.append((head or ".", name if name.strip("*") and "/" not in name else ""))
        elif narrowed and "/" in pattern and not any(c in pattern.rsplit("/", 1)[0] for c in "*?["):
            base, name = pattern.rsplit("/", 1)
            verdicts.append(_find(judge, call, base or "/", name, "-maxdepth 1 ", "lists"))
        else:
            verdicts.append(deletes(judge, call, [Pattern(pattern)], tree))
    for base, name in walked:
        if narrowed or name:
            verdicts.append(_find(judge, call, base, name or "*", "", "walks"))
        else:
            verdicts.append(deletes(judge, call, [base], True))
    return verdicts


def _listings(reader: CodeReader, code: str) -> tuple[list[str], list[tuple[str, str]]]:
    """The globs the code lists (`src/*`), and the trees it walks (directory, name test)."""
    from agentops_os.guard.coderead import Pattern, text_of

    patterns: list[str] = []
    walked: list[tuple[str, str]] = []
    lang = reader.lang
    for dotted, recv, args in reader.calls:
        name = dotted.rsplit(".", 1)[-1]
        texts = [t for t in (text_of(a) for a in args) if t is not None]
        patterns += [v for v in (recv, *args) if isinstance(v, Pattern)]
        if dotted in ("find", "finddepth", "File.Find.find", "File.Find.finddepth") and lang == "perl":
            walked += [(t, "") for t in texts]
        elif dotted == "Find.find" or (name in _WALKS and (lang != "python" or "os." in dotted or recv)):
            walked += [(t, "") for t in ([text_of(recv)] if isinstance(recv, str) else texts[:1]) if t]
        elif name in _LISTS:
            base = text_of(recv) if isinstance(recv, str) else (texts[-1] if texts else None)
            if base is None or (name in ("children", "entries", "each_child") and dotted[:3] != "Dir"):
                continue
            if name.startswith("readdir") and "recursive" in code:
                walked.append((base, ""))
            else:
                patterns.append(base.rstrip("/") + "/*")
    patterns += reader.patterns  # glob.glob(p) as a `for` loop's list, Dir["src/*"].each
    return list(dict.fromkeys(patterns)), list(dict.fromkeys(walked))


def _find(judge: Scope, call: Call, base: str, name: str, depth: str, how: str) -> Verdict | None:
    """Judge the files below `base` the code deletes as `find` would be judged for them."""
    from shlex import quote

    if base.startswith("~"):
        base = judge.home + base[1:]
    line = f"find {quote(base)} {depth}-name {quote(name)} -regex '.+' -delete"
    verdict = judge.inner(line)
    if verdict.decision == "allow":
        return None
    reason = f"{call.name} code deletes files it {how} below {base}: {verdict.reason}"
    return Verdict(verdict.decision, reason, verdict.rule)
