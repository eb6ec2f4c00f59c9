"""Deterministic near-duplicate detection: token-set Jaccard over normalised words.

Cheap, explainable and stable across runs (no embeddings, no model downloads).
"""

from __future__ import annotations

import re

_WORD = re.compile(r"[^\W_]+", re.UNICODE)
_STOP_TEXT = (
    "a an and are as at be but by do does did for from has have how i if in into is it its "
    "of on or our so that the their then there these this to was we were what when where which "
    "who why will with you your not no can should must"
)
STOPWORDS = frozenset(_STOP_TEXT.split())


def words(text: str) -> list[str]:
    return [w.lower() for w in _WORD.findall(text)]


def token_set(text: str) -> frozenset[str]:
    """Content words, lower-cased, with a crude plural fold so 'tests' ~ 'test'."""
    out = set()
    for word in words(text):
        if word in STOPWORDS or len(word) < 2:
            continue
        if len(word) > 4 and word.endswith("s") and not word.endswith("ss"):
            word = word[:-1]
        out.add(word)
    return frozenset(out)


def jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    if not a or not b:
        return 0.0
    return len(a & b) / len(a | b)
