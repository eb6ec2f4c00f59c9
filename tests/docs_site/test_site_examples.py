"""Every ```console example of every docs-site page runs and shows what the page says.

The quickstart, the workshops and the 40 % rule page have tests of their own, which run
their examples and check more (checkpoints, final state, figures); this file runs the
examples of all the other pages: the factors, the laws, the patterns, the architecture.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from docs_site_helpers import SITE, examples, fresh_repo, run_page, site_pages

DEDICATED = {  # pages whose examples another test in this directory runs
    SITE / "quickstart.md": "test_site_quickstart.py",
    SITE / "forty-percent-rule.md": "test_site_forty_percent.py",
    **{page: "test_site_workshops.py" for page in sorted((SITE / "workshops").glob("*.md"))},
}


def generic_pages() -> list[Path]:
    return [p for p in site_pages() if p not in DEDICATED and examples(p.read_text(encoding="utf-8"))]


@pytest.mark.parametrize("page", generic_pages(), ids=lambda p: str(p.relative_to(SITE)))
def test_page_examples(page: Path, tmp_path: Path) -> None:
    run_page(page, fresh_repo(tmp_path))


def test_every_factor_page_has_a_runnable_example() -> None:
    factor_pages = sorted((SITE / "factors").glob("[0-1][0-9]-*.md"))
    assert len(factor_pages) == 12
    for page in factor_pages:
        text = page.read_text(encoding="utf-8")
        found = examples(text)
        assert any(e.command.startswith("ao ") and e.expected for e in found), (
            f"{page.name}: no `ao` command with expected output")
        for heading in ("**The rule:**", "## Why", "## What ao does", "## Try it"):
            assert heading in text, f"{page.name}: missing {heading!r}"
        assert "[[diagram factor-" in text, f"{page.name}: no diagram"


def test_dedicated_pages_exist() -> None:
    for page in DEDICATED:
        assert page.is_file(), page
    assert len([p for p in DEDICATED if "workshops" in p.parts]) == 4
