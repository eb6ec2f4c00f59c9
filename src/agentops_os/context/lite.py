"""Just enough frontmatter reading for the hook path (no YAML import).

Reads top-level `key: scalar` lines of a `---` block, which is all the index needs
(title, branch, created...). The index is derived data: a value this reader gets wrong
costs ranking quality, never correctness of the stored documents.
"""

from __future__ import annotations

import re

_KEY = re.compile(r"^([A-Za-z_][A-Za-z0-9_\-]*):\s*(.*)$")


def split(text: str) -> tuple[dict[str, str], str]:
    if text.startswith("\ufeff"):
        text = text[1:]
    if not text.startswith("---"):
        return {}, text
    end = text.find("\n---", 3)
    if end < 0:
        return {}, text
    head = text[3:end]
    after = text.find("\n", end + 4)
    body = text[after + 1:] if after >= 0 else ""
    meta: dict[str, str] = {}
    for line in head.splitlines():
        match = _KEY.match(line)
        if not match:
            continue
        value = match.group(2).strip()
        if value in ("|", ">", "|-", ">-", "|+", ">+"):
            continue  # a block scalar: its text is on the next lines (not needed here)
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
            value = value[1:-1]
        meta[match.group(1)] = value
    return meta, body


def title_of(meta: dict[str, str], body: str, fallback: str) -> str:
    for key in ("title", "name", "summary", "goal"):
        if meta.get(key):
            return meta[key][:200]
    for line in body.splitlines():
        if line.startswith("# "):
            return line[2:].strip()[:200]
    return fallback
