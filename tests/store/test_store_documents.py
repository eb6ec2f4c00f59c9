"""Frontmatter documents: dumps/loads round-trip (property) and located errors."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from agentops_os.store.documents import DocumentError, dumps, loads

keys = st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), min_size=1, max_size=20)
scalars = (
    st.none() | st.booleans() | st.integers(-10**12, 10**12)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=60)
)
values = st.recursive(scalars, lambda inner: st.lists(inner, max_size=4)
                      | st.dictionaries(keys, inner, max_size=4), max_leaves=12)
bodies = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=300)


@settings(max_examples=120, deadline=None)
@given(meta=st.dictionaries(keys, values, max_size=6), body=bodies)
def test_frontmatter_round_trip(meta: dict, body: str) -> None:
    doc = loads(dumps(meta, body))
    assert doc.meta == meta
    assert doc.body == body


def test_unclosed_frontmatter_names_the_line() -> None:
    with pytest.raises(DocumentError, match=r"x\.md:1: frontmatter opened"):
        loads("---\ntitle: a\n", "x.md")


def test_bad_yaml_names_the_line() -> None:
    with pytest.raises(DocumentError, match=r"x\.md:3: invalid YAML"):
        loads("---\ntitle: a\nb: c: d\n---\nbody\n", "x.md")


def test_blank_line_after_frontmatter_is_not_part_of_the_body() -> None:
    assert loads("---\ntitle: a\n---\n\nBody\n").body == "Body\n"
    assert loads("---\ntitle: a\n---\nBody\n").body == "Body\n"
    assert loads("no frontmatter\n").meta == {}
