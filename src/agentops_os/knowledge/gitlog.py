"""The commit message stream of `git log` (and the changed paths of each commit), read
into index rows: the format, the parser (one split per chunk, a slice per column, the
old per-record reading as the fallback) and the batches a diff worker answers.
Used by `githistory` (the indexing run) and `gitdiff` (the diff workers)."""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import islice, repeat
from operator import itemgetter
from typing import TYPE_CHECKING, NamedTuple

from agentops_os import git

if TYPE_CHECKING:
    import threading


_FORMAT = "--format=%x1e%H%x1f%ct%x1f%an <%ae>%x1f%B%x1f"
# For the diff workers the message stream also carries each commit's tree and parents (in
# the sha field), so a worker diffs two trees without reading the commit again.
_TREE_FORMAT = "--format=%x1e%H %T %P%x1f%ct%x1f%an <%ae>%x1f%B%x1f"
EMPTY_TREE = {40: "4b825dc642cb6eb9a060e54bf8d69288fbee4904",
              64: "6ef19b41225c5369f1c104d45d8d85efa9b057b53b14b4b9b939dd74decc5321"}
_READ = 1 << 20



@dataclass
class HistoryReport:
    new_commits: int = 0
    total_commits: int = 0
    shallow: bool = False
    skipped: int = 0
    workers: int = 1
    notes: list[str] = field(default_factory=list)


def log_args(paths: bool, trees: bool = False) -> list[str]:
    # -z: paths verbatim, NUL-terminated (not C-quoted), as the diff workers print them.
    args = ["-c", "core.quotePath=false", "log", "--all", "-z", _TREE_FORMAT if trees else _FORMAT,
            "--stdin"]
    if paths:
        # Renames detection costs a similarity check per commit and adds nothing to search.
        args += ["--name-only", "--no-renames"]
    return args


Row = tuple[str, str, str, str, str, int]


class _Columns(NamedTuple):
    """Consecutive commits, a list per field: (title, body, paths, author, sha, ts)."""

    titles: list[str]
    bodies: list[str]
    paths: list[str]
    authors: list[str]
    shas: list[str]
    times: list[int]

    def rows(self) -> Iterator[Row]:
        return zip(*self, strict=True)

    def extend(self, more: _Columns) -> None:
        self.titles.extend(more.titles)
        self.bodies.extend(more.bodies)
        self.paths.extend(more.paths)
        self.authors.extend(more.authors)
        self.shas.extend(more.shas)
        self.times.extend(more.times)

    def cut(self, size: int) -> _Columns:
        """The first `size` commits, taken out."""
        head = _Columns(self.titles[:size], self.bodies[:size], self.paths[:size], self.authors[:size],
                        self.shas[:size], self.times[:size])
        for column in self:
            del column[:size]
        return head


def parse_stream(chunks: Iterable[bytes], report: HistoryReport) -> Iterator[Row]:
    """(title, body, paths, author, sha, ts) per commit from the `log_args` output."""
    for columns in _column_stream(chunks, report, paths=True):
        yield from columns.rows()


def _column_stream(chunks: Iterable[bytes], report: HistoryReport, *, paths: bool) -> Iterator[_Columns]:
    """The commits of each chunk's complete records. They are decoded in one call per
    chunk (not four per commit): on a million commits the per-field decodes cost more than
    the split itself. `paths`: the stream may list changed paths (`--name-only`)."""
    for records in _record_chunks(chunks):
        yield _columns(records.decode("utf-8", "replace"), report, paths)


def _record_chunks(chunks: Iterable[bytes]) -> Iterator[bytes]:
    """The stream again, cut before a record separator: complete records only."""
    tail = b""
    for chunk in chunks:
        data = tail + chunk
        cut = data.rfind(b"\x1e")
        if cut <= 0:
            tail = data
            continue
        tail = data[cut:]
        yield data[:cut]
    if tail:
        yield tail


def _columns(text: str, report: HistoryReport, paths: bool) -> _Columns:
    """Without changed paths, every record is "\\x1e" + four fields ending in "\\x1f" + NUL:
    one split of the whole text gives every field, and each column is one slice of it, no
    Python loop per commit. It holds if each fourth field starts a record and no other
    field holds a record separator; else (a message holding a separator, or a bad date)
    the records are read one by one, which skips and counts the odd ones."""
    if not paths:
        fields = text.split("\x1f")
        count = len(fields) // 4
        heads = fields[0:-1:4]
        if heads:
            heads[0] = "\0" + heads[0]
        if (len(fields) == 4 * count + 1 and fields[-1] in ("\0", "") and text.count("\x1e") == count
                and all(map(str.startswith, heads, repeat("\0\x1e")))):
            with contextlib.suppress(ValueError):
                times = list(map(int, fields[1::4]))
                parts = list(map(str.partition, fields[3::4], repeat("\n")))
                return _Columns(list(map(str.strip, map(itemgetter(0), parts))),
                                list(map(str.strip, map(itemgetter(2), parts))),
                                [""] * count, fields[2::4], list(map(itemgetter(slice(2, None)), heads)),
                                times)
    rows = _records(text, report)
    if not rows:
        return _Columns([], [], [], [], [], [])
    titles, bodies, listed, authors, shas, times = map(list, zip(*rows, strict=True))
    return _Columns(titles, bodies, listed, authors, shas, times)  # type: ignore[arg-type]


def _records(text: str, report: HistoryReport) -> list[Row]:
    rows: list[Row] = []
    append = rows.append
    for record in text.split("\x1e"):
        if not record or record.isspace():
            continue
        fields = record.split("\x1f")
        if len(fields) != 5:
            report.skipped += 1  # a message containing our separators: counted, reported
            continue
        sha, ts, author, message, diff = fields
        try:
            when = int(ts)
        except ValueError:
            report.skipped += 1
            continue
        title, _, body = message.partition("\n")
        append((title.strip(), body.strip(), "" if diff == "\0" or not diff else _paths(diff),
                author, sha, when))
    return rows


def _paths(diff: str) -> str:
    """Changed paths, one per line, from what -z prints after a commit's format:
    NUL, then (if anything changed) a newline and NUL-terminated paths."""
    if diff.startswith("\0"):
        diff = diff[1:]
    if diff.startswith("\n"):
        diff = diff[1:]
    return "\n".join(path for path in diff.split("\0") if path)


def _diff_lines(heads: list[str], after: str | None) -> tuple[list[str], list[str | None], bool]:
    """The sha of each commit ("<sha> <tree> <parents>" in the message stream), and what to
    ask `git diff-tree --stdin` about it, given the commit that comes after the last one:
    the parent's and the commit's tree when the parent comes next in the stream (the common
    case), else the commit itself; None for merges (`git log` shows them no paths either)
    and for commits that change nothing. Fixed-width slices, not a split per commit.
    Also whether every commit's parent comes next (then no line is a commit)."""
    if not heads:
        return [], [], True
    width = heads[0].find(" ")
    if width < 0:
        raise git.GitError(f"git log printed no tree for commit {heads[0]}")
    shas = list(map(itemgetter(slice(0, width)), heads))
    trees = list(map(itemgetter(slice(width + 1, 2 * width + 1)), heads))
    parents = list(map(itemgetter(slice(2 * width + 2, None)), heads))
    following = shas[1:]
    following_trees = trees[1:]
    if after is None:  # nothing follows: no parent is next (and a root's "" is not either)
        following.append("-")
        following_trees.append("-")
    else:
        following.append(after[:width])
        following_trees.append(after[width + 1:2 * width + 1])
    lines = [(None if next_tree == tree else f"{next_tree} {tree}\n") if parent == next_sha
             else _odd_line(sha, tree, parent)
             for sha, tree, parent, next_sha, next_tree
             in zip(shas, trees, parents, following, following_trees, strict=True)]
    return shas, lines, parents == following


def _odd_line(sha: str, tree: str, parents: str) -> str | None:
    if not parents:  # a root commit: against the empty tree
        empty = EMPTY_TREE.get(len(tree), EMPTY_TREE[40])
        return None if empty == tree else f"{empty} {tree}\n"
    if " " in parents:
        return None  # a merge
    return f"{sha}\n"  # its parent is not next in the stream: diff-tree reads the commit


class _Asked(NamedTuple):
    row: Row
    line: str | None


def _commits(rows: Iterable[Row]) -> Iterator[_Asked]:
    """Each row of the tree-format stream with the line a diff worker is sent for it."""
    listed = list(rows)
    yield from map(_Asked, listed, _diff_lines([row[4] for row in listed], None)[1])


class _Batch:
    """Commits to insert; a diff worker fills in `columns.paths` and sets `done`."""

    __slots__ = ("answer", "asked", "columns", "done", "error", "headers", "lines", "plain")

    def __init__(self, columns: _Columns, done: threading.Event) -> None:
        self.columns = columns
        self.asked: Sequence[int] = ()  # the commits a diff worker is asked about
        self.headers: list[str] = []  # and how its answer about each one starts
        self.plain = False  # each header is a line of two trees
        self.lines = ""  # what a diff worker is sent
        self.answer = ""  # and what it printed
        self.done = done
        self.error: BaseException | None = None


def _answers(batch: _Batch, text: str) -> None:
    """Fill in the paths from what a diff worker printed for a batch: each answer's header
    (the line it was sent) in turn, then its NUL-terminated paths, shown one per line."""
    headers = batch.headers
    if batch.plain:
        # Unless a path holds a newline, the headers end the only lines: one split, and
        # a slice per commit, checked against the headers.
        pieces = text.split("\n")
        size = len(headers[0])
        count = len(headers)
        if (len(pieces) == count + 1 and pieces[0] == headers[0][:-1]
                and list(map(itemgetter(slice(1 - size, None)), islice(pieces, 1, count)))
                == list(map(itemgetter(slice(0, -1)), islice(headers, 1, None)))):
            found = [piece[:-size].replace("\0", "\n") for piece in islice(pieces, 1, count)]
            found.append(pieces[-1][:-1].replace("\0", "\n"))
            _fill(batch, found)
            return
    # A path may hold anything but NUL: find the headers in turn; the paths are the text
    # between them with NULs as newlines, the last one dropped (what `_paths` gives).
    listed = text.replace("\0", "\n")
    find = text.find
    found = []
    at = 0
    for number, header in enumerate(headers):
        start = find(header, at)
        if start < 0:
            raise git.GitError(
                f"git diff-tree gave no answer for commit {batch.columns.shas[batch.asked[number]]}")
        if number:
            found.append(listed[at:start - 1] if start > at else "")
        at = start + len(header)
    found.append(listed[at:len(text) - 1] if len(text) > at else "")
    _fill(batch, found)


def _fill(batch: _Batch, found: list[str]) -> None:
    paths = batch.columns.paths
    if len(found) == len(paths):
        paths[:] = found
    else:
        for number, listed in zip(batch.asked, found, strict=True):
            paths[number] = listed
