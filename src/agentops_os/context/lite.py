"""Just enough frontmatter reading for the hook path (no YAML import): the one
boundary rule and the top-level scalars of `store.frontmatter`.

The index is derived data: a value this reader skips (a list, a block scalar) costs
ranking quality, never correctness of the stored documents.
"""

from __future__ import annotations

from agentops_os.store.frontmatter import scalars
from agentops_os.store.frontmatter import split as split_head


def split(text: str) -> tuple[dict[str, str], str]:
    """(top-level scalars, body); ({}, text) without a closed frontmatter block."""
    found = split_head(text)
    if found is None:
        return {}, text[1:] if text.startswith("\ufeff") else text
    head, body = found
    return scalars(head), body[1:] if body.startswith("\n") else body


def title_of(meta: dict[str, str], body: str, fallback: str) -> str:
    for key in ("title", "name", "summary", "goal"):
        if meta.get(key):
            return meta[key][:200]
    for line in body.splitlines():
        if line.startswith("# "):
            return line[2:].strip()[:200]
    return fallback
