from __future__ import annotations

import sqlite3

from hypothesis import given, settings
from hypothesis import strategies as st

from agentops_os.knowledge import query
from agentops_os.knowledge.index_schema import MIGRATIONS


def _conn() -> sqlite3.Connection:
    conn = sqlite3.connect(":memory:")
    for _, script in MIGRATIONS:
        conn.executescript(script)
    conn.execute("INSERT INTO kn_commits(title, body, paths, author, sha, ts) VALUES "
                 "('fix: résumé upload', 'AND OR NOT \"quoted\" (x) a-b c:d 日本語', "
                 "'src/a.py', 'Ann', 'abc', 1)")
    return conn


CONN = _conn()


def _run(text: str) -> list[tuple[int]]:
    words = query.terms(text)
    if not words:
        return []
    out = []
    for match in (query.match_all(words), query.match_any(words)):
        out += CONN.execute("SELECT rowid FROM kn_commits WHERE kn_commits MATCH ?", (match,)).fetchall()
    return out


@settings(max_examples=400, deadline=None)
@given(st.text())
def test_any_text_is_a_valid_query(text: str) -> None:
    _run(text)  # must never raise sqlite3.OperationalError


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(['"', "AND", "OR", "NOT", "NEAR", "*", "-", ":", "(", ")", "^", "+", "{",
                                 "}", "kind", "title", "é", "\u0301", "日本", "\x00", " "]), max_size=12))
def test_fts_syntax_pieces_are_words(pieces: list[str]) -> None:
    _run(" ".join(pieces))
    _run("".join(pieces))


def test_operators_are_treated_as_words() -> None:
    assert _run('"quoted" AND (x)')  # finds the row containing those words
    assert _run("résumé") and _run("RESUME")  # diacritics folded, case-insensitive
    assert _run("日本語")


def test_stopwords_dropped_unless_alone() -> None:
    assert query.terms("how did we fix the cache") == ["fix", "cache"]
    assert query.terms("the") == ["the"]
