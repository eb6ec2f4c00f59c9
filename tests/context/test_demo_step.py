"""The s40 demo step works on its own (no `ao init`, no transcript corpus from s30)."""

from __future__ import annotations

import io
from pathlib import Path

from agentops_os.demo.runner import DemoContext
from agentops_os.demo.steps import s00_repo, s40_context


def test_s40_runs_standalone(tmp_path: Path) -> None:
    repo, home = tmp_path / "demo-repo", tmp_path / "demo-home"
    repo.mkdir()
    home.mkdir()
    out = io.StringIO()
    ctx = DemoContext(repo=repo, home=home, out=out)
    s00_repo.run(ctx)
    s40_context.run(ctx)
    text = out.getvalue()
    assert "$ ao prime" in text and "$ ao bundle load research-totals" in text
    assert "## Since this handoff" in text  # resume itself is checked inside the step
    assert ctx.facts["context"]["utilisation"] == 0.46
