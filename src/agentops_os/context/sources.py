"""Turn `PATHS|-` arguments into texts to count: files, directories (honouring
.gitignore files), globs and stdin. Binary files are skipped and listed; a path that
does not exist or cannot be read is a usage error naming it (exit 2).
"""

from __future__ import annotations

import glob
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from agentops_os.context.tokens import looks_binary
from agentops_os.errors import FatalError

_GLOB_CHARS = set("*?[")
_ALWAYS_SKIPPED_DIRS = {".git", ".hg", ".svn", "__pycache__", ".index"}


@dataclass
class Source:
    name: str  # as shown to the user (relative when possible)
    text: str


@dataclass
class Collected:
    sources: list[Source] = field(default_factory=list)
    binary: list[str] = field(default_factory=list)


def collect(paths: list[str], *, stdin_text: str | None = None, cwd: Path | None = None) -> Collected:
    base = Path(cwd or os.getcwd())
    out = Collected()
    seen: set[str] = set()
    for arg in paths:
        if arg == "-":
            text = stdin_text if stdin_text is not None else sys.stdin.read()
            out.sources.append(Source("<stdin>", text))
            continue
        if any(c in _GLOB_CHARS for c in arg) and not (base / arg).exists():
            pattern = arg if os.path.isabs(arg) else str(base / arg)
            matches = sorted(glob.glob(pattern, recursive=True))
            if not matches:
                raise FatalError(f"{arg}: no file matches this pattern")
            for match in matches:
                _add_path(Path(match), base, out, seen)
            continue
        path = Path(arg) if os.path.isabs(arg) else base / arg
        if not path.exists():
            raise FatalError(f"{arg}: no such file or directory")
        _add_path(path, base, out, seen)
    return out


def _add_path(path: Path, base: Path, out: Collected, seen: set[str]) -> None:
    if path.is_dir():
        for file in walk(path):
            _add_file(file, base, out, seen)
    else:
        _add_file(path, base, out, seen)


def _display(path: Path, base: Path) -> str:
    try:
        return str(path.relative_to(base))
    except ValueError:
        return str(path)


def _add_file(path: Path, base: Path, out: Collected, seen: set[str]) -> None:
    key = str(path.resolve())
    if key in seen:
        return
    seen.add(key)
    name = _display(path, base)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise FatalError(f"{name}: cannot be read ({exc.strerror or exc})") from None
    if looks_binary(data):
        out.binary.append(name)
        return
    out.sources.append(Source(name, data.decode("utf-8", errors="replace")))


def walk(top: Path) -> list[Path]:
    """Files under `top`, sorted, minus what `.gitignore` files (here or above, up to
    the repository root) exclude. Unreadable directories are an error, not a skip."""
    import pathspec

    top = top.resolve()  # every path below is then comparable with resolved spec dirs
    specs: list[tuple[Path, Any]] = []
    for parent in reversed(_ancestors_within_repo(top)):
        _push_spec(parent, specs, pathspec)
    files: list[Path] = []

    def visit(directory: Path, inherited: list[tuple[Path, Any]]) -> None:
        local = list(inherited)
        _push_spec(directory, local, pathspec)
        try:
            entries = sorted(os.scandir(directory), key=lambda e: e.name)
        except OSError as exc:
            raise FatalError(f"{directory}: cannot be read ({exc.strerror or exc})") from None
        for entry in entries:
            path = Path(entry.path)
            is_dir = entry.is_dir(follow_symlinks=False)
            if is_dir and entry.name in _ALWAYS_SKIPPED_DIRS:
                continue
            if _ignored(path, is_dir, local):
                continue
            if is_dir:
                visit(path, local)
            elif entry.is_file():
                files.append(path)

    visit(top, specs[:-1] if specs and specs[-1][0] == top else specs)
    return files


def _ancestors_within_repo(top: Path) -> list[Path]:
    chain = []
    here = top.resolve()
    for candidate in (here, *here.parents):
        chain.append(candidate)
        if (candidate / ".git").exists():
            return chain
    return [here]


def _push_spec(directory: Path, specs: list[tuple[Path, Any]], pathspec: Any) -> None:
    ignore = directory / ".gitignore"
    if ignore.is_file():
        lines = ignore.read_text(encoding="utf-8", errors="replace").splitlines()
        specs.append((directory.resolve(), pathspec.GitIgnoreSpec.from_lines(lines)))


def _ignored(path: Path, is_dir: bool, specs: list[tuple[Path, Any]]) -> bool:
    resolved = path.absolute()
    verdict = False
    for directory, spec in specs:
        try:
            rel = resolved.relative_to(directory).as_posix()
        except ValueError:
            continue
        result = spec.check_file(rel + "/" if is_dir else rel)
        if result.include is not None:
            verdict = bool(result.include)
    return verdict
