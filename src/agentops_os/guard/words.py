"""Bash word expansions the guard applies before matching: brace expansion (tilde,
parameter and quote handling live in `shell` and `scope`). Pure functions of text."""

from __future__ import annotations

MAX_BRACE_WORDS = 256


def expand_braces(text: str) -> list[str]:
    """Bash brace expansion of one word: `a{b,c}d` -> abd acd, `{1..3}` -> 1 2 3, nested
    and repeated groups too. A `{` without a top-level `,` or `..` stays literal (`{}`,
    `${x}`). At most MAX_BRACE_WORDS results: past that the rest is cut (the guard judges
    what it has, which is already a list of many paths)."""
    start = -1
    depth = 0
    skip_to = -1
    for i, c in enumerate(text):
        if i < skip_to:
            continue
        if c == "{" and i and text[i - 1] == "$":  # `${name}` is a parameter, not a brace group
            close = text.find("}", i)
            skip_to = close + 1 if close > 0 else len(text)
            continue
        if c == "{":
            if depth == 0:
                start = i
            depth += 1
        elif c == "}" and depth:
            depth -= 1
            if depth == 0:
                body = text[start + 1 : i]
                options = _brace_options(body)
                if options is not None:
                    out: list[str] = []
                    for option in options:
                        for tail in expand_braces(text[i + 1 :]):
                            out.extend(
                                expand_braces(text[:start] + option + tail)
                                if "{" in option
                                else [text[:start] + option + tail]
                            )
                            if len(out) >= MAX_BRACE_WORDS:
                                return out[:MAX_BRACE_WORDS]
                    return out
                start = -1
    return [text]


def _brace_options(body: str) -> list[str] | None:
    parts: list[str] = []
    depth = 0
    last = 0
    for i, c in enumerate(body):
        if c == "{":
            depth += 1
        elif c == "}":
            depth -= 1
        elif c == "," and depth == 0:
            parts.append(body[last:i])
            last = i + 1
    if parts:
        parts.append(body[last:])
        return parts
    ends = body.split("..")
    if len(ends) in (2, 3) and all(e.lstrip("-").isdigit() for e in ends[:2]):
        a, b = int(ends[0]), int(ends[1])
        step = abs(int(ends[2])) if len(ends) == 3 and ends[2].lstrip("-").isdigit() and int(ends[2]) else 1
        rng = range(a, b + 1, step) if a <= b else range(a, b - 1, -step)
        return [str(n) for n in list(rng)[:MAX_BRACE_WORDS]]
    if len(ends) == 2 and len(ends[0]) == 1 and len(ends[1]) == 1:
        a, b = ord(ends[0]), ord(ends[1])
        return [chr(n) for n in (range(a, b + 1) if a <= b else range(a, b - 1, -1))]
    return None
