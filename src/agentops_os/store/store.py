"""`Store`: every read and write of `.agents/` goes through this one small interface.

Rules it enforces so that features cannot forget them:
- every write is redacted (one shared step) and carries `schema_version`;
- documents and records are written atomically, one file per record (merge-friendly);
- logs are append-only JSON Lines, one file per writer, safe with many writer processes.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import orjson

from agentops_os.errors import FatalError, located
from agentops_os.repo import AGENTS_DIR, INDEX_DIR, LAYOUT
from agentops_os.store.atomic import append_line, write_atomic
from agentops_os.store.redact import Redactor

if TYPE_CHECKING:
    from agentops_os.store import documents

SCHEMA_VERSION = 1

_SAFE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._@+\-]{0,200}$")
_MARKS = re.compile(r"\[REDACTED:[^\]]*\]")


def _check_name(name: str) -> str:
    # Record names become file names: no separators, no dot-files, no traversal.
    if not _SAFE_NAME.match(name) or ".." in name:
        raise FatalError(f"invalid record name {name!r}: use letters, digits, '.', '_', '-'")
    return name


class Store:
    def __init__(self, root: Path, redactor: Redactor | None = None) -> None:
        from agentops_os.worktree_link import main_checkout_of

        # Inside one of ao's own worktrees (`ao rpi`/`ao swarm`), `ao` commands an agent runs
        # keep the repository's store: the worktree's `.agents/` is a checkout the task's
        # branch would commit.
        main = main_checkout_of(str(root))
        self.root = Path(main) if main else Path(root)
        self.dir = self.root / AGENTS_DIR
        self.index_dir = self.dir / INDEX_DIR
        self.redactor = redactor or Redactor()

    @classmethod
    def open(cls, root: Path) -> Store:
        """A store using this repo's configured extra redaction patterns."""
        from agentops_os.store.redact import redactor_for

        return cls(root, redactor_for(root))

    # -- layout -------------------------------------------------------------------
    def kind_dir(self, kind: str) -> Path:
        head = kind.split("/", 1)[0]
        if head not in LAYOUT and head != INDEX_DIR:
            raise FatalError(f"unknown store kind {kind!r}; expected one of {', '.join(LAYOUT)}")
        return self.dir / kind

    def path(self, kind: str, name: str) -> Path:
        return self.kind_dir(kind) / _check_name(self.clean_name(name))

    def clean_name(self, name: str) -> str:
        """`name` with any secret in it replaced: record names become file names, which git
        tracks and prints as readily as contents (a handoff named after a branch or session
        holding a token). The same name always maps to the same file, so reads agree."""
        clean = self.redactor.text(name)
        if clean == name:
            return name
        return _MARKS.sub("redacted", clean).replace(":", "-").replace("/", "-")

    # -- top-level files ------------------------------------------------------------
    def write_file(self, relative: str, text: str) -> Path:
        """Write a file directly under `.agents/` (CONSTITUTION.md, scaffold.json, .gitkeep).

        Same guarantees as every other write (redacted, atomic); kept to paths inside the
        tracked tree so nothing lands in the derived `.index/` or outside `.agents/`.
        """
        parts = tuple(self.clean_name(p) for p in Path(relative).parts)
        if (not parts or Path(relative).is_absolute() or ".." in parts or parts[0] == INDEX_DIR
                or not all(_SAFE_NAME.match(p) or p == ".gitkeep" for p in parts)):
            raise FatalError(f"invalid .agents/ path {relative!r}")
        path = self.dir.joinpath(*parts)
        write_atomic(path, self.redactor.text(text).encode("utf-8"))
        return path

    # -- Markdown documents ----------------------------------------------------------
    def write_document(
        self, kind: str, name: str, meta: dict[str, Any], body: str, *, overwrite: bool = True
    ) -> Path:
        if not name.endswith(".md"):
            name += ".md"
        path = self.path(kind, name)
        if not overwrite and path.exists():
            raise FatalError(f"{path}: already exists (use --force to overwrite)")
        from agentops_os.store import documents  # YAML is imported only when documents are used

        clean_meta = {"schema_version": SCHEMA_VERSION, **self.redactor.value(meta)}
        text = documents.dumps(clean_meta, self.redactor.text(body))
        write_atomic(path, text.encode("utf-8"))
        return path

    def read_document(self, path: Path) -> documents.Document:
        from agentops_os.store import documents

        return documents.read(path)

    def iter_documents(
        self, kind: str, errors: list[str] | None = None
    ) -> Iterator[documents.Document]:
        """Every document of a kind, sorted by file name.

        A broken document never stops the others: its one-line reason is appended to
        `errors` when given (so callers can count and report it), else raised.
        """
        from agentops_os.store import documents

        directory = self.kind_dir(kind)
        if not directory.is_dir():
            return
        for path in sorted(directory.glob("*.md")):
            try:
                yield documents.read(path)
            except documents.DocumentError as exc:
                if errors is None:
                    raise
                errors.append(str(exc))

    # -- JSON records -----------------------------------------------------------------
    def write_record(
        self, kind: str, name: str, data: dict[str, Any], *, overwrite: bool = True
    ) -> Path:
        if not name.endswith(".json"):
            name += ".json"
        path = self.path(kind, name)
        if not overwrite and path.exists():
            raise FatalError(f"{path}: already exists (use --force to overwrite)")
        clean = {"schema_version": SCHEMA_VERSION, **self.redactor.value(data)}
        payload = orjson.dumps(clean, option=orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS)
        write_atomic(path, payload + b"\n")
        return path

    def read_record(self, path: Path) -> dict[str, Any]:
        try:
            data = orjson.loads(path.read_bytes())
        except orjson.JSONDecodeError as exc:
            raise FatalError(located(path, _line_of(exc), f"invalid JSON: {exc.msg}")) from None
        if not isinstance(data, dict):
            raise FatalError(located(path, 1, "expected a JSON object"))
        return data

    def iter_records(
        self, kind: str, errors: list[str] | None = None
    ) -> Iterator[tuple[Path, dict[str, Any]]]:
        directory = self.kind_dir(kind)
        if not directory.is_dir():
            return
        for path in sorted(directory.glob("*.json")):
            try:
                yield path, self.read_record(path)
            except FatalError as exc:
                if errors is None:
                    raise
                errors.append(str(exc))

    # -- append-only logs ----------------------------------------------------------------
    def append(self, kind: str, name: str, record: dict[str, Any]) -> Path:
        """Append one record to `kind/name.jsonl`; many processes may do this at once."""
        if not name.endswith(".jsonl"):
            name += ".jsonl"
        path = self.path(kind, name)
        clean = {"schema_version": SCHEMA_VERSION, **self.redactor.value(record)}
        append_line(path, orjson.dumps(clean))
        return path

    def read_log(
        self, kind: str, name: str, errors: list[str] | None = None
    ) -> Iterator[dict[str, Any]]:
        if not name.endswith(".jsonl"):
            name += ".jsonl"
        path = self.path(kind, name)
        yield from read_jsonl(path, errors)


def read_jsonl(path: Path, errors: list[str] | None = None) -> Iterator[dict[str, Any]]:
    """Records of a JSON Lines file; a torn or malformed line is reported, never fatal
    when `errors` is given. A last line without newline is still being written: skipped."""
    if not path.exists():
        return
    with path.open("rb") as handle:
        for number, raw in enumerate(handle, start=1):
            if not raw.endswith(b"\n"):
                break
            if not raw.strip():
                continue
            try:
                value = orjson.loads(raw)
            except orjson.JSONDecodeError as exc:
                message = located(path, number, f"invalid JSON: {exc.msg}")
                if errors is None:
                    raise FatalError(message) from None
                errors.append(message)
                continue
            if isinstance(value, dict):
                yield value
            elif errors is not None:
                errors.append(located(path, number, "expected a JSON object"))


def _line_of(exc: orjson.JSONDecodeError) -> int:
    return int(getattr(exc, "lineno", 1) or 1)
