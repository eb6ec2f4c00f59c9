"""The one frontmatter reader: where a document's `---` block ends, and its top-level
scalars for the hook path.

Every reader of `.agents/` documents splits them here, so the store, the knowledge index
and the hook path agree on where the frontmatter ends and the body begins.
`split` is the boundary rule (done by hand: python-frontmatter's boundary regex
swallowed blank lines and carriage returns at the start of the body, so bodies did not
round-trip). The YAML of the head is read by `store.documents` (PyYAML); the hook path,
which cannot afford that import, reads only top-level `key: scalar` lines with
`scalars`, which agrees with YAML on every scalar `documents.dumps` writes (a property
test holds it to that). Standard library only.
"""

from __future__ import annotations

_BLOCK_SCALARS = ("|", ">", "|-", ">-", "|+", ">+")


def split(text: str) -> tuple[str, str] | None:
    """(head, body) of a document that opens with a line of dashes; the head ends at the
    next line that is only dashes (3 or more). None without frontmatter or when it is
    never closed. A leading BOM is ignored."""
    if text.startswith("\ufeff"):
        text = text[1:]
    lines = text.split("\n")
    if len(lines[0].rstrip()) < 3 or set(lines[0].rstrip()) != {"-"}:
        return None
    for number in range(1, len(lines)):
        line = lines[number].rstrip()
        if len(line) >= 3 and set(line) == {"-"}:
            return "\n".join(lines[1:number]) + "\n", "\n".join(lines[number + 1:])
    return None


def scalars(head: str) -> dict[str, str]:
    """Top-level `key: value` pairs of a YAML head whose value is a plain or quoted
    scalar on the same line (lists, mappings and block scalars are skipped)."""
    meta: dict[str, str] = {}
    lines = head.splitlines()
    for number, line in enumerate(lines):
        if not line or line[0] in " \t#-":
            continue
        if number + 1 < len(lines) and lines[number + 1][:1] in (" ", "\t"):
            continue  # the value goes on over indented lines (folded, or a nested block)
        key, sep, rest = line.partition(":")
        if not sep or not key or not (key[0].isalpha() or key[0] == "_") or " " in key:
            continue
        value = rest.strip(" \t")  # YAML trims only spaces and tabs (a no-break space stays)
        if not value or value in _BLOCK_SCALARS or value[0] in "[{&*!":
            continue
        if value[0] in "'\"" and (len(value) < 2 or value[-1] != value[0]):
            continue  # a quoted scalar that goes on over the next lines
        if value[0] == "'":
            value = value[1:-1].replace("''", "'")
        elif value[0] == '"':
            if "\\" in value:
                continue  # escapes: YAML's reading is not ours to guess
            value = value[1:-1]
        elif " #" in value:
            value = value.split(" #", 1)[0].rstrip()
        meta[key] = value
    return meta
