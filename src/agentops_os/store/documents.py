"""Markdown documents with YAML frontmatter: learnings, handoffs, bundles, agents.

Parsing uses python-frontmatter's YAML handler for the split and the YAML, but keeps the
body byte-for-byte (the library's `loads` strips it, which breaks round-trips).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import frontmatter
import yaml

from agentops_os.errors import FatalError, located

_HANDLER = frontmatter.YAMLHandler()


class DocumentError(FatalError):
    """A document whose frontmatter cannot be read; names the file and line."""


@dataclass
class Document:
    meta: dict[str, Any]
    body: str
    path: Path | None = field(default=None, compare=False)

    def get(self, key: str, default: Any = None) -> Any:
        return self.meta.get(key, default)


def dumps(meta: dict[str, Any], body: str) -> str:
    head = yaml.safe_dump(
        meta, sort_keys=False, allow_unicode=True, default_flow_style=False, width=1000
    )
    return f"---\n{head}---\n{body}"


def loads(text: str, path: Path | str = "<string>") -> Document:
    if text.startswith("\ufeff"):
        text = text[1:]
    if not text.startswith("---"):
        return Document({}, text, Path(path) if path != "<string>" else None)
    try:
        head, body = _HANDLER.split(text)
    except ValueError:
        raise DocumentError(located(path, 1, "frontmatter opened with '---' but never closed")) from None
    try:
        meta = yaml.safe_load(head) or {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 2 if mark is not None else 1  # +1 for 0-based, +1 for the '---' line
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise DocumentError(located(path, line, f"invalid YAML frontmatter: {problem}")) from None
    if not isinstance(meta, dict):
        raise DocumentError(located(path, 2, "frontmatter must be a mapping of keys to values"))
    if body.startswith("\n"):
        body = body[1:]
    return Document(meta, body, Path(path) if path != "<string>" else None)


def read(path: Path) -> Document:
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise DocumentError(located(path, None, "not UTF-8 text")) from None
    return loads(text, path)
