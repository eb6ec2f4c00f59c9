"""find expressions: what a delete through find selects. Negated tests and pruned branches
only narrow a selection (the everyday cleanups pass); an `-o` branch that acts without
selecting, or a negation that spares a few of many tracked files, is still a mass delete."""

from __future__ import annotations

import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from agentops_os.guard.findexpr import NARROWING, narrowed

Bash = Callable[[str], tuple[str, str]]


@pytest.fixture
def tracked(repo: Path) -> Path:
    (repo / "src").mkdir()
    for i in range(30):
        (repo / "src" / f"m{i}.py").write_text("x = 1\n")
    (repo / "docs").mkdir()
    (repo / "docs" / "a.md").write_text("# a\n")
    subprocess.run(["git", "add", "-A"], cwd=repo, check=True)
    subprocess.run(["git", "commit", "-qm", "src", "--no-verify"], cwd=repo, check=True)
    return repo


@pytest.mark.parametrize(
    "command",
    [
        "find . -name '*.pyc' -not -path './.venv/*' -delete",
        "find . -type f -name '*.pyc' ! -path './node_modules/*' -delete",
        "find . -path ./node_modules -prune -o -name '*.pyc' -delete",
        "find . -type d -name node_modules -prune -o -name '*.log' -print | xargs rm -f",
        r"find . \( -name '*.pyc' -o -name '*.pyo' \) -delete",
        r"find . -type d \( -name __pycache__ -o -name '*.egg-info' \) -exec rm -rf {} +",
        "find src -name 'm1*.py' -not -name m1.py -delete",
        "find . -name '*.orig' -not -name keep.orig -print0 | xargs -0 rm -f",
    ],
)
def test_negations_and_pruned_branches_only_narrow_a_cleanup(tracked: Path, bash: Bash, command: str) -> None:
    assert bash(command)[0] == "allow", command


@pytest.mark.parametrize(
    "command",
    [
        "find src -type f -not -name '*.keep' -delete",  # spares what is not there: all of src
        "find src ! -name m1.py -delete",
        "find src -name '*.py' -not -name m1.py -delete",
        "find src -iname '*.PY' ! -iname M2.py -delete",
        "find src -name '*.py' -not -path 'src/m1.py' -delete",
        "find . -path ./docs -prune -o -name '*.py' -delete",
        "find src -name nothing -o -delete",  # the acting branch selects everything
        "find src -name '*.py' -print | xargs rm -f",
        "find src -name '*.py' -not -name m3.py -print0 | xargs -0 rm",
    ],
)
def test_a_negation_that_spares_a_few_of_many_tracked_files_is_a_mass_delete(
    tracked: Path, bash: Bash, command: str
) -> None:
    assert bash(command) == ("deny", "mass-delete"), command


@pytest.mark.parametrize(
    ("tests", "expected"),
    [
        ("-name *.pyc -not -path ./.venv/* -delete", True),
        ("-type f -delete", False),
        ("-not -name *.py -delete", False),
        ("! ( -name a -o -name b ) -delete", False),
        ("-name * -delete", False),
        ("-name x -o -delete", False),
        ("-path ./vendor -prune -o -name *.o -delete", True),
        ("( -name a -o -type f ) -delete", False),
        ("( -name a -o -name b ) -delete", True),
        ("-name a -o -name b", True),
        ("-name a -o -true", False),
        ("-exec rm -name {} ;", False),  # the command's words are not tests
        ("-mtime +7 -exec rm {} ;", True),
        ("-name *.log -o ( -type f -delete )", False),
    ],
)
def test_what_an_expression_selects(tests: str, expected: bool) -> None:
    assert narrowed(tests.split()) is expected


_TEST = st.sampled_from(sorted(NARROWING)).map(lambda t: [t, "v*"])
_TERM = st.one_of(_TEST, st.just(["-type", "f"]), st.just(["-print"]), st.just(["-delete"]))


@given(st.lists(_TERM, max_size=8), st.data())
def test_a_negated_test_only_ever_narrows(terms: list[list[str]], data: st.DataObject) -> None:
    """Adding `-not TEST` to an AND of terms keeps an expression that selected selecting, and
    a negated test is never what makes one select."""
    flat = [w for term in terms for w in term]
    extra = data.draw(_TEST)
    at = data.draw(st.integers(0, len(terms)))
    with_negation = [w for term in terms[:at] for w in term] + ["-not", *extra] + [
        w for term in terms[at:] for w in term]
    assert narrowed(with_negation) is narrowed(flat)
