"""`ao commit check`: the four parts as paragraphs or trailers; exemptions; config."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from agentops_os.commits.message import PARTS, check_message, with_template
from conftest import run_ao

PARAGRAPHS = """Fix rounding in totals

Context:
Totals were off by a cent.

Solution:
Use Decimal.

Learning:
Floats drift.

Impact:
Invoices match.
"""

TRAILERS = """Fix rounding in totals

Totals were off by a cent, so we now use Decimal.

context: totals drifted
SOLUTION: Decimal
Learning: floats drift
Impact: invoices match
"""

MARKDOWN = """Fix rounding in totals

## Context
Totals were off by a cent.
## Solution
Use Decimal.
## Learning
Floats drift.
## Impact
Invoices match.
"""


@pytest.mark.parametrize("message", [PARAGRAPHS, TRAILERS, MARKDOWN])
def test_accepted_shapes(message: str) -> None:
    assert check_message(message).ok


@pytest.mark.parametrize("subject", ["Merge branch 'x' into main", 'Revert "Add thing"',
                                     "fixup! Add thing", "squash! Add thing", "amend! Add thing"])
def test_exempt_commits(subject: str) -> None:
    result = check_message(subject + "\n")
    assert result.ok and result.exempt


def test_comments_and_scissors_are_ignored() -> None:
    commented = "Subject\n\n# Context: in a comment only\n# Solution: x\n# Learning: y\n# Impact: z\n"
    assert not check_message(commented).ok
    verbose = ("Subject\n\nContext: a\nSolution: b\nLearning: c\n"
               "# ------------------------ >8 ------------------------\nImpact: d\n")
    assert check_message(verbose).missing == ["impact"]


def test_empty_part_is_rejected() -> None:
    result = check_message("Subject\n\nContext: a\nSolution:\nLearning: c\nImpact: d\n")
    assert not result.ok and result.empty == ["solution"]


part_names = st.sampled_from(PARTS)
styles = st.sampled_from(["trailer", "paragraph", "markdown"])
cases = st.sampled_from([str.lower, str.upper, str.capitalize])
words = st.text(st.sampled_from("abcdefghij .,"), min_size=1, max_size=30).filter(lambda t: t.strip())


def _render(part: str, style: str, case, text: str) -> str:  # type: ignore[no-untyped-def]
    name = case(part)
    if style == "trailer":
        return f"{name}: {text}"
    if style == "paragraph":
        return f"{name}:\n{text}\n"
    return f"## {name}\n{text}\n"


@settings(max_examples=200, deadline=None)
@given(parts=st.permutations(PARTS), data=st.data())
def test_any_rendering_of_all_parts_passes_and_dropping_one_fails(parts: list[str], data) -> None:  # type: ignore[no-untyped-def]
    rendered = [
        _render(part, data.draw(styles), data.draw(cases), data.draw(words)) for part in parts
    ]
    message = "Subject line\n\n" + "\n".join(rendered) + "\n"
    assert check_message(message).ok, message
    dropped = data.draw(st.integers(0, 3))
    without = "Subject line\n\n" + "\n".join(r for i, r in enumerate(rendered) if i != dropped) + "\n"
    result = check_message(without)
    assert not result.ok and result.missing == [parts[dropped]]


def test_template_only_for_editor_messages() -> None:
    git_default = "\n# Please enter the commit message for your changes.\n"
    assert "# AgentOps (Law 3)" in (with_template(git_default, None) or "")
    assert with_template("msg from -m\n", "message") is None
    assert with_template("Merge branch\n", "merge") is None
    assert with_template("amended\n", "commit") is None
    once = with_template(git_default, None) or ""
    assert with_template(once, None) is None  # never twice


def test_cli_rejects_with_an_example_and_exit_1(repo: Path) -> None:
    proc = run_ao("commit", "check", "-", input="Just a subject\n")
    assert proc.returncode == 1
    assert "Context: totals were off by a cent" in proc.stderr
    assert proc.stderr.strip().splitlines()[-1].startswith("ao: commit message rejected")
    ok = run_ao("commit", "check", "-", input=TRAILERS)
    assert ok.returncode == 0
    data = json.loads(run_ao("commit", "check", "--json", "-", input="Fix\n\nContext: a\n").stdout)
    assert data["missing"] == ["solution", "learning", "impact"] and data["ok"] is False


def test_required_parts_come_from_config(repo: Path) -> None:
    (repo / "agentops.toml").write_text('[commit]\nrequired_parts = ["context"]\n')
    assert run_ao("commit", "check", "-", input="Fix\n\nContext: why\n").returncode == 0
    (repo / "agentops.toml").write_text('[commit]\nrequired_parts = ["context", "rationale"]\n')
    proc = run_ao("commit", "check", "-", input="Fix\n\nContext: why\n")
    assert proc.returncode == 2 and "rationale" in proc.stderr


def test_unreadable_file_is_exit_2(repo: Path) -> None:
    proc = run_ao("commit", "check", "does-not-exist.txt")
    assert proc.returncode == 2 and "does-not-exist.txt" in proc.stderr


def test_other_comment_prefixes() -> None:
    """core.commentChar ";": `;` lines and the `;` scissors are git's, `#` lines are text."""
    from agentops_os.commits.message import comment_prefix, meaningful_lines

    scissors = "; ------------------------ >8 ------------------------"
    text = f"Subject\n# Heading kept\n; a comment\n{scissors}\ndiff\n"
    assert meaningful_lines(text, ";") == ["Subject", "# Heading kept"]
    assert comment_prefix(";", text) == ";"
    assert comment_prefix("auto", "Subject\n\n; Please enter the commit message\n") == ";"
    assert comment_prefix("auto", "Subject only\n") == "#"
    inserted = with_template("\n; Please enter the commit message\n", None, ";") or ""
    assert "; AgentOps (Law 3)" in inserted and "\n#" not in inserted
    assert with_template(inserted, None, ";") is None
    good = "S\n\nContext: a\nSolution: b\nLearning: c\nImpact: d\n; Context: ignored comment\n"
    assert check_message(good, comment=";").ok
