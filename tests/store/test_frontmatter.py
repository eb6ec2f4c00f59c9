"""One frontmatter reader: the hook path's scalar reading agrees with YAML on whatever
`documents.dumps` writes, and every reader splits head and body at the same line."""

from __future__ import annotations

from hypothesis import example, given
from hypothesis import strategies as st

from agentops_os.context import lite
from agentops_os.store import documents, frontmatter

_keys = st.from_regex(r"[a-z][a-z0-9_]{0,11}", fullmatch=True)
_values = st.one_of(
    st.text(st.characters(blacklist_categories=("Cs",)), max_size=40),
    st.integers(), st.booleans(), st.lists(st.text(max_size=5), max_size=3),
)


@example({"t": "a\nb", "u": "x"}, "")
@example({"t": "a" * 30 + " b\nb\nb\n", "n": 3}, "\nbody")
@example({"t": "it's: x", "u": "x #y", "v": "- dash", "w": "  "}, "")
@example({"a": "0\xa0"}, "")
@given(st.dictionaries(_keys, _values, max_size=6), st.text(max_size=200))
def test_scalars_agree_with_yaml_where_they_answer(meta: dict[str, object], body: str) -> None:
    text = documents.dumps(meta, body)
    parsed = documents.loads(text)
    light, light_body = lite.split(text)
    assert light_body == parsed.body  # the same boundary and the same body
    for key, value in light.items():
        expected = parsed.meta[key]
        if isinstance(expected, str):
            assert value == expected, (key, text)
        else:  # a number or boolean: the scalar's text is YAML's spelling of it
            assert not isinstance(expected, list | dict)


def test_boundary_rule() -> None:
    assert frontmatter.split("---\na: 1\n---\nbody") == ("a: 1\n", "body")
    assert frontmatter.split("---\na: 1\n----x\nstill head\n---\n\nbody") == (
        "a: 1\n----x\nstill head\n", "\nbody")  # a line of dashes and text is not the end
    assert frontmatter.split("---\nnever closed\n") is None
    assert frontmatter.split("no frontmatter") is None
    assert frontmatter.scalars("title: 'it''s'\ntags:\n  - a\nnote: x # comment\n") == {
        "title": "it's", "note": "x"}
