"""`fnmatch.fnmatchcase` without `re`: the guard runs on every tool call and importing
`re` (via fnmatch) costs more than judging the call. Same semantics as fnmatch: `*`
matches any run of characters including `/`, `?` one character, `[abc]`, `[a-z]` and
`[!abc]` character sets."""

from __future__ import annotations


def _set_end(pattern: str, i: int) -> int:
    """Index just past the `]` closing the set that starts at pattern[i] == '[' (or -1)."""
    j = i + 1
    if j < len(pattern) and pattern[j] == "!":
        j += 1
    if j < len(pattern) and pattern[j] == "]":
        j += 1
    while j < len(pattern) and pattern[j] != "]":
        j += 1
    return j + 1 if j < len(pattern) else -1


def _in_set(char: str, body: str) -> bool:
    negate = body.startswith("!")
    if negate:
        body = body[1:]
    found = False
    k = 0
    while k < len(body):
        if k + 2 < len(body) and body[k + 1] == "-":
            if body[k] <= char <= body[k + 2]:
                found = True
            k += 3
        else:
            if body[k] == char:
                found = True
            k += 1
    return found != negate


def glob_match(name: str, pattern: str) -> bool:
    n = p = 0
    star_p, star_n = -1, 0
    while n < len(name):
        if p < len(pattern):
            c = pattern[p]
            if c == "*":
                star_p, star_n = p, n
                p += 1
                continue
            if c == "?":
                n += 1
                p += 1
                continue
            if c == "[":
                end = _set_end(pattern, p)
                if end > 0:
                    if _in_set(name[n], pattern[p + 1 : end - 1]):
                        n += 1
                        p = end
                        continue
                elif name[n] == "[":
                    n += 1
                    p += 1
                    continue
            elif c == name[n]:
                n += 1
                p += 1
                continue
        if star_p >= 0:
            star_n += 1
            n = star_n
            p = star_p + 1
            continue
        return False
    while p < len(pattern) and pattern[p] == "*":
        p += 1
    return p == len(pattern)
