"""The re-free glob matcher agrees with fnmatch.fnmatchcase."""

from __future__ import annotations

import fnmatch

from hypothesis import given
from hypothesis import strategies as st

from agentops_os.guard.globmatch import glob_match

_chars = st.sampled_from(list("ab./-") + ["*", "?", "[ab]", "[!a]", "[a-c]"])


@given(st.text(alphabet="ab./-[]!", max_size=8), st.lists(_chars, max_size=6).map("".join))
def test_agrees_with_fnmatch(name: str, pattern: str) -> None:
    assert glob_match(name, pattern) == fnmatch.fnmatchcase(name, pattern)


def test_examples() -> None:
    assert glob_match(".git/hooks/pre-commit", ".git/*")
    assert glob_match("/home/u/.ssh/id_rsa", "/home/u/.ssh/*")
    assert glob_match(".env.local", ".env.*") and not glob_match(".envrc", ".env.*")
    assert glob_match("release/1.2", "release/*") and not glob_match("main", "release/*")
