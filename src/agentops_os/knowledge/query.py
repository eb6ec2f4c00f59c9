"""Turn any user text into a safe FTS5 query: every token is a quoted word.

FTS5 syntax characters (quotes, AND/OR/NOT/NEAR, `*`, `-`, `:`, `^`, parentheses) are
never passed through, so no input can raise an FTS syntax error. Tokens are split with
the same rule as the `unicode61` tokenizer (letters, numbers, private-use characters),
so a quoted token is always exactly one index token (never an accidental phrase).
"""

from __future__ import annotations

import unicodedata

from agentops_os.knowledge.similarity import STOPWORDS


def _is_token_char(ch: str) -> bool:
    cat = unicodedata.category(ch)
    return cat[0] in "LN" or cat == "Co"


def tokens(text: str) -> list[str]:
    out: list[str] = []
    current: list[str] = []
    for ch in text:
        if _is_token_char(ch):
            current.append(ch)
        elif current:
            out.append("".join(current))
            current = []
    if current:
        out.append("".join(current))
    return out


def terms(text: str) -> list[str]:
    """Distinct lower-case query words, stopwords dropped unless nothing else is left."""
    seen: list[str] = []
    for token in tokens(text):
        word = token.lower()
        if word not in seen:
            seen.append(word)
    content = [w for w in seen if w not in STOPWORDS]
    return content or seen


def _quote(word: str) -> str:
    return '"' + word.replace('"', '""') + '"'


def match_all(words: list[str]) -> str:
    return " AND ".join(_quote(w) for w in words)


def match_any(words: list[str]) -> str:
    return " OR ".join(_quote(w) for w in words)
