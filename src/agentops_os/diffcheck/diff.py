"""Read a git diff into per-file added/removed lines with their line numbers, plus the
old and new file contents (fetched lazily, only for checks that need them)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from agentops_os import git

_HUNK = re.compile(r"^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@")


@dataclass
class FileDiff:
    path: str
    old_path: str
    status: str  # A, M, D, R
    added: list[tuple[int, str]] = field(default_factory=list)  # (new line number, text)
    removed: list[tuple[int, str]] = field(default_factory=list)  # (old line number, text)
    binary: bool = False


@dataclass
class DiffSource:
    """Where the old and new sides of the diff live."""

    root: Path
    old_rev: str | None  # None: no old side (empty repository)
    new_rev: str | None  # None: working tree; ":" the index; else a commit
    _cache: dict[tuple[str, str], str | None] = field(default_factory=dict)

    def old(self, path: str) -> str | None:
        return self._show(self.old_rev, path) if self.old_rev else None

    def new(self, path: str) -> str | None:
        if self.new_rev is None:
            try:
                return (self.root / path).read_text(encoding="utf-8", errors="replace")
            except OSError:
                return None
        return self._show(self.new_rev, path)

    def _show(self, rev: str, path: str) -> str | None:
        key = (rev, path)
        if key not in self._cache:
            spec = f":{path}" if rev == ":" else f"{rev}:{path}"
            try:
                self._cache[key] = git.run(["show", spec], self.root)
            except git.GitError:
                self._cache[key] = None
        return self._cache[key]


def load_diff(root: Path, rev: str | None = None, staged: bool = False) -> tuple[list[FileDiff], DiffSource]:
    head = git.head_sha(root)
    args = ["diff", "--no-color", "--no-ext-diff", "-U0", "-M"]
    untracked = False
    if rev and ".." in rev:
        left, _, right = rev.partition("...") if "..." in rev else rev.partition("..")
        if "..." in rev:
            left = git.run(["merge-base", left or "HEAD", right or "HEAD"], root).strip()
        source = DiffSource(root, left or "HEAD", right or "HEAD")
        args += [source.old_rev or "HEAD", source.new_rev or "HEAD"]
    elif staged:
        source = DiffSource(root, "HEAD" if head else None, ":")
        args += ["--cached"] + (["HEAD"] if head else [git.run(["hash-object", "-t", "tree", "/dev/null"],
                                                               root).strip()])
    else:
        base = rev or ("HEAD" if head else None)
        source = DiffSource(root, base, None)
        untracked = True
        if base:
            args.append(base)
        else:
            args += [git.run(["hash-object", "-t", "tree", "/dev/null"], root).strip()]
    files = parse_unified(git.run([*args, "--"], root))
    if untracked:
        seen = {f.path for f in files}
        for path in git.run(["ls-files", "-z", "-o", "--exclude-standard"], root).split("\0"):
            if path and path not in seen:
                text = source.new(path)
                diff = FileDiff(path, path, "A", binary=text is None or "\0" in (text or ""))
                if text is not None and not diff.binary:
                    diff.added = list(enumerate(text.splitlines(), start=1))
                files.append(diff)
    return files, source


def parse_unified(text: str) -> list[FileDiff]:
    files: list[FileDiff] = []
    current: FileDiff | None = None
    old_line = new_line = 0
    for line in text.splitlines():
        if line.startswith("diff --git "):
            match = re.match(r'^diff --git "?a/(.+?)"? "?b/(.+?)"?$', line)
            old, new = (match.group(1), match.group(2)) if match else ("?", "?")
            current = FileDiff(new, old, "M")
            files.append(current)
            continue
        if current is None:
            continue
        if line.startswith("new file mode"):
            current.status = "A"
        elif line.startswith("deleted file mode"):
            current.status = "D"
        elif line.startswith("rename from "):
            current.status = "R"
            current.old_path = line[len("rename from "):]
        elif line.startswith("rename to "):
            current.path = line[len("rename to "):]
        elif line.startswith("Binary files"):
            current.binary = True
        elif line.startswith("@@"):
            match = _HUNK.match(line)
            if match:
                old_line, new_line = int(match.group(1)), int(match.group(3))
        elif line.startswith("+") and not line.startswith("+++"):
            current.added.append((new_line, line[1:]))
            new_line += 1
        elif line.startswith("-") and not line.startswith("---"):
            current.removed.append((old_line, line[1:]))
            old_line += 1
    return files
