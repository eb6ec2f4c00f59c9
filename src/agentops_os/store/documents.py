"""Markdown documents with YAML frontmatter: learnings, handoffs, bundles, agents.

The split between frontmatter and body is `store.frontmatter.split`, the one boundary
rule every reader uses: any body and any JSON-like meta round-trip through
`dumps`/`loads` (a hypothesis test holds us to it).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from agentops_os.errors import FatalError, located
from agentops_os.store import frontmatter


def _yaml() -> Any:
    """PyYAML, imported on first use: it costs ~15 ms, and `ao prime` often reads no
    frontmatter at all."""
    import yaml

    return yaml


def _loader() -> Any:
    # libyaml's parser when PyYAML was built with it: about 10x faster than the pure-Python
    # one, which made reading a few agent files cost ~100 ms (ao route, ao prime). Same safe
    # constructors; the property tests in tests/store run against whichever is in use.
    yaml = _yaml()
    return getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class DocumentError(FatalError):
    """A document whose frontmatter cannot be read; names the file and line."""


@dataclass
class Document:
    meta: dict[str, Any]
    body: str
    path: Path | None = field(default=None, compare=False)

    def get(self, key: str, default: Any = None) -> Any:
        return self.meta.get(key, default)


_YAML_LINE_BREAKS = ("\x85", "\u2028", "\u2029")


def dumps(meta: dict[str, Any], body: str) -> str:
    yaml = _yaml()
    head = yaml.safe_dump(
        meta, sort_keys=False, allow_unicode=True, default_flow_style=False, width=1000
    )
    if any(ch in head for ch in _YAML_LINE_BREAKS):
        # PyYAML writes NEL/LS/PS raw with allow_unicode but reads them back as line
        # breaks (a value "\x85" came back as " "); escape everything in that case.
        head = yaml.safe_dump(meta, sort_keys=False, allow_unicode=False,
                              default_flow_style=False, width=1000)
    # A blank line after the closing '---' (the usual style); `loads` drops exactly that
    # one newline, so any body, even one starting with "\n" or "\r", round-trips.
    return f"---\n{head}---\n\n{body}"


def loads(text: str, path: Path | str = "<string>") -> Document:
    if text.startswith("\ufeff"):
        text = text[1:]
    if not text.startswith("---"):
        return Document({}, text, Path(path) if path != "<string>" else None)
    split = frontmatter.split(text)
    if split is None:
        raise DocumentError(located(path, 1, "frontmatter opened with '---' but never closed"))
    head, body = split
    yaml = _yaml()
    try:
        meta = yaml.load(head, Loader=_loader()) or {}  # noqa: S506 - a safe loader
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
